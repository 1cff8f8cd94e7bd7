// Konnect as the plugin's source of truth: the plugin streamed to a Dedicated Cloud Gateway
// control plane with an instance rendered as a decK file, and its schema uploaded to a hybrid
// control plane whose data planes get the files otherwise. The token comes from the stack's
// config (`pulumi config set --secret konnectToken ...`).
import * as pulumi from "@pulumi/pulumi";
import { KonnectCustomPlugin, KonnectPluginSchema, KonnectRegion, PluginInstance, PluginMetadata } from "pulumi-kong-plugins";
import { rateLimitExample } from "../quickstart/rate-limit-example";

const config = new pulumi.Config();
const token = config.requireSecret("konnectToken");

const rateLimit = new PluginMetadata("rate-limit-example", rateLimitExample());
const ordersLimit = new PluginInstance("orders-rate-limit", { plugin: rateLimit.definition, service: "orders", config: { limit: 100, period: "minute" } });

const streamed = new KonnectCustomPlugin("dcg", {
  plugin: rateLimit.definition,
  controlPlaneId: "9524ec7d-36d9-465d-a8c5-83a3c9390458",
  region: KonnectRegion.Eu,
  token,
  controlPlaneName: "payments-dcg",
  instances: [ordersLimit.definition],
});

const hybrid = new KonnectPluginSchema("hybrid", {
  plugin: rateLimit.definition,
  controlPlaneId: "0f6c3a52-7a1e-4a3b-9d55-7d9c2b1e4f10",
  token,
});

export const streamedPluginName = streamed.pluginName;
export const deckFile = streamed.deckFile;
export const hybridSchemaRequest = hybrid.requestPreview;
