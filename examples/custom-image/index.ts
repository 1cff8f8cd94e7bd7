// The plugin baked into a custom kong/kong-gateway image (built and pushed by docker.Image),
// run on Kubernetes DB-less with the instance in its kong.yaml.
import { GatewayImage, KubernetesDelivery, KubernetesStack, PluginInstallMode, PluginInstance, PluginMetadata } from "pulumi-kong-plugins";
import { rateLimitExample } from "../quickstart/rate-limit-example";

const rateLimit = new PluginMetadata("rate-limit-example", rateLimitExample());

const gateway = new GatewayImage("gateway", {
  plugins: [rateLimit.definition],
  installMode: PluginInstallMode.Copy,
  imageName: "registry.example.com/acme/kong-gateway:1.0.0",
  labels: { "org.opencontainers.image.source": "https://git.example.com/acme/gateway" },
});

const ordersLimit = new PluginInstance("orders-rate-limit", {
  plugin: rateLimit.definition,
  service: "orders",
  config: { limit: 100, period: "minute" },
});

const kong = new KubernetesStack("kong", {
  delivery: KubernetesDelivery.Image,
  gatewayImage: gateway.definition,
  instances: [ordersLimit.definition],
  services: [{ name: "orders", url: "http://orders.shop.svc:8080", routes: [{ name: "orders", paths: ["/orders"] }] }],
});

export const imageName = gateway.imageName;
export const contextDigest = gateway.contextDigest;
export const manifests = kong.yaml;
