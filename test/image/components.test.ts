import assert from "node:assert/strict";
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { before, describe, it } from "node:test";
import * as pulumi from "@pulumi/pulumi";
import { GatewayImage, PluginImage, PluginMetadata } from "pulumi-kong-plugins";
import { renderBuildContext, renderPluginImageContext, resolvePlugin } from "pulumi-kong-plugins/render";
import { rateLimitExample } from "../../examples/quickstart/rate-limit-example";
import { contextFolderName } from "../../components/image/built-image";
import { runProgramUnderMocks } from "../helpers/program";
import { installMocks, valueOf, type RegisteredResource } from "../helpers/pulumi-mocks";
import { tempDir } from "../helpers/paths";

let registered: RegisteredResource[];
before(() => {
  registered = installMocks();
});

const PASSWORD = "registry-t0ken-never-shown";
/** How the Pulumi SDK marks a secret value in what it sends the engine (runtime/rpc.ts specialSigKey/specialSecretSig). */
const SECRET_SIG_KEY = "4dabf18193072939515e22adb298388d";
const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";
const images = (name: string) => registered.filter((resource) => resource.type === "docker:index/image:Image" && resource.name === name);

describe("GatewayImage build contexts", () => {
  it("derive a folder under .kong-plugins/ from any resource name, never outside it", () => {
    assert.equal(contextFolderName("gateway"), "gateway");
    for (const name of ["../src", "..", "a/b", "/etc", ".hidden", "név"]) {
      const folder = contextFolderName(name);
      assert.match(folder, /^[A-Za-z0-9][A-Za-z0-9._-]*$/, name);
      assert.notEqual(folder, contextFolderName(`${name}x`), "names stay apart");
    }
  });

  it("a GatewayImage named ../src writes its context under .kong-plugins/ and leaves ../src alone", async () => {
    const project = join(tempDir(), "project");
    mkdirSync(join(project, "..", "src"), { recursive: true });
    writeFileSync(join(project, "..", "src", "main.ts"), "the user's code");
    mkdirSync(project);
    const cwd = process.cwd();
    try {
      process.chdir(project);
      const plugin = new PluginMetadata("rl-src", rateLimitExample());
      const gateway = new GatewayImage("../src", { plugins: [plugin.definition], imageName: "registry.example.com/acme/kong:1" });
      await valueOf(gateway.contextDigest);
      assert.deepEqual(readdirSync(join(project, "..", "src")), ["main.ts"]);
      assert.deepEqual(readdirSync(join(project, ".kong-plugins")), [contextFolderName("../src")]);
    } finally {
      process.chdir(cwd);
    }
  });
});

describe("GatewayImage under mocks", () => {
  it("registers one docker.Image on the rendered context, with the registry password kept secret", async () => {
    const plugin = new PluginMetadata("rl", rateLimitExample());
    const contextDir = join(tempDir(), "gateway");
    const gateway = new GatewayImage("gateway", {
      plugins: [plugin.definition],
      imageName: "registry.example.com/acme/kong-gateway:1.0.0",
      registry: { server: "registry.example.com", username: "ci", password: PASSWORD },
      platform: "linux/amd64",
      env: { KONG_LOG_LEVEL: "info" },
      contextDir,
    });
    const expected = await renderBuildContext({ plugins: [resolvePlugin(rateLimitExample())], env: { KONG_LOG_LEVEL: "info" } });
    assert.equal(await valueOf(gateway.dockerfile), expected.dockerfile);
    assert.equal(await valueOf(gateway.contextDigest), expected.digest);
    assert.deepEqual(await valueOf(gateway.plugins), ["rate-limit-example@1.0.0"]);
    assert.equal(await valueOf(gateway.imageName), "registry.example.com/acme/kong-gateway:1.0.0");
    assert.equal(readFileSync(join(contextDir, "Dockerfile"), "utf8"), expected.dockerfile, "the context is on disk for the build");

    const [image, ...others] = images("gateway-image");
    assert.ok(image, "one docker:index/image:Image named gateway-image");
    assert.deepEqual(others, []);
    const build = image.inputs.build as Record<string, unknown>;
    assert.deepEqual(build, { context: contextDir, dockerfile: join(contextDir, "Dockerfile"), platform: "linux/amd64" });
    assert.equal(image.inputs.skipPush, false, "a registry means push");
    // The engine receives the registry as a secret value: Pulumi's secret signature wraps it.
    const registry = image.inputs.registry as Record<string, unknown>;
    assert.equal(registry[SECRET_SIG_KEY], SECRET_SIG);
    assert.equal((registry.value as Record<string, unknown>).password, PASSWORD);
    for (const output of [gateway.dockerfile, gateway.contextDigest, gateway.plugins]) {
      assert.ok(!JSON.stringify(await valueOf(output as pulumi.Output<unknown>)).includes(PASSWORD));
    }
  });

  it("does not push without a registry, unless asked", async () => {
    const plugin = new PluginMetadata("rl-local", rateLimitExample());
    const local = new GatewayImage("local", { plugins: [plugin.definition], imageName: "kong-local:dev", contextDir: join(tempDir(), "local") });
    await valueOf(local.imageName); // resolves once the docker.Image is registered
    assert.equal(images("local-image")[0]?.inputs.skipPush, true);
    assert.equal(images("local-image")[0]?.inputs.registry, undefined);
  });
});

describe("PluginImage under mocks", () => {
  it("registers one docker.Image on the scratch context", async () => {
    const plugin = new PluginMetadata("rl-op", rateLimitExample());
    const contextDir = join(tempDir(), "plugin-image");
    const component = new PluginImage("rl-plugin", { plugin: plugin.definition, imageName: "ghcr.io/acme/rate-limit-example:1.0.0", contextDir });
    const expected = renderPluginImageContext(resolvePlugin(rateLimitExample()));
    assert.equal(await valueOf(component.dockerfile), expected.dockerfile);
    assert.equal(await valueOf(component.contextDigest), expected.digest);
    await valueOf(component.imageName);
    assert.equal(images("rl-plugin-image").length, 1);
  });
});

describe("image components in a failing program", () => {
  it("reports duplicate plugins as a ResourceError", () => {
    const run = runProgramUnderMocks(`
      const plugin = new kp.PluginMetadata("rl", { name: "rate-limit-example", version: "1.0.0", source: { directory: "examples/plugins/rate-limit-example" } });
      const image = new kp.GatewayImage("dup", { plugins: [plugin.definition, plugin.definition], imageName: "x:1", contextDir: require("os").tmpdir() + "/kp-dup-" + process.pid });
      await image.dockerfile.promise();`);
    assert.equal(run.status, 1);
    assert.ok(run.errors.some((e) => e.name === "ResourceError" && /plugins\[1\]\.name: names a plugin that is already in the image/.test(e.message)), JSON.stringify(run.errors));
  });

  it("reports a bad plugin and a bad image spec at once: one does not hide the other", () => {
    const run = runProgramUnderMocks(`
      const plugin = { name: "rate-limit-example", version: "9.9.9-bad", source: { directory: "examples/plugins/rate-limit-example" } };
      const image = new kp.GatewayImage("both", { plugins: [plugin], imageName: "x:1", baseImage: "Not An Image", luaRoot: "relative/path" });
      await image.dockerfile.promise();`);
    assert.equal(run.status, 1);
    const error = run.errors.find((e) => e.name === "ResourceError");
    assert.ok(error, JSON.stringify(run.errors));
    for (const path of ["plugins[0].version", "baseImage", "luaRoot"]) assert.ok(error.message.includes(`  - ${path}`), `${path} in ${error.message}`);
  });
});
