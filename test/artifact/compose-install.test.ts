import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { parse } from "yaml";
import { packPluginArchive, pluginArchiveName, publishArtifact, renderComposeProject, resolvePlugin, type ComposeProjectSpec } from "pulumi-kong-plugins/render";
import { KongPluginsValidationError, PluginDelivery, type ResolvedPlugin } from "pulumi-kong-plugins";
import { writeOwnedFolder } from "../../components/core/owned-folder";
import { rateLimitExample } from "../../examples/quickstart/rate-limit-example";
import { composeSchemaProblems } from "../helpers/compose";
import { runInitStep } from "../helpers/init-step";
import { tempDir } from "../helpers/paths";
import { startRegistry, type LocalRegistry } from "../helpers/registry";
import { mustRun, runTool } from "../helpers/tools";

const INSTALLER_IMAGE = `node:20-alpine@sha256:${"e".repeat(64)}`;
let registry: LocalRegistry;

function keyPair(): { privateKey: string; publicKey: string } {
  const dir = tempDir("artifact-key-");
  mustRun("openssl", ["genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", join(dir, "key.pem")]);
  mustRun("openssl", ["pkey", "-in", join(dir, "key.pem"), "-pubout", "-out", join(dir, "pub.pem")]);
  return { privateKey: readFileSync(join(dir, "key.pem"), "utf8"), publicKey: readFileSync(join(dir, "pub.pem"), "utf8") };
}

function project(plugin: ResolvedPlugin, reference: string, publicKey: string, registrySecret?: string): ComposeProjectSpec {
  return {
    gateway: { plugins: [plugin], delivery: PluginDelivery.Mount, instances: [] },
    artifactInstall: { artifacts: { [plugin.name]: { reference, publicKey, pluginDigest: plugin.digest } }, installerImage: INSTALLER_IMAGE, plainHttp: true, ...(registrySecret ? { registrySecret } : {}) },
  };
}

/** Writes the project, resolves it with `docker-compose config`, and returns the resolved document. */
function resolvedProject(spec: ComposeProjectSpec, env: Record<string, string> = {}): { dir: string; config: { services: Record<string, any>; volumes?: Record<string, unknown> } } {
  const dir = join(tempDir("compose-artifact-"), "project");
  const rendered = renderComposeProject(spec);
  assert.deepEqual(composeSchemaProblems(parse(rendered.composeYaml)), [], "the compose specification's schema accepts it");
  writeOwnedFolder(dir, rendered.files);
  const run = runTool("docker-compose", ["-f", join(dir, "docker-compose.yaml"), "config"], { cwd: dir, env: { PATH: process.env.PATH ?? "", ...env } });
  assert.equal(run.status, 0, run.stderr);
  return { dir, config: parse(run.stdout) };
}

/** Runs a resolved compose service's command: binds as their host folders, the named volume as `volumeDir`. */
function runService(service: { command: string[]; environment?: Record<string, string>; volumes: string[] }, volumeDir: string) {
  const mounts = new Map<string, string>();
  for (const volume of service.volumes) {
    const [source, target] = volume.split(":") as [string, string];
    mounts.set(target, source.startsWith("/") ? source : volumeDir);
  }
  return runInitStep({ command: service.command, env: service.environment ?? {}, mounts });
}

before(async () => {
  registry = await startRegistry();
});
after(async () => {
  await registry?.stop();
});

describe("artifact delivery in compose: the installer service, resolved by docker-compose and run for real", () => {
  it("Kong waits for the installer to complete successfully, and the installer installs the verified plugin into Kong's read-only volume", async () => {
    const plugin = resolvePlugin(rateLimitExample());
    const key = keyPair();
    const published = await publishArtifact({
      reference: { registry: registry.host, repository: "kong-plugins/compose", tag: "1.0.0" },
      archive: await packPluginArchive(plugin),
      fileName: pluginArchiveName(plugin),
      privateKey: key.privateKey,
      registry: { plainHttp: true },
    });
    const { config } = resolvedProject(project(plugin, published.reference, key.publicKey));
    const kong = config.services.kong;
    assert.deepEqual(kong.depends_on, { "install-rate-limit-example": { condition: "service_completed_successfully" } });
    assert.ok(kong.volumes.includes("plugin-artifacts:/opt/kong/plugins:ro"), JSON.stringify(kong.volumes));
    assert.ok(config.volumes && "plugin-artifacts" in config.volumes);
    const installer = config.services["install-rate-limit-example"];
    assert.equal(installer.image, INSTALLER_IMAGE);
    assert.equal(installer.restart, "no");

    const volume = tempDir("plugin-artifacts-");
    const result = await runService(installer, volume);
    assert.equal(result.status, 0, result.stderr);
    for (const file of plugin.files) assert.equal(readFileSync(join(volume, "rate-limit-example", file.path), "utf8"), file.content);

    const wrongKey = resolvedProject(project(plugin, published.reference, keyPair().publicKey));
    const emptyVolume = tempDir("plugin-artifacts-");
    const refused = await runService(wrongKey.config.services["install-rate-limit-example"], emptyVolume);
    assert.equal(refused.status, 1);
    assert.match(refused.stderr, /the signature does not verify with the given public key/);
    assert.deepEqual(readdirSync(emptyVolume), []);
  });

  it("reads registry credentials from .env variables, never writing their values", () => {
    const plugin = resolvePlugin(rateLimitExample());
    const rendered = renderComposeProject(project(plugin, `registry.example.com/kong-plugins/x@sha256:${"a".repeat(64)}`, keyPair().publicKey, "yes"));
    assert.deepEqual(rendered.secretVariables, ["REGISTRY_USERNAME", "REGISTRY_PASSWORD"]);
    assert.match(rendered.envExample, /REGISTRY_PASSWORD/);
    const { config } = resolvedProject(project(plugin, `registry.example.com/kong-plugins/x@sha256:${"a".repeat(64)}`, keyPair().publicKey, "yes"), { REGISTRY_USERNAME: "puller", REGISTRY_PASSWORD: "pull-secret" });
    assert.equal(config.services["install-rate-limit-example"].environment.REGISTRY_PASSWORD, "pull-secret", "docker-compose interpolates it from the environment");
    assert.ok(!rendered.composeYaml.includes("pull-secret"));
  });

  it("refuses a tag-only installer image and a gateway image with the artifact install, by path", () => {
    const plugin = resolvePlugin(rateLimitExample());
    const spec = project(plugin, `registry.example.com/kong-plugins/x@sha256:${"a".repeat(64)}`, keyPair().publicKey);
    assert.throws(
      () => renderComposeProject({ ...spec, artifactInstall: { ...spec.artifactInstall!, installerImage: "node:20" } }),
      (error: KongPluginsValidationError) => error.issues.some((issue) => issue.path === "artifactInstall.installerImage" && /not pinned by digest/.test(issue.message)),
    );
  });
});
