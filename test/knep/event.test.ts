import assert from "node:assert/strict";
import { describe, it } from "node:test";
import Ajv from "ajv";
import { KNEP_EVENT_SCHEMA, parseKnepEvent } from "pulumi-kong-plugins/render";
import { KnepEventType, KongPluginsValidationError } from "pulumi-kong-plugins";

const validSamples = [
  { event_type: "request", timestamp: 1695000000, kong_node_id: "node-123", data: { request_id: "req-abc123", method: "GET", path: "/api/v1/users", status: 200, latency_ms: 12 } },
  { event_type: "response", timestamp: 1695000001, kong_node_id: "node-123", data: { request_id: "req-abc123", status: 503 } },
  { event_type: "plugin_updated", timestamp: 1695000002, kong_node_id: "node-7", data: { plugin: "rate-limit-example", enabled: true } },
  { event_type: "node_health", timestamp: 0, kong_node_id: "node-7", data: {} },
];

const invalidSamples: [string, unknown, string[]][] = [
  ["unknown event type", { event_type: "request_started", timestamp: 1, kong_node_id: "n", data: {} }, ["event_type"]],
  ["missing request fields", { event_type: "request", timestamp: 1, kong_node_id: "n", data: { request_id: "r" } }, ["data.method", "data.path", "data.status"]],
  ["missing response status", { event_type: "response", timestamp: 1, kong_node_id: "n", data: { request_id: "r" } }, ["data.status"]],
  ["missing envelope fields", { event_type: "plugin_updated" }, ["timestamp", "kong_node_id", "data"]],
  ["timestamp in milliseconds", { event_type: "node_health", timestamp: 1695000000000, kong_node_id: "n", data: {} }, ["timestamp"]],
  ["ISO timestamp", { event_type: "node_health", timestamp: "2023-09-18T01:20:00Z", kong_node_id: "n", data: {} }, ["timestamp"]],
  ["fractional timestamp", { event_type: "node_health", timestamp: 1.5, kong_node_id: "n", data: {} }, ["timestamp"]],
  ["bad request status", { event_type: "request", timestamp: 1, kong_node_id: "n", data: { request_id: "r", method: "GET", path: "/", status: 42 } }, ["data.status"]],
];

const schema = new Ajv({ allErrors: true, strict: false }).compile(KNEP_EVENT_SCHEMA);

describe("parseKnepEvent", () => {
  for (const sample of validSamples) {
    it(`parses a valid ${sample.event_type} event, which the published schema also accepts`, () => {
      const event = parseKnepEvent(JSON.stringify(sample));
      assert.deepEqual(event, sample);
      assert.ok(Object.values(KnepEventType).includes(event.event_type));
      assert.equal(schema(sample), true);
      if (event.event_type === KnepEventType.Request) assert.equal(event.data.path, "/api/v1/users");
    });
  }

  for (const [label, sample, expectedPaths] of invalidSamples) {
    it(`rejects ${label} at ${expectedPaths.join(", ")}, as the published schema does`, () => {
      assert.throws(
        () => parseKnepEvent(JSON.stringify(sample)),
        (error: unknown) => error instanceof KongPluginsValidationError && JSON.stringify(error.issues.map((i) => i.path).sort()) === JSON.stringify([...expectedPaths].sort()),
      );
      assert.equal(schema(sample), false);
    });
  }

  it("says milliseconds when a timestamp looks like milliseconds", () => {
    assert.throws(() => parseKnepEvent(JSON.stringify(invalidSamples[4]?.[1])), /must be Unix seconds, not milliseconds/);
  });

  it("rejects text that is not JSON", () => {
    assert.throws(() => parseKnepEvent("{event_type: request"), /is not JSON/);
  });
});
