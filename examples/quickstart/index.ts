// Quickstart: the seed's local setup, rendered from typed inputs and checked before it runs.
// Kong DB-less with the rate-limit-example plugin mounted where its Lua path finds it, the
// KNEP event proxy forwarding Kong's events to Kafka (KRaft), as a docker-compose project.
import * as pulumi from "@pulumi/pulumi";
import { ComposeStack, KafkaMode, KnepDeployment, KnepEventType, KnepTargetType, PluginInstance, PluginMetadata } from "pulumi-kong-plugins";
import { rateLimitExample } from "./rate-limit-example";

const config = new pulumi.Config();

const rateLimit = new PluginMetadata("rate-limit-example", rateLimitExample());

const demo = new PluginInstance("demo-rate-limit", {
  plugin: rateLimit.definition,
  route: "echo",
  config: { limit: config.getNumber("rateLimit") ?? 100, period: "minute" },
});

const knep = new KnepDeployment("knep", {
  image: config.require("knepImage"), // KNEP has no public image
  kongAdminUrl: "http://kong:8001",
  targetType: KnepTargetType.Kafka,
  kafka: { brokers: ["kafka:9092"], topic: "kong-events" },
  eventTypes: [KnepEventType.Request, KnepEventType.Response, KnepEventType.PluginUpdated],
});

const local = new ComposeStack("local", {
  plugins: [rateLimit.definition],
  instances: [demo.definition],
  services: [{ name: "echo", url: "http://echo:8080", routes: [{ name: "echo", paths: ["/echo"] }] }],
  knep: knep.definition,
  kafka: KafkaMode.KRaft,
  ...(config.get("outputDir") ? { outputDir: config.require("outputDir") } : {}),
});

export const pluginDigest = rateLimit.digest;
export const rockspec = rateLimit.rockspecFileName;
export const composeFiles = local.files;
