import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import * as pulumi from "@pulumi/pulumi";
import { contentDigest } from "../../components/core/digest";
import { packPluginArchive, renderDeclarativePlugin, renderIngressControllerPlugin, renderKongPluginMetadata, renderOperatorKongPlugin, renderRockspec, resolvePlugin, resolvePluginInstance } from "pulumi-kong-plugins/render";
import { PluginInstance, PluginMetadata } from "pulumi-kong-plugins";
import { demoRateLimit, rateLimitExample } from "../../examples/quickstart/rate-limit-example";
import { runProgramUnderMocks } from "../helpers/program";
import { installMocks, valueOf, type RegisteredResource } from "../helpers/pulumi-mocks";

let registered: RegisteredResource[];
before(() => {
  registered = installMocks();
});

const SECRET = "pa55-w0rd-never-shown";

describe("PluginMetadata", () => {
  it("outputs exactly what the pure functions render", async () => {
    const spec = rateLimitExample();
    const component = new PluginMetadata("rate-limit-example", { ...spec, namespace: "kong" });
    const plugin = resolvePlugin(spec);
    assert.equal(await valueOf(component.pluginName), "rate-limit-example");
    assert.equal(await valueOf(component.version), "1.0.0");
    assert.equal(await valueOf(component.type), "http");
    assert.equal(await valueOf(component.digest), plugin.digest);
    assert.deepEqual(await valueOf(component.files), ["handler.lua", "schema.lua"]);
    assert.deepEqual(await valueOf(component.phases), ["access", "header_filter"]);
    assert.equal(await valueOf(component.requiresDatabase), false);
    assert.equal(await valueOf(component.rockspec), renderRockspec(plugin).text);
    assert.equal(await valueOf(component.rockspecFileName), "kong-plugin-rate-limit-example-1.0.0-1.rockspec");
    assert.deepEqual(await valueOf(component.kongPluginMetadata), renderKongPluginMetadata(plugin, { namespace: "kong" }));
    assert.equal(await valueOf(component.archiveDigest), contentDigest(await packPluginArchive(plugin)));
  });

  it("fails the program with a ResourceError that lists every problem of a bad plugin", () => {
    const run = runProgramUnderMocks(`const bad = new kp.PluginMetadata("bad-plugin", { name: "Bad", version: "x", source: { files: { "handler.lua": "return {}" } } });
      await bad.digest.promise();`);
    assert.equal(run.status, 1);
    const error = run.errors.find((e) => e.name === "ResourceError");
    assert.ok(error, JSON.stringify(run.errors));
    assert.match(error.message, /problems in plugin "Bad"/);
    assert.match(error.message, /name: must be lower case/);
    assert.match(error.message, /version: must be numbers separated by dots/);
  });
});

