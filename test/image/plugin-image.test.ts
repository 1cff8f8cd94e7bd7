import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { gunzipSync } from "node:zlib";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { DockerfileParser } from "dockerfile-ast";
import { validate } from "dockerfile-utils";
import { KongPluginsValidationError, type ResolvedPlugin } from "pulumi-kong-plugins";
import { pluginImageLayerBytes, renderPluginImageContext, resolvePlugin } from "pulumi-kong-plugins/render";
import { writeOwnedFolder } from "../../components/core/owned-folder";
import { buildah, buildContextDir, removeImage } from "../helpers/buildah";
import { tempDir, testFixture } from "../helpers/paths";
import { startRegistry, type LocalRegistry } from "../helpers/registry";
import { mustRun } from "../helpers/tools";
import { rateLimitExample } from "../../examples/quickstart/rate-limit-example";

const rateLimit: ResolvedPlugin = resolvePlugin(rateLimitExample());
const TAG = "localhost/kong-plugins-test/plugin-image:1.0.0";
let registry: LocalRegistry;

before(async () => {
  registry = await startRegistry();
});
after(async () => {
  removeImage(TAG);
  await registry?.stop();
});

describe("PluginImage (Kong Operator's KongPluginInstallation format)", () => {
  it("renders FROM scratch with one COPY of handler.lua and schema.lua to the root", () => {
    const { dockerfile, files } = renderPluginImageContext(rateLimit);
    assert.deepEqual(validate(dockerfile), []);
    const instructions = DockerfileParser.parse(dockerfile).getInstructions();
    assert.deepEqual(instructions.map((i) => `${i.getKeyword()} ${i.getKeyword() === "LABEL" ? "" : i.getArgumentsContent()}`.trim()), ["FROM scratch", "COPY handler.lua schema.lua /", "LABEL"]);
    assert.deepEqual(files.map((file) => file.path), [".dockerignore", "Dockerfile", "handler.lua", "schema.lua"]);
  });

  it("builds with buildah, pushes to a registry on 127.0.0.1, and reads back as one layer holding exactly the two files", async () => {
    const context = join(tempDir(), "context");
    writeOwnedFolder(context, renderPluginImageContext(rateLimit).files);
    buildContextDir(context, TAG);
    const reference = `${registry.host}/kong-plugins/rate-limit-example:1.0.0`;
    buildah(["push", "--tls-verify=false", TAG, `docker://${reference}`]);

    const inspected = JSON.parse(mustRun("skopeo", ["inspect", "--tls-verify=false", `docker://${reference}`]));
    assert.equal(inspected.Layers.length, 1);
    assert.equal(inspected.Labels["org.opencontainers.image.title"], "rate-limit-example");

    const copy = join(tempDir(), "copy");
    mustRun("skopeo", ["copy", "--src-tls-verify=false", `docker://${reference}`, `dir:${copy}`]);
    const manifest = JSON.parse(readFileSync(join(copy, "manifest.json"), "utf8"));
    assert.equal(manifest.layers.length, 1);
    const layer = join(copy, manifest.layers[0].digest.replace(/^sha256:/, ""));
    assert.ok(readdirSync(copy).includes(manifest.layers[0].digest.replace(/^sha256:/, "")));
    const entries = mustRun("tar", ["-tzf", layer]).trim().split("\n").map((entry) => entry.replace(/^\.\//, "")).filter((entry) => entry !== "" && entry !== ".");
    assert.deepEqual(entries.sort(), ["handler.lua", "schema.lua"]);
    const extracted = join(tempDir(), "layer");
    mustRun("mkdir", ["-p", extracted]);
    mustRun("tar", ["-xzf", layer, "-C", extracted]);
    assert.equal(readFileSync(join(extracted, "handler.lua"), "utf8"), rateLimit.files.find((f) => f.path === "handler.lua")?.content);
    // The operator's 1 MiB limit is on this decompressed layer, headers included.
    assert.equal(gunzipSync(readFileSync(layer)).length, pluginImageLayerBytes(rateLimit));
  });

  it("rejects a plugin with other files, pointing to GatewayImage or ConfigMap delivery", () => {
    const dbPlugin = resolvePlugin({ name: "db-plugin", version: "1.0.0", source: { directory: testFixture("plugin/fixtures/db-plugin") } });
    assert.throws(() => renderPluginImageContext(dbPlugin), (error: unknown) => {
      assert.ok(error instanceof KongPluginsValidationError);
      assert.match(error.message, /GatewayImage or as ConfigMaps/);
      assert.deepEqual(error.issues[0]?.received, ["daos.lua", "migrations/000_base_db_plugin.lua", "migrations/init.lua"]);
      return true;
    });
  });

  it("rejects a plugin over 1 MiB, pointing to GatewayImage", () => {
    const big = { ...rateLimit, files: rateLimit.files.map((f) => (f.path === "handler.lua" ? { ...f, content: `${f.content}--${"x".repeat(1024 * 1024)}\n` } : f)) };
    assert.throws(() => renderPluginImageContext(big), /larger than the 1 MiB .* GatewayImage/);
  });

  it("measures the layer, not the files: files of 1 MiB less 1,000 bytes make a layer over the limit", () => {
    const schema = rateLimit.files.find((f) => f.path === "schema.lua")?.content ?? "";
    const filler = 1024 * 1024 - 1000 - Buffer.byteLength(schema) - 3;
    const nearly = { ...rateLimit, files: [{ path: "handler.lua", content: `--${"x".repeat(filler)}\n` }, { path: "schema.lua", content: schema }] };
    assert.equal(nearly.files.reduce((total, file) => total + Buffer.byteLength(file.content), 0), 1024 * 1024 - 1000);
    assert.ok(pluginImageLayerBytes(nearly) > 1024 * 1024);
    assert.throws(() => renderPluginImageContext(nearly), /larger than the 1 MiB/);
  });
});
