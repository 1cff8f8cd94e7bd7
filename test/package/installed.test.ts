import assert from "node:assert/strict";
import { generateKeyPairSync } from "node:crypto";
import { cpSync, mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { before, describe, it } from "node:test";
import { parse as parseYaml, parseAllDocuments } from "yaml";
import { buildContextDir, inspectImage, removeImage, standInKongImage } from "../helpers/buildah";
import { composeSchemaProblems } from "../helpers/compose";
import { builtInProblems } from "../helpers/kubernetes";
import { examplePluginDir, repoRoot, tempDir, testFixture } from "../helpers/paths";
import { readmeTypeScriptBlocks } from "../helpers/readme";
import { startRegistry } from "../helpers/registry";
import { mustRun, runTool } from "../helpers/tools";

// The package as a user gets it: packed from a copy of this working tree by `npm pack` (whose
// `prepack` builds dist/), installed from the tarball into a new project outside the
// repository, compiled against its declarations, and run through its installed bin.

/** The stack configuration the README's programs read. */
const README_CONFIG = [
  ...["--config", "ghcrToken=test-token", "--config", "pgPassword=test-password", "--config", "kafkaPassword=test-password", "--config", "konnectToken=test-token"],
  // PluginArtifact's signing key: a P-256 key in PKCS#8 PEM, made for this run.
  ...["--config", `cosignKey=${generateKeyPairSync("ec", { namedCurve: "P-256" }).privateKey.export({ format: "pem", type: "pkcs8" })}`],
];

const lockedVersion = (name: string): string => JSON.parse(readFileSync(join(repoRoot, "package-lock.json"), "utf8")).packages[`node_modules/${name}`].version;

/** Every file of the working tree that git would commit (tracked, or new and not ignored). */
function copyWorkingTree(): string {
  const copy = tempDir("package-clone-");
  const listed = mustRun("git", ["ls-files", "-z", "--cached", "--others", "--exclude-standard"], { cwd: repoRoot }).split("\0").filter(Boolean);
  for (const path of listed) cpSync(join(repoRoot, path), join(copy, path), { recursive: true });
  symlinkSync(join(repoRoot, "node_modules"), join(copy, "node_modules"));
  return copy;
}

/** A project with the example plugin at plugins/rate-limit-example and the given files. */
function writeProject(dir: string, files: Record<string, string>): void {
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(join(dir, path, ".."), { recursive: true });
    writeFileSync(join(dir, path), content);
  }
  cpSync(examplePluginDir, join(dir, "plugins", "rate-limit-example"), { recursive: true });
}