describe("PluginInstance", () => {
  it("fails with a ResourceError that keeps every issue's path, received and expected", () => {
    const run = runProgramUnderMocks(`
      const plugin = new kp.PluginMetadata("rl", { name: "rate-limit-example", version: "1.0.0", source: { directory: "examples/plugins/rate-limit-example" }});
      const instance = new kp.PluginInstance("too-strict", { plugin: plugin.definition, config: { limit: 0, period: "week" } });
      await instance.definition.promise();`);
    const error = run.errors.find((e) => e.name === "ResourceError");
    assert.ok(error, JSON.stringify(run.errors));
    assert.deepEqual(error.issues?.map((issue) => [issue.path, issue.message]), [
      ["config.limit", "value must be greater than 0"],
      ["config.period", "expected one of: second, minute, hour"],
    ], "schema.lua judges the config, in Kong's words");
  });

  it("outputs exactly what the pure functions render", async () => {
    const plugin = new PluginMetadata("rl", rateLimitExample());
    const component = new PluginInstance(demoRateLimit.name, { plugin: plugin.definition, namespace: "kong", config: { limit: 100, period: "minute" }, targetRef: demoRateLimit.targetRef });
    const expected = resolvePluginInstance({ ...demoRateLimit, plugin: "rate-limit-example" });
    assert.deepEqual(await valueOf(component.operatorKongPlugin), renderOperatorKongPlugin(expected, "rate-limit-example"));
    assert.deepEqual(await valueOf(component.ingressControllerPlugin), renderIngressControllerPlugin(expected).resource);
    assert.deepEqual(await valueOf(component.declarativeEntry), renderDeclarativePlugin(expected).entry);
    assert.deepEqual(await valueOf(component.annotations), { "konghq.com/plugins": "demo-rate-limit" });
    assert.equal(await valueOf(component.ingressControllerSecret), undefined);
  });

  it("keeps secret config secret end to end and out of every public output", async () => {
    const plugin = new PluginMetadata("rl-secret", rateLimitExample());
    for (const secret of [SECRET, pulumi.secret(SECRET)]) {
      const component = new PluginInstance("orders-limit", {
        plugin: plugin.definition,
        service: "orders",
        config: { limit: 3 },
        secretConfig: { period: pulumi.output(secret).apply(() => "minute") },
        namespace: "shop",
      });
      const plainSecret = new PluginInstance("orders-token", { pluginName: "key-auth", config: { key_names: ["apikey"] }, secretConfig: { hide_credentials: secret } });
      for (const output of [component.ingressControllerSecret, component.secretEnvironment, plainSecret.secretEnvironment]) {
        assert.equal(await pulumi.isSecret(output as pulumi.Output<unknown>), true);
      }
      for (const output of [component.ingressControllerPlugin, component.declarativeEntry, component.annotations, plainSecret.declarativeEntry]) {
        assert.equal(await pulumi.isSecret(output as pulumi.Output<unknown>), false);
        assert.ok(!JSON.stringify(await valueOf(output as pulumi.Output<unknown>)).includes(SECRET));
      }
      assert.deepEqual(await valueOf(plainSecret.secretEnvironment), { ORDERS_TOKEN_HIDE_CREDENTIALS: SECRET });
      assert.deepEqual((await valueOf(component.ingressControllerPlugin)).configFrom, { secretKeyRef: { name: "orders-limit-config", key: "config" } });
    }
  });

  it("says in its definition where the secrets are; a secret outside secretConfig keeps every rendered output secret", async () => {
    const referenced = new PluginInstance("only-references", { pluginName: "key-auth", config: { key_names: ["apikey"] }, secretConfig: { anonymous: pulumi.secret(SECRET) } });
    assert.deepEqual((await valueOf(referenced.definition)).secretPaths, ["secretConfig.anonymous"]);
    const nested = new PluginInstance("nested", { pluginName: "request-transformer", config: { add: { headers: [pulumi.interpolate`authorization:${pulumi.secret(SECRET)}`] } }, secretConfig: { token: "t" } });
    assert.equal(await pulumi.isSecret(nested.definition), true);
    assert.deepEqual((await valueOf(nested.definition)).secretPaths, ["config.add.headers[0]", "secretConfig.token"]);
    for (const output of [nested.declarativeEntry, nested.ingressControllerPlugin, nested.annotations, nested.pluginName]) {
      assert.equal(await pulumi.isSecret(output as pulumi.Output<unknown>), true, "rendered from a config that holds a secret");
    }
    const plain = new PluginInstance("plain", { pluginName: "key-auth", config: { key_names: ["apikey"] } });
    assert.equal(await pulumi.isSecret(plain.definition), false);
    assert.deepEqual((await valueOf(plain.definition)).secretPaths, [], "none, said too: a list of definitions may arrive as one secret");
  });

  it("fails the program with a ResourceError that names the instance and each bad field", () => {
    const run = runProgramUnderMocks(`
      const plugin = new kp.PluginMetadata("rl", { name: "rate-limit-example", version: "1.0.0", source: { directory: "examples/plugins/rate-limit-example" }});
      const instance = new kp.PluginInstance("too-strict", { plugin: plugin.definition, config: { limit: 0, period: "week" } });
      try { await instance.ingressControllerPlugin.promise(); } catch (error) {
        if (!(error instanceof pulumi.ResourceError)) throw new Error("not a ResourceError: " + error);
        throw error;
      }`);
    assert.equal(run.status, 1);
    const error = run.errors.find((e) => e.name === "ResourceError");
    assert.ok(error, JSON.stringify(run.errors));
    assert.match(error.message, /2 problems in plugin instance "too-strict":/);
    assert.doesNotMatch(error.message, /too-strict: 2 problems/, "the name is said once");
    assert.match(error.message, /config\.limit: value must be greater than 0/);
    assert.match(error.message, /config\.period: expected one of: second, minute, hour/);
  });

  it("fails the program when neither plugin nor pluginName is given", () => {
    const run = runProgramUnderMocks(`new kp.PluginInstance("nameless", {});`);
    assert.equal(run.status, 1);
    assert.ok(run.errors.some((e) => /nameless: give exactly one of plugin/.test(e.message)), JSON.stringify(run.errors));
  });

  it("a valid program runs to the end with no error (the harness can pass)", () => {
    const run = runProgramUnderMocks(`const p = new kp.PluginMetadata("ok", { name: "rate-limit-example", version: "1.0.0", source: { directory: "examples/plugins/rate-limit-example" } });
      new kp.PluginInstance("fine", { plugin: p.definition, config: { limit: 1 } });`);
    assert.deepEqual(run, { status: 0, errors: [] });
  });

  it("registers no cloud resources of its own", () => {
    assert.deepEqual(registered.filter((resource) => !resource.type.startsWith("kong-plugins:")), []);
  });

  it("keeps no state of its own: its outputs are made when read, and its registered state is empty and public, a secret definition's too", async () => {
    const plain = new PluginInstance("stateless", { pluginName: "key-auth", config: { key_names: ["apikey"] } });
    const secret = new PluginInstance("stateless-secret", { pluginName: "key-auth", config: { key_names: [pulumi.secret("apikey")] } });
    assert.equal(await pulumi.isSecret(secret.definition), true);
    const stateOf = async (component: PluginInstance) => {
      const urn = await valueOf(component.urn);
      await valueOf(component.definition);
      // The mocked monitor keeps what each resource registered, its inputs first, then (a
      // protobuf Struct) the outputs it registered when complete.
      for (let turn = 0; turn < 200; turn += 1) {
        const kept = (pulumi.runtime.getMonitor() as unknown as { resources: Map<string, { state?: { toJavaScript?(): unknown } }> }).resources.get(urn);
        if (typeof kept?.state?.toJavaScript === "function") return kept.state.toJavaScript();
        await new Promise((resolve) => setImmediate(resolve));
      }
      throw new Error(`${urn} registered no outputs`);
    };
    assert.deepEqual(await stateOf(plain), {});
    assert.deepEqual(await stateOf(secret), {}, "no secret marker in the state, and nothing of the definition");
    assert.deepEqual(Object.keys(plain).filter((key) => ["definition", "declarativeEntry", "effectiveConfig", "pluginName"].includes(key)).sort(), ["declarativeEntry", "definition", "effectiveConfig", "pluginName"], "the outputs are the component's own properties (the provider reads them by name)");
  });
});
