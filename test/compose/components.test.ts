import assert from "node:assert/strict";
import { join } from "node:path";
import { before, describe, it } from "node:test";
import * as pulumi from "@pulumi/pulumi";
import { parse as parseYaml } from "yaml";
import { ComposeStack, GatewayImage, DatabaseMode, KafkaMode, KnepDeployment, KnepTargetType, PluginDelivery, PluginInstance, PluginMetadata } from "pulumi-kong-plugins";
import { renderComposeProject, renderKnepComposeService, resolvePlugin, resolvePluginInstance } from "pulumi-kong-plugins/render";
import { runProgramUnderMocks } from "../helpers/program";
import { installMocks, recordRegistrations, settled, valueOf, type RegisteredResource } from "../helpers/pulumi-mocks";
import { tempDir } from "../helpers/paths";
import { demoRateLimit, rateLimitExample } from "../../examples/quickstart/rate-limit-example";

const PG_PASSWORD = "pg-pa55word-not-shown";
const SECRET_SIG_KEY = "4dabf18193072939515e22adb298388d";
let registered: RegisteredResource[];
before(() => {
  registered = installMocks();
});

function seedStack(name: string, extra: Record<string, unknown> = {}) {
  const plugin = new PluginMetadata(`${name}-plugin`, rateLimitExample());
  const demo = new PluginInstance(demoRateLimit.name, { plugin: plugin.definition, config: { limit: 100, period: "minute" } });
  const knep = new KnepDeployment(`${name}-knep`, {
    image: "registry.example.com/knep:1.0.0",
    kongAdminUrl: "http://kong:8001",
    targetType: KnepTargetType.Kafka,
    kafka: { brokers: ["kafka:9092"], topic: "kong-events" },
  });
  const stack = new ComposeStack(name, { plugins: [plugin.definition], instances: [demo.definition], knep: knep.definition, kafka: KafkaMode.KRaft, ...extra });
  return { stack, knep };
}