describe("installed from npm into a project of its own", () => {
  let tarball = "";
  let consumer = "";
  let install = { status: -1, stdout: "", stderr: "" };
  const bin = () => join(consumer, "node_modules", ".bin", "kong-plugins");

  before(() => {
    const packed = tempDir("package-tarball-");
    mustRun("npm", ["pack", "--silent", "--pack-destination", packed], { cwd: copyWorkingTree() });
    tarball = join(packed, readdirSync(packed).find((file) => file.endsWith(".tgz")) as string);
    consumer = tempDir("package-consumer-");
    writeFileSync(join(consumer, "package.json"), JSON.stringify({ name: "consumer", private: true }));
    const fixture = testFixture("package/fixtures/consumer");
    for (const file of readdirSync(fixture)) cpSync(join(fixture, file), join(consumer, file));
    writeProject(consumer, {});
    // From npm's cache where it can: the versions are the lockfile's, which `npm ci` fetched.
    install = runTool("npm", ["install", "--no-audit", "--no-fund", "--prefer-offline", tarball, `@pulumi/pulumi@${lockedVersion("@pulumi/pulumi")}`, `typescript@${lockedVersion("typescript")}`], { cwd: consumer });
  });

  it("installs from the tarball with no engine warning, and the tarball holds the build and nothing of tests or examples", () => {
    assert.equal(install.status, 0, install.stderr);
    assert.doesNotMatch(`${install.stdout}${install.stderr}`, /EBADENGINE/);
    const listing = mustRun("tar", ["-tzf", tarball]).split("\n");
    for (const shipped of ["dist/components/index.js", "dist/components/index.d.ts", "dist/components/render.js", "dist/cli/kong-plugins.js", "dist/provider/index.js", "provider/PulumiPlugin.yaml", "provider/schema.json"]) {
      assert.ok(listing.includes(`package/${shipped}`), `${shipped} is in the tarball`);
    }
    assert.deepEqual(listing.filter((path) => /^package\/(dist\/)?(test|examples|bench)\//.test(path)), []);
  });

  it("the installed bin answers --help and --version", () => {
    const help = mustRun(bin(), ["--help"], { cwd: consumer });
    assert.match(help, /^usage:\n  kong-plugins preview <program>/);
    assert.equal(mustRun(bin(), ["--version"], { cwd: consumer }).trim(), JSON.parse(readFileSync(join(repoRoot, "package.json"), "utf8")).version);
  });

  it("the root exports components, Args types, enums and the error; renderers come from /render; plumbing is private", () => {
    const probe = `
      const root = require("pulumi-kong-plugins");
      const render = require("pulumi-kong-plugins/render");
      let deep = "reachable";
      try { require("pulumi-kong-plugins/dist/components/core/files.js"); } catch (error) { deep = error.code; }
      process.stdout.write(JSON.stringify({ root: Object.keys(root).sort(), render: Object.keys(render).sort(), deep }));`;
    const { root, render, deep } = JSON.parse(mustRun(process.execPath, ["-e", probe], { cwd: consumer }));
    for (const name of ["PluginMetadata", "PluginInstance", "GatewayImage", "PluginImage", "KnepDeployment", "ComposeStack", "KubernetesStack", "KongPluginsValidationError", "PluginType", "KubernetesDelivery", "DatabaseMode"]) {
      assert.ok(root.includes(name), `root exports ${name}`);
    }
    for (const name of ["renderDockerfile", "renderComposeProject", "renderKubernetesManifests", "resolvePlugin", "checkGateway", "PluginType"]) assert.ok(render.includes(name), `render exports ${name}`);
    for (const plumbing of ["collectArtifacts", "reportArtifacts", "syncFolder", "removeWritten", "projectFolderProvider", "manifestKeys", "writeFilesAtomically", "replaceDirectory", "stableYaml"]) {
      assert.ok(!root.includes(plumbing) && !render.includes(plumbing), `${plumbing} is not public`);
    }
    assert.ok(!render.includes("PluginMetadata"), "the renderers' subpath holds no component");
    assert.equal(deep, "ERR_PACKAGE_PATH_NOT_EXPORTED");
  });

  it("a program using every component compiles with tsc --noEmit against the installed declarations", () => {
    const tsc = runTool(join(consumer, "node_modules", ".bin", "tsc"), ["-p", "."], { cwd: consumer });
    assert.equal(tsc.status, 0, tsc.stdout);
  });

  it("the installed bin previews it, and the real tools accept what it wrote", async () => {
    const out = join(consumer, "out");
    const run = runTool(bin(), ["preview", ".", "--out", out], { cwd: consumer });
    assert.equal(run.status, 0, `${run.stdout}${run.stderr}`);
    const resources = readFileSync(join(out, "resources.txt"), "utf8");
    for (const component of ["PluginMetadata", "PluginInstance", "GatewayImage", "PluginImage", "KnepDeployment", "ComposeStack", "KubernetesStack"]) {
      assert.match(resources, new RegExp(`kong-plugins:index:${component} `));
    }
    assert.equal(parseYaml(readFileSync(join(out, "stack-outputs.yaml"), "utf8")).rockspec, "kong-plugin-rate-limit-example-1.0.0-1.rockspec");

    const composeDir = join(out, "ComposeStack", "local");
    assert.deepEqual(composeSchemaProblems(parseYaml(readFileSync(join(composeDir, "docker-compose.yaml"), "utf8"))), []);
    const config = runTool("docker-compose", ["-f", join(composeDir, "docker-compose.yaml"), "config", "-q"], { cwd: composeDir });
    assert.equal(config.status, 0, config.stderr);

    const objects = parseAllDocuments(mustRun("kubectl", ["kustomize", join(out, "KubernetesStack", "kong")])).map((document) => document.toJSON());
    assert.ok(objects.some((object) => object.kind === "Deployment"));
    for (const object of objects) assert.deepEqual(await builtInProblems(object), [], `${object.kind} ${object.metadata.name}`);

    const rockspecDir = join(out, "PluginMetadata", "rate-limit-example");
    mustRun("luarocks", ["lint", join(rockspecDir, "kong-plugin-rate-limit-example-1.0.0-1.rockspec")]);

    standInKongImage("kong/kong-gateway:3.10");
    const tag = "localhost/kong-plugins-test/installed-gateway:1";
    try {
      buildContextDir(join(out, "GatewayImage", "gateway", "context"), tag);
      assert.equal(inspectImage(tag).env.KONG_PLUGINS, "bundled,rate-limit-example");
    } finally {
      removeImage(tag);
    }
  });

  it("ComposeStack's folder provider, serialized from the installed package, loads and writes as Pulumi's dynamic provider host runs it", () => {
    const folder = join(tempDir("package-folder-"), "local-stack");
    const result = JSON.parse(mustRun(process.execPath, ["materialize-folder.js", folder], { cwd: consumer }));
    assert.match(result.serialized, /require\("pulumi-kong-plugins\/internal\/owned-folder"\)/);
    assert.doesNotMatch(result.serialized, /require\("pulumi-kong-plugins\/dist\//);
    assert.deepEqual(result.written, [".env.example", "docker-compose.yaml", "kong.yaml"]);
    const config = runTool("docker-compose", ["-f", join(folder, "docker-compose.yaml"), "config", "-q"], { cwd: folder });
    assert.equal(config.status, 0, config.stderr);
  });

  it("PluginArtifact's push and the stacks' lifecycle providers, serialized from the installed package, run as Pulumi's dynamic provider host runs them", async () => {
    const registry = await startRegistry();
    try {
      const keys = tempDir("package-key-");
      writeFileSync(join(keys, "key.pem"), generateKeyPairSync("ec", { namedCurve: "P-256" }).privateKey.export({ format: "pem", type: "pkcs8" }));
      const result = JSON.parse(mustRun(process.execPath, ["run-providers.js", registry.host, join(keys, "key.pem"), join(tempDir("package-folder-"), "retire")], { cwd: consumer }));
      assert.match(result.pushSerialized, /require\("pulumi-kong-plugins\/internal\/artifact-publish"\)/);
      assert.match(result.lifecycleSerialized, /require\("pulumi-kong-plugins\/internal\/lifecycle"\)/);
      for (const serialized of [result.pushSerialized, result.lifecycleSerialized]) assert.doesNotMatch(serialized, /require\("pulumi-kong-plugins\/dist\//);
      assert.match(result.reference, new RegExp(`^${registry.host}/kong-plugins/installed@sha256:[a-f0-9]{64}$`));
      assert.ok(JSON.parse(mustRun("skopeo", ["inspect", "--raw", "--tls-verify=false", `docker://${result.reference}`])).layers.length === 1, "the registry holds the pushed artifact");
      assert.match(result.refusal, /rate-limit-example is dropped from the plugin list while in-use, skipping steps 1 and 2 of Kong's removal order/);
    } finally {
      await registry.stop();
    }
  });

  it("every TypeScript block of the README compiles against the installed package, and each program previews", () => {
    const blocks = readmeTypeScriptBlocks(readFileSync(join(repoRoot, "README.md"), "utf8"));
    assert.ok(blocks.length >= 5, `README has ${blocks.length} TypeScript blocks`);
    const readme = join(consumer, "readme");
    blocks.forEach((block, index) => writeProject(join(readme, `block-${index + 1}`), { "index.ts": block.code, "Pulumi.yaml": `name: readme-block-${index + 1}\nruntime: nodejs\n` }));
    const tsc = runTool(join(consumer, "node_modules", ".bin", "tsc"), ["-p", "."], { cwd: consumer });
    assert.equal(tsc.status, 0, `README blocks do not compile:\n${tsc.stdout}\n${blocks.map((block, index) => `block-${index + 1}: README.md line ${block.line}`).join("\n")}`);
    blocks.forEach((block, index) => {
      const run = runTool(bin(), ["preview", join(readme, `block-${index + 1}`), "--out", join(readme, `out-${index + 1}`), ...README_CONFIG], { cwd: consumer });
      assert.equal(run.status, 0, `README.md line ${block.line}:\n${run.stdout}${run.stderr}`);
    });
  });
});
