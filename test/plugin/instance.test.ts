import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { KongPluginsValidationError, KongProtocol, PluginType, type PluginInstanceSpec, type ValidationIssue } from "pulumi-kong-plugins";
import { resolvePlugin, resolvePluginInstance, validatePluginConfig } from "pulumi-kong-plugins/render";
import { rateLimitExample } from "../../examples/quickstart/rate-limit-example";

const { configSchema } = resolvePlugin(rateLimitExample());

function thrown(run: () => unknown): KongPluginsValidationError {
  try {
    run();
  } catch (error) {
    assert.ok(error instanceof KongPluginsValidationError, String(error));
    return error;
  }
  assert.fail("expected a KongPluginsValidationError");
}

const base: PluginInstanceSpec = { name: "limit", plugin: "rate-limit-example", pluginSubsystems: [PluginType.Http], configSchema, config: { limit: 10 } };
const instanceIssues = (spec: Partial<PluginInstanceSpec>): ValidationIssue[] => [...thrown(() => resolvePluginInstance({ ...base, ...spec })).issues];

describe("validatePluginConfig", () => {
  it("reports {limit: 0, period: \"week\"} as one error with two issues, at config.limit and config.period", () => {
    const error = thrown(() => validatePluginConfig(configSchema, { limit: 0, period: "week" }));
    assert.deepEqual(error.issues.map((i) => i.path), ["config.limit", "config.period"]);
    assert.deepEqual(error.issues.map((i) => i.received), [0, "week"]);
    assert.equal(error.issues[1]?.expected, 'one of "second", "minute", "hour"');
    assert.match(error.message, /^2 problems in plugin config:/);
  });

  it("reports missing and unknown properties at their own paths", () => {
    const error = thrown(() => validatePluginConfig(configSchema, { perod: "minute" }));
    assert.deepEqual(error.issues.map((i) => [i.path, i.message]), [
      ["config.limit", "is required"],
      ["config.perod", "is not an allowed property"],
    ]);
  });

  it("rejects values JSON cannot carry", () => {
    const error = thrown(() => validatePluginConfig(undefined, { limit: Number.NaN, when: new Date(0), nested: [Infinity] }));
    assert.deepEqual(error.issues.map((i) => i.path), ["config.limit", "config.when", "config.nested[0]"]);
  });

  it("accepts a valid config", () => {
    assert.doesNotThrow(() => validatePluginConfig(configSchema, { limit: 1, period: "hour" }));
  });
});

describe("resolvePluginInstance", () => {
  it("fills the defaults: enabled, global scope, namespace default", () => {
    const resolved = resolvePluginInstance(base);
    assert.equal(resolved.enabled, true);
    assert.equal(resolved.scope, "global");
    assert.equal(resolved.namespace, "default");
    assert.deepEqual(resolved.tags, []);
  });

  it("never shows a secret value in an issue, and reports it where the user wrote it", () => {
    const issues = instanceIssues({ config: { limit: 5 }, secretConfig: { period: "s3cr3t-week" } });
    assert.deepEqual(issues.map((i) => [i.path, i.received]), [["secretConfig.period", "[secret]"]]);
    assert.ok(!JSON.stringify(issues).includes("s3cr3t"));
  });

  it("checks only the keys of withheld secret values", () => {
    assert.doesNotThrow(() => resolvePluginInstance({ ...base, config: { limit: 5 }, secretConfig: { period: "" } }, { secretValuesWithheld: true }));
  });

  it("rejects protocols of the other subsystem, unknown protocols and an empty list", () => {
    assert.deepEqual(instanceIssues({ protocols: [KongProtocol.Http, KongProtocol.Tcp, "gopher" as KongProtocol] }).map((i) => i.path), ["protocols[1]", "protocols[2]"]);
    assert.deepEqual(instanceIssues({ protocols: [] }).map((i) => i.path), ["protocols"]);
  });

  it("rejects a targetRef combined with a service, or with secret config", () => {
    const targetRef = { group: "gateway.networking.k8s.io", kind: "Gateway", name: "kong" };
    assert.deepEqual(instanceIssues({ targetRef, service: "orders" }).map((i) => i.path), ["targetRef"]);
    assert.deepEqual(instanceIssues({ targetRef, config: { limit: 1 }, secretConfig: { period: "hour" } }).map((i) => i.path), ["secretConfig"]);
    assert.deepEqual(instanceIssues({ targetRef: { group: "", kind: "Gateway", name: "" } }).map((i) => i.path), ["targetRef.group", "targetRef.name"]);
  });

  it("checks tags, ordering, instance name and namespace the way Kong and Kubernetes do", () => {
    const issues = instanceIssues({ tags: ["ok", "a,b", "x".repeat(129)], ordering: { before: { log: ["key-auth"] } }, instanceName: "has space", namespace: "Bad_NS" });
    assert.deepEqual(issues.map((i) => i.path), ["ordering.before.log", "tags[1]", "tags[2]", "instanceName", "namespace"]);
  });

  it("reports every problem of one instance at once, with its name", () => {
    const error = thrown(() => resolvePluginInstance({ ...base, name: "Bad Name!", config: { limit: 0, period: "week" }, protocols: ["tcp" as KongProtocol] }));
    assert.deepEqual(error.issues.map((i) => i.path), ["name", "config.limit", "config.period", "protocols[0]"]);
    assert.match(error.message, /^4 problems in plugin instance "Bad Name!":/);
  });
});
