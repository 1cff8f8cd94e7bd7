import assert from "node:assert/strict";
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import {
  effectiveLuaPackagePath,
  luaSearchTemplates,
  packPluginArchive,
  pluginArchiveName,
  publishArtifact,
  renderKubernetesManifests,
  resolvePlugin,
  searchModule,
  type KubernetesManifestsSpec,
} from "pulumi-kong-plugins/render";
import { KongPluginsValidationError, KubernetesDelivery, PluginDelivery, type KubernetesObject, type ResolvedPlugin } from "pulumi-kong-plugins";
import { rateLimitExample } from "../../examples/quickstart/rate-limit-example";
import { startAuthProxy } from "../helpers/auth-proxy";
import { podInitStep, runInitStep } from "../helpers/init-step";
import { tempDir } from "../helpers/paths";
import { startRegistry, type LocalRegistry } from "../helpers/registry";
import { mustRun } from "../helpers/tools";

const INSTALLER_IMAGE = `node:20-alpine@sha256:${"e".repeat(64)}`;
let registry: LocalRegistry;

function keyPair(): { privateKey: string; publicKey: string } {
  const dir = tempDir("artifact-key-");
  mustRun("openssl", ["genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", join(dir, "key.pem")]);
  mustRun("openssl", ["pkey", "-in", join(dir, "key.pem"), "-pubout", "-out", join(dir, "pub.pem")]);
  return { privateKey: readFileSync(join(dir, "key.pem"), "utf8"), publicKey: readFileSync(join(dir, "pub.pem"), "utf8") };
}

async function publish(plugin: ResolvedPlugin, privateKey: string, host = registry.host, credentials?: { username: string; password: string }) {
  return publishArtifact({
    reference: { registry: host, repository: `kong-plugins/${plugin.name}`, tag: plugin.version },
    archive: await packPluginArchive(plugin),
    fileName: pluginArchiveName(plugin),
    privateKey,
    registry: { plainHttp: true, ...(credentials ? { credentials } : {}) },
  });
}

function spec(plugin: ResolvedPlugin, reference: string, publicKey: string, extra: { registrySecret?: string } = {}): KubernetesManifestsSpec {
  return {
    delivery: KubernetesDelivery.Artifact,
    gateway: { plugins: [plugin], delivery: PluginDelivery.Mount, instances: [] },
    artifactInstall: { artifacts: { [plugin.name]: { reference, publicKey, pluginDigest: plugin.digest } }, installerImage: INSTALLER_IMAGE, plainHttp: true, ...extra },
  };
}

interface Pod {
  initContainers: { name: string; image: string; command: string[]; env: never[]; volumeMounts: { name: string; mountPath: string; readOnly?: boolean }[] }[];
  containers: { env: { name: string; value?: string }[]; volumeMounts: { name: string; mountPath: string; readOnly?: boolean }[] }[];
  volumes: { name: string; configMap?: { name: string }; emptyDir?: object }[];
}

/** Runs every init container of the rendered Deployment, in order, as the kubelet would: the first failure stops the pod. */
async function runInitContainers(manifests: ReturnType<typeof renderKubernetesManifests>, secrets = new Map<string, Record<string, string>>()) {
  const objects = manifests.entries.map((entry) => entry.object as KubernetesObject);
  const deployment = objects.find((object) => object.kind === "Deployment")!;
  const pod = (deployment.spec as unknown as { template: { spec: Pod } }).template.spec;
  const configMaps = new Map(objects.filter((object) => object.kind === "ConfigMap").map((object) => [object.metadata.name, object.data as Record<string, string>]));
  const plugins = tempDir("plugin-artifacts-");
  const emptyDirs = new Map([["plugin-artifacts", plugins]]);
  const results = [];
  for (const container of pod.initContainers) {
    const result = await runInitStep(podInitStep(container, pod.volumes, configMaps, emptyDirs, secrets));
    results.push({ container, result });
    if (result.status !== 0) break;
  }
  return { pod, plugins, results };
}

before(async () => {
  registry = await startRegistry();
});
after(async () => {
  await registry?.stop();
});

