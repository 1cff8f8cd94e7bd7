import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { KafkaCompression, KnepEventType, KnepHttpMethod, KnepLogLevel, KnepTargetType, KongPluginsValidationError, type KnepSpec } from "pulumi-kong-plugins";
import { renderKnepEnvironment, resolveKnep } from "pulumi-kong-plugins/render";

const base = { image: "registry.example.com/knep:1.0.0", kongAdminUrl: "http://kong:8001" };
const kafka: KnepSpec = { ...base, targetType: KnepTargetType.Kafka, kafka: { brokers: ["kafka:9092"], topic: "kong-events" } };

function paths(spec: KnepSpec): string[] {
  try {
    resolveKnep(spec);
  } catch (error) {
    assert.ok(error instanceof KongPluginsValidationError, String(error));
    return error.issues.map((issue) => issue.path);
  }
  assert.fail("expected a validation error");
}

const envOf = (spec: KnepSpec) => Object.fromEntries(renderKnepEnvironment(spec).map((entry) => [entry.name, entry.value ?? `<secret ${entry.secretKey}>`]));

describe("KNEP spec", () => {
  it("reports a kafka target with an http block, a missing topic, a broker without a port and an unknown event type in one error", () => {
    const spec = {
      ...base,
      targetType: KnepTargetType.Kafka,
      kafka: { brokers: ["kafka"] },
      http: { url: "http://sink" },
      eventTypes: [KnepEventType.Request, "requests"],
    } as unknown as KnepSpec;
    assert.deepEqual(paths(spec).sort(), ["eventTypes[1]", "http", "kafka.brokers[0]", "kafka.topic"]);
  });

  it("renders every documented default exactly as SPEC.md's table says", () => {
    assert.deepEqual(envOf(kafka), {
      KONG_ADMIN_URL: "http://kong:8001",
      KONG_ADMIN_TIMEOUT: "5",
      TARGET_TYPE: "kafka",
      LOG_LEVEL: "info",
      TARGET_KAFKA_BROKERS: "kafka:9092",
      TARGET_KAFKA_TOPIC: "kong-events",
      TARGET_KAFKA_COMPRESSION: "none",
      TARGET_KAFKA_RETRY_MAX: "3",
    });
    assert.deepEqual(envOf({ ...base, targetType: KnepTargetType.Http, http: { url: "https://events.example.com/ingest" } }), {
      KONG_ADMIN_URL: "http://kong:8001",
      KONG_ADMIN_TIMEOUT: "5",
      TARGET_TYPE: "http",
      LOG_LEVEL: "info",
      TARGET_HTTP_URL: "https://events.example.com/ingest",
      TARGET_HTTP_METHOD: "POST",
      TARGET_HTTP_TIMEOUT: "5",
    });
  });

  it("has exactly SPEC.md's enums", () => {
    assert.deepEqual(Object.values(KnepTargetType), ["kafka", "http", "file", "rabbitmq"]);
    assert.deepEqual(Object.values(KnepEventType), ["request", "response", "plugin_updated", "node_health"]);
    assert.deepEqual(Object.values(KnepLogLevel), ["debug", "info", "warn", "error"]);
    assert.deepEqual(Object.values(KafkaCompression), ["none", "gzip", "snappy"]);
    assert.deepEqual(Object.values(KnepHttpMethod), ["POST", "PUT"]);
  });

  it("orders the environment: documented variables in the table's order, then extraEnv, then secretEnv", () => {
    const env = renderKnepEnvironment({
      ...kafka,
      adminTimeoutSeconds: 10,
      eventTypes: [KnepEventType.Request, KnepEventType.PluginUpdated],
      logLevel: KnepLogLevel.Debug,
      kafka: { brokers: ["k1:9092", "k2:9093"], topic: "t", compression: KafkaCompression.Snappy, retryMax: 0 },
      extraEnv: { ZED: "z", ALPHA: "a" },
      secretEnv: { API_TOKEN: "s3cret" },
    });
    assert.deepEqual(env.map((e) => e.name), [
      "KONG_ADMIN_URL",
      "KONG_ADMIN_TIMEOUT",
      "TARGET_TYPE",
      "EVENT_FILTER_TYPES",
      "LOG_LEVEL",
      "TARGET_KAFKA_BROKERS",
      "TARGET_KAFKA_TOPIC",
      "TARGET_KAFKA_COMPRESSION",
      "TARGET_KAFKA_RETRY_MAX",
      "ALPHA",
      "ZED",
      "API_TOKEN",
    ]);
    assert.deepEqual(env.find((e) => e.name === "EVENT_FILTER_TYPES"), { name: "EVENT_FILTER_TYPES", value: "request,plugin_updated" });
    assert.deepEqual(env.find((e) => e.name === "API_TOKEN"), { name: "API_TOKEN", secretKey: "API_TOKEN" }, "secrets are references");
    assert.ok(!JSON.stringify(env).includes("s3cret"));
  });

  it("names the file and RabbitMQ variables after the TARGET_<TYPE>_<FIELD> pattern; the AMQP URL is secret", () => {
    assert.deepEqual(envOf({ ...base, targetType: KnepTargetType.File, file: { path: "/var/log/knep/events.jsonl" } }).TARGET_FILE_PATH, "/var/log/knep/events.jsonl");
    const rabbit = envOf({ ...base, targetType: KnepTargetType.RabbitMq, rabbitmq: { url: "amqps://user:pw@mq:5671/vhost", exchange: "kong" } });
    assert.equal(rabbit.TARGET_RABBITMQ_URL, "<secret TARGET_RABBITMQ_URL>");
    assert.equal(rabbit.TARGET_RABBITMQ_EXCHANGE, "kong");
    assert.equal(rabbit.TARGET_RABBITMQ_ROUTING_KEY, "kong.events");
  });

  it("rejects bad URLs, topics, timeouts, missing blocks and overrides of managed variables", () => {
    assert.deepEqual(
      paths({
        image: "",
        kongAdminUrl: "kong:8001",
        adminTimeoutSeconds: 0,
        targetType: KnepTargetType.Http,
        http: { url: "ftp://x", timeoutSeconds: -1, method: "GET" as KnepHttpMethod },
        extraEnv: { TARGET_TYPE: "file", "1BAD": "x" },
        secretEnv: { LOG_LEVEL: "debug" },
      }).sort(),
      ["adminTimeoutSeconds", 'extraEnv["1BAD"]', "extraEnv.TARGET_TYPE", "http.method", "http.timeoutSeconds", "http.url", "image", "kongAdminUrl", "secretEnv.LOG_LEVEL"].sort(),
    );
    assert.deepEqual(paths({ ...base, targetType: KnepTargetType.RabbitMq }), ["rabbitmq"]);
    assert.deepEqual(paths({ ...kafka, kafka: { brokers: ["kafka:99999", "[::1]:9092"], topic: "bad topic!" } }).sort(), ["kafka.brokers[0]", "kafka.topic"]);
  });

  it("never echoes a secret value in an issue", () => {
    try {
      resolveKnep({ ...base, targetType: KnepTargetType.RabbitMq, rabbitmq: { url: "http://user:hunter2@mq", exchange: "e" } });
      assert.fail("expected an error");
    } catch (error) {
      assert.ok(error instanceof KongPluginsValidationError);
      assert.deepEqual(error.issues.map((i) => [i.path, i.received]), [["rabbitmq.url", "[secret]"]]);
      assert.ok(!error.message.includes("hunter2"));
    }
  });
});
