// Kong Operator: the plugin packaged as a KongPluginInstallation image (FROM scratch,
// handler.lua and schema.lua), installed into a DataPlane.
import { KubernetesDelivery, KubernetesStack, PluginImage, PluginInstance, PluginMetadata } from "pulumi-kong-plugins";
import { rateLimitExample } from "../quickstart/rate-limit-example";

const rateLimit = new PluginMetadata("rate-limit-example", rateLimitExample());

const pluginImage = new PluginImage("rate-limit-example-image", {
  plugin: rateLimit.definition,
  imageName: "registry.example.com/acme/rate-limit-example:1.0.0",
});

const ordersLimit = new PluginInstance("orders-rate-limit", {
  plugin: rateLimit.definition,
  service: "orders",
  // The orders Service lives in "shop": its KongPlugin must too, where the controller looks it up.
  namespace: "shop",
  config: { limit: 100, period: "minute" },
});

const kong = new KubernetesStack("kong", {
  delivery: KubernetesDelivery.Operator,
  plugins: [rateLimit.definition],
  pluginImages: [pluginImage.definition],
  instances: [ordersLimit.definition],
  services: [{ name: "orders", url: "http://orders.shop.svc:8080" }],
});

export const pluginImageName = pluginImage.imageName;
export const manifests = kong.yaml;
