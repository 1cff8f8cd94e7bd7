// The source document's operator resources: a KongPluginMetadata describing the plugin and a
// KongPlugin (gateway.konghq.com/v1alpha1) distributing it to the kong-gateway Gateway, with
// the CRDs this library authors for those two kinds.
import { KongConfiguration, KubernetesDelivery, KubernetesStack, PluginInstance, PluginMetadata } from "pulumi-kong-plugins";
import { demoRateLimit, rateLimitExample } from "../quickstart/rate-limit-example";

const rateLimit = new PluginMetadata("rate-limit-example", { ...rateLimitExample(), namespace: "kong" });

const demo = new PluginInstance(demoRateLimit.name, {
  plugin: rateLimit.definition,
  namespace: "kong",
  config: { limit: 100, period: "minute" },
  targetRef: { group: "gateway.networking.k8s.io", kind: "Gateway", name: "kong-gateway", namespace: "kong" },
});

const kong = new KubernetesStack("kong", {
  delivery: KubernetesDelivery.ConfigMap,
  configuration: KongConfiguration.Controller,
  seedResources: true,
  plugins: [rateLimit.definition],
  instances: [demo.definition],
});

export const kongPluginMetadata = rateLimit.kongPluginMetadata;
export const kongPlugin = demo.operatorKongPlugin;
export const manifests = kong.yaml;