describe("ComposeStack under mocks", () => {
  it("outputs exactly the pure render of the same inputs", async () => {
    const { stack } = seedStack("seed");
    const expected = renderComposeProject({
      gateway: { plugins: [resolvePlugin(rateLimitExample())], delivery: PluginDelivery.Mount, instances: [resolvePluginInstance({ ...demoRateLimit, targetRef: undefined, namespace: undefined, plugin: "rate-limit-example", pluginSubsystems: ["http" as never] })] },
      knep: renderKnepComposeService({ image: "registry.example.com/knep:1.0.0", kongAdminUrl: "http://kong:8001", targetType: KnepTargetType.Kafka, kafka: { brokers: ["kafka:9092"], topic: "kong-events" } }),
      kafka: KafkaMode.KRaft,
    });
    assert.equal(await valueOf(stack.composeYaml), expected.composeYaml);
    assert.equal(await valueOf(stack.kongYaml), expected.kongYaml);
    assert.equal(await valueOf(stack.envExample), expected.envExample);
    assert.deepEqual(await valueOf(stack.files), expected.files.map((file) => file.path));
  });

  it("with outputDir, registers one folder resource with the rendered files; the KNEP is reused, not registered again", async () => {
    const dir = join(tempDir(), "stack");
    const { stack } = seedStack("folder", { outputDir: dir });
    await valueOf(stack.files);
    await settled(registered);
    const folders = registered.filter((resource) => resource.name === "folder-folder");
    assert.equal(folders.length, 1);
    assert.equal(folders[0]?.type, "pulumi-nodejs:dynamic:Resource");
    assert.equal(folders[0]?.inputs.dir, dir);
    const files = folders[0]?.inputs.files as Record<string, string>;
    assert.deepEqual(Object.keys(files).sort(), [".env.example", "docker-compose.yaml", "kong.yaml", "plugins/rate-limit-example/handler.lua", "plugins/rate-limit-example/schema.lua"]);
    assert.equal(files["docker-compose.yaml"], await valueOf(stack.composeYaml));
    assert.deepEqual(registered.filter((resource) => resource.name.startsWith("folder") && resource.type.startsWith("kubernetes:")), [], "no KNEP objects registered by the stack");
  });

  it("unsecrets only what it redacted: a secret given anywhere else keeps the rendered project secret", async () => {
    const withheldOnly = new ComposeStack("redacted-only", { instances: [new PluginInstance("token", { pluginName: "key-auth", secretConfig: { anonymous: pulumi.secret("x") } }).definition] });
    assert.equal(await pulumi.isSecret(withheldOnly.kongYaml), false, "secret config is rendered as a reference, so kong.yaml is public");
    const secretEnv = new ComposeStack("secret-env", { kongEnv: { KONG_LOG_LEVEL: pulumi.secret("debug") } });
    assert.equal(await pulumi.isSecret(secretEnv.composeYaml), true, "a secret Kong variable keeps docker-compose.yaml secret");
  });

  it("renders publicly from definitions given as one secret list, as the provider passes them, since each says where its secrets are", async () => {
    const token = new PluginInstance("lifted-token", { pluginName: "key-auth", secretConfig: { anonymous: pulumi.secret("x") } });
    const plain = new PluginInstance("lifted-plain", { pluginName: "cors" });
    const lifted = new ComposeStack("lifted", { instances: pulumi.secret(pulumi.all([plain.definition, token.definition])) });
    assert.equal(await pulumi.isSecret(lifted.kongYaml), false);
    const handWritten = new ComposeStack("hand-written", { instances: [pulumi.secret({ name: "hand", plugin: "key-auth", secretConfig: { anonymous: "x" } })] });
    assert.equal(await pulumi.isSecret(handWritten.kongYaml), true, "a secret that does not say where its secrets are is a secret whole");
  });

  it("keeps the folder's digests secret: one of .env would let a guess of the password be checked", async () => {
    const registrations = recordRegistrations();
    const stack = new ComposeStack("digests", { database: DatabaseMode.Postgres, postgres: { password: pulumi.secret(PG_PASSWORD) }, outputDir: join(tempDir(), "stack"), writeEnvFile: true });
    await valueOf(stack.files);
    await settled(registrations);
    assert.deepEqual(registrations.find((registration) => registration.name === "digests-folder")?.additionalSecretOutputs, ["written"]);
  });

  it("writes .env only when asked, as a secret input", async () => {
    const dir = join(tempDir(), "stack");
    const plugin = new PluginMetadata("env-plugin", rateLimitExample());
    const stack = new ComposeStack("env", { plugins: [plugin.definition], database: DatabaseMode.Postgres, postgres: { password: pulumi.secret(PG_PASSWORD) }, outputDir: dir, writeEnvFile: true });
    await valueOf(stack.files);
    await settled(registered);
    const inputs = registered.find((resource) => resource.name === "env-folder")?.inputs.files as Record<string, unknown>;
    assert.equal(inputs[SECRET_SIG_KEY], "1b47061264138c4ac30d75fd1eb44270", "the files reach the engine as a secret");
    assert.equal((inputs.value as Record<string, string>)[".env"], `KONG_PG_PASSWORD="${PG_PASSWORD}"\n`);
    for (const output of [stack.composeYaml, stack.kongYaml, stack.envExample]) assert.ok(!(await valueOf(output)).includes(PG_PASSWORD));
  });

  it("runs a GatewayImage's image with its KONG_PLUGINS and mounts nothing", async () => {
    const plugin = new PluginMetadata("img-plugin", rateLimitExample());
    const image = new GatewayImage("img", { plugins: [plugin.definition], imageName: "registry.example.com/kong-custom:1.0.0", luaRoot: "/opt/kong-plugins", contextDir: join(tempDir(), "ctx") });
    const demo = new PluginInstance("img-demo", { plugin: plugin.definition, config: { limit: 3 } });
    const stack = new ComposeStack("img-stack", { gatewayImage: image.definition, instances: [demo.definition] });
    const kong = parseYaml(await valueOf(stack.composeYaml)).services.kong;
    assert.equal(kong.image, "registry.example.com/kong-custom:1.0.0");
    assert.equal(kong.environment.KONG_PLUGINS, "bundled,rate-limit-example");
    assert.equal(kong.environment.KONG_LUA_PACKAGE_PATH, "/opt/kong-plugins/?.lua;/opt/kong-plugins/?/init.lua;;");
    assert.deepEqual(kong.volumes, ["./kong.yaml:/kong/declarative/kong.yaml:ro"]);
    assert.deepEqual(await valueOf(stack.files), [".env.example", "docker-compose.yaml", "kong.yaml"]);
  });

  it("fails the program with the preflight's problems as a ResourceError", () => {
    const run = runProgramUnderMocks(`
      const plugin = new kp.PluginMetadata("p", { name: "rate-limit-example", version: "1.0.0", source: { directory: "examples/plugins/rate-limit-example" } });
      const instance = new kp.PluginInstance("orphan", { plugin: plugin.definition, service: "nowhere", config: { limit: 1 } });
      const stack = new kp.ComposeStack("bad", { instances: [instance.definition] });
      await stack.composeYaml.promise();`);
    assert.equal(run.status, 1);
    const error = run.errors.find((e) => e.name === "ResourceError");
    assert.ok(error, JSON.stringify(run.errors));
    assert.match(error.message, /gateway\.instances\[0\]\.plugin: plugin 'rate-limit-example' not enabled; add it to the 'plugins' configuration property/);
    assert.match(error.message, /gateway\.instances\[0\]\.service: names no service of this gateway/);
  });
});
