// Quickstart: the source document's local setup, rendered from typed inputs and checked before
// it runs. Kong DB-less with the rate-limit-example plugin mounted where its Lua path finds it,
// an echo upstream for its route, and the KNEP event proxy forwarding Kong's events to Kafka
// (KRaft), as a docker-compose project that `docker-compose up` starts as rendered.
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

const knepImage = config.get("knepImage");
const knep = new KnepDeployment("knep", {
  // KNEP has no public image: without `knepImage`, the compose project asks for KNEP_IMAGE.
  ...(knepImage !== undefined ? { image: knepImage } : {}),
  kongAdminUrl: "http://kong:8001",
  targetType: KnepTargetType.Kafka,
  kafka: { brokers: ["kafka:9092"], topic: "kong-events" },
  eventTypes: [KnepEventType.Request, KnepEventType.Response, KnepEventType.PluginUpdated],
});

const local = new ComposeStack("local", {
  plugins: [rateLimit.definition],
  instances: [demo.definition],
  // go-httpbin's /anything answers with the request it received: /echo/<path> shows what Kong forwarded.
  services: [{ name: "echo", url: "http://echo:8080/anything", routes: [{ name: "echo", paths: ["/echo"] }] }],
  upstreams: [{ name: "echo", image: "mccutchen/go-httpbin:v2.15.0" }],
  knep: knep.definition,
  kafka: KafkaMode.KRaft,
  ...(config.get("outputDir") ? { outputDir: config.require("outputDir") } : {}),
});

export const pluginDigest = rateLimit.digest;
export const rockspec = rateLimit.rockspecFileName;
export const composeFiles = local.files;