describe("artifact delivery on Kubernetes: the init container's command, run for real against a registry on 127.0.0.1", () => {
  it("verifies the signature and unpacks the plugin where Kong's rendered Lua path finds it", async () => {
    const plugin = resolvePlugin(rateLimitExample());
    const key = keyPair();
    const published = await publish(plugin, key.privateKey);
    const manifests = renderKubernetesManifests(spec(plugin, published.reference, key.publicKey));
    const { pod, plugins, results } = await runInitContainers(manifests);
    assert.equal(results.length, 1);
    const [{ container, result }] = results as [(typeof results)[number]];
    assert.equal(result.status, 0, result.stderr);
    assert.match(result.stdout, new RegExp(`verified ${published.reference.replace(/[.]/g, "\\.")} .* and installed plugin rate-limit-example`));
    assert.equal(container.image, INSTALLER_IMAGE);
    assert.deepEqual(container.command, ["node", "/opt/kong-plugins-installer/main.js"]);

    for (const file of plugin.files) assert.equal(readFileSync(join(plugins, "rate-limit-example", file.path), "utf8"), file.content, file.path);
    assert.deepEqual(readdirSync(plugins), ["rate-limit-example"], "nothing else is left in the volume");

    // Kong mounts the same volume read-only where the mount delivery's Lua path looks.
    const kong = pod.containers[0]!;
    const mount = kong.volumeMounts.find((candidate) => candidate.name === "plugin-artifacts");
    assert.deepEqual(mount, { name: "plugin-artifacts", mountPath: "/opt/kong/plugins", readOnly: true });
    const luaPath = kong.env.find((variable) => variable.name === "KONG_LUA_PACKAGE_PATH")?.value;
    assert.equal(luaPath, effectiveLuaPackagePath(spec(plugin, published.reference, key.publicKey).gateway));
    const found = searchModule("kong.plugins.rate-limit-example.handler", luaSearchTemplates(luaPath), (path) => path.startsWith("/opt/kong/plugins/") && existsSync(join(plugins, path.slice("/opt/kong/plugins/".length))));
    assert.equal(found, "/opt/kong/plugins/rate-limit-example/handler.lua");
  });

  it("fails the init container, and so never starts Kong, for a signature by another key or a tampered archive; nothing is installed", async () => {
    const plugin = resolvePlugin({ ...rateLimitExample(), version: "2.0.0" });
    const signer = keyPair();
    const published = await publish(plugin, signer.privateKey);

    const wrongKey = await runInitContainers(renderKubernetesManifests(spec(plugin, published.reference, keyPair().publicKey)));
    assert.equal(wrongKey.results[0]!.result.status, 1);
    assert.match(wrongKey.results[0]!.result.stderr, /plugin not installed: no valid signature for sha256:[a-f0-9]{64} with the given public key:\n  - payload sha256:[a-f0-9]{64}: the signature does not verify with the given public key/);
    assert.deepEqual(readdirSync(wrongKey.plugins), []);

    const archiveHex = published.archiveDigest.slice("sha256:".length);
    const stored = join(registry.dataDir, "docker/registry/v2/blobs/sha256", archiveHex.slice(0, 2), archiveHex, "data");
    const bytes = Buffer.from(readFileSync(stored));
    bytes[20] ^= 0x01;
    writeFileSync(stored, bytes);
    const tampered = await runInitContainers(renderKubernetesManifests(spec(plugin, published.reference, signer.publicKey)));
    assert.equal(tampered.results[0]!.result.status, 1);
    assert.match(tampered.results[0]!.result.stderr, new RegExp(`plugin not installed: archive of ${published.digest}: blob ${published.archiveDigest} arrived with digest sha256:[a-f0-9]{64}: refused`));
    assert.deepEqual(readdirSync(tampered.plugins), []);
  });

  it("pulls with the registry Secret's credentials through a Bearer token endpoint", async () => {
    const plugin = resolvePlugin({ ...rateLimitExample(), version: "3.0.0" });
    const credentials = { username: "puller", password: "pull-t0ken-value" };
    const proxy = await startAuthProxy(registry.host, "bearer", credentials);
    try {
      const key = keyPair();
      const published = await publish(plugin, key.privateKey, proxy.host, credentials);
      const manifests = renderKubernetesManifests(spec(plugin, published.reference, key.publicKey, { registrySecret: "registry-credentials" }));
      assert.ok(!manifests.yaml.includes(credentials.password), "the manifests reference the Secret, never its value");
      const anonymous = await runInitContainers(manifests, new Map([["registry-credentials", { username: "someone", password: "wrong" }]]));
      assert.equal(anonymous.results[0]!.result.status, 1);
      assert.match(anonymous.results[0]!.result.stderr, /token endpoint .* refused: 401/);
      const { results, plugins } = await runInitContainers(manifests, new Map([["registry-credentials", credentials]]));
      assert.equal(results[0]!.result.status, 0, results[0]!.result.stderr);
      assert.ok(existsSync(join(plugins, "rate-limit-example", "handler.lua")));
    } finally {
      await proxy.stop();
    }
  });

  it("refuses an installer image or an artifact without a digest, an artifact of other files, and a plugin without an artifact, each by its path", () => {
    const plugin = resolvePlugin(rateLimitExample());
    const key = keyPair();
    const bad: KubernetesManifestsSpec = {
      ...spec(plugin, "registry.example.com/kong-plugins/rate-limit-example:1.0.0", key.publicKey),
      gateway: { plugins: [plugin, resolvePlugin({ ...rateLimitExample(), name: "other-plugin", source: { files: Object.fromEntries(plugin.files.map((file) => [file.path, file.content.replace(/rate-limit-example/g, "other-plugin")])) } })], delivery: PluginDelivery.Mount, instances: [] },
    };
    const install = bad.artifactInstall!;
    assert.throws(
      () => renderKubernetesManifests({ ...bad, artifactInstall: { ...install, installerImage: "node:20-alpine", artifacts: { ...install.artifacts, "rate-limit-example": { ...install.artifacts["rate-limit-example"]!, pluginDigest: "sha256:0" } } } }),
      (error: KongPluginsValidationError) => {
        assert.ok(error instanceof KongPluginsValidationError);
        assert.deepEqual(error.issues.map((issue) => issue.path).sort(), [
          "artifactInstall.artifacts.other-plugin",
          "artifactInstall.artifacts.rate-limit-example.pluginDigest",
          "artifactInstall.artifacts.rate-limit-example.reference",
          "artifactInstall.installerImage",
        ].map((path) => path.replace(/\.([a-z]+-[a-z-]+)/g, '["$1"]')).sort());
        assert.match(error.message, /installerImage: is not pinned by digest/);
        assert.match(error.message, /reference: names no digest: only an artifact pinned by digest is installed/);
        return true;
      },
    );
  });

  it("refuses two plugins whose init containers would share a name (a_b and a-b)", () => {
    const plugin = resolvePlugin(rateLimitExample());
    const key = keyPair();
    const renamed = (name: string) => resolvePlugin({ ...rateLimitExample(), name, source: { files: Object.fromEntries(plugin.files.map((file) => [file.path, file.content.replace(/rate-limit-example/g, name)])) } });
    const [underscored, dashed] = [renamed("rate_limit"), renamed("rate-limit")];
    const base = spec(plugin, "registry.example.com/kong-plugins/rate-limit-example:1.0.0", key.publicKey);
    const artifact = base.artifactInstall!.artifacts["rate-limit-example"]!;
    assert.throws(
      () =>
        renderKubernetesManifests({
          ...base,
          gateway: { plugins: [underscored, dashed], delivery: PluginDelivery.Mount, instances: [] },
          artifactInstall: { ...base.artifactInstall!, artifacts: { rate_limit: { ...artifact, pluginDigest: underscored.digest }, "rate-limit": { ...artifact, pluginDigest: dashed.digest } } },
        }),
      (error: unknown) => error instanceof KongPluginsValidationError && error.issues.some((issue) => issue.path === "gateway.plugins[1].name" && /init container name "install-rate-limit"/.test(issue.message)),
    );
  });
});
