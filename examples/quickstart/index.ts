// Quickstart: the seed's rate-limit-example plugin and its demo configuration.
// Run with a real Pulumi CLI (`pulumi login --local && pulumi up`) from the repository root.
import { PluginInstance, PluginMetadata } from "pulumi-kong-plugins";
import { demoRateLimit, rateLimitExample } from "./rate-limit-example";

const spec = rateLimitExample();
const plugin = new PluginMetadata(spec.name, { ...spec, namespace: "kong" });

const demo = new PluginInstance(demoRateLimit.name, {
  plugin,
  namespace: demoRateLimit.namespace,
  config: { ...demoRateLimit.config },
  targetRef: demoRateLimit.targetRef,
});

export const pluginDigest = plugin.digest;
export const rockspec = plugin.rockspec;
export const kongPluginMetadata = plugin.kongPluginMetadata;
export const kongPlugin = demo.operatorKongPlugin;
export const ingressControllerPlugin = demo.ingressControllerPlugin;
