import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import * as pulumi from "@pulumi/pulumi";
import { ComposeStack, KubernetesDelivery, KubernetesStack, PluginArtifact } from "pulumi-kong-plugins";
import { RegistryClient, packPluginArchive, pluginArchiveName, readPublicKey, resolvePlugin, resolvePluginArtifact, verifyArtifact } from "pulumi-kong-plugins/render";
import { createRequire } from "node:module";
import type { SignedArtifactInputs, SignedArtifactOutputs } from "../../components/artifact/artifact-provider";
import { contentDigest } from "../../components/core/digest";
import { rateLimitExample } from "../../examples/quickstart/rate-limit-example";
import { examplePluginDir, tempDir } from "../helpers/paths";
import { runProgramUnderMocks } from "../helpers/program";
import { installMocks, recordRegistrations, settled, valueOf, type RegisteredResource, type Registration } from "../helpers/pulumi-mocks";
import { startRegistry, type LocalRegistry } from "../helpers/registry";
import { mustRun } from "../helpers/tools";

const SECRET_SIG_KEY = "4dabf18193072939515e22adb298388d";
const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";
const REGISTRY_PASSWORD = "registry-pa55word-value";

function opensslKey(): { privateKey: string; publicKey: string } {
  const dir = tempDir("artifact-key-");
  mustRun("openssl", ["genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", join(dir, "key.pem")]);
  mustRun("openssl", ["pkey", "-in", join(dir, "key.pem"), "-pubout", "-out", join(dir, "pub.pem")]);
  return { privateKey: readFileSync(join(dir, "key.pem"), "utf8"), publicKey: readFileSync(join(dir, "pub.pem"), "utf8") };
}

const key = opensslKey();
const keyBody = (pem: string) => pem.split("\n").filter((line) => line && !line.startsWith("-----")).join("");
/** Pulumi's own loader of a serialized dynamic provider, as its dynamic provider host uses it. */
const requireFromString = createRequire(require.resolve("@pulumi/pulumi"))("require-from-string") as (code: string) => { handler(): pulumi.dynamic.ResourceProvider };
/** The push provider as the engine runs it: deserialized from what PluginArtifact registered. */
let signedArtifactProvider: pulumi.dynamic.ResourceProvider;
let registered: RegisteredResource[];
let registrations: Registration[];
let registry: LocalRegistry;

before(async () => {
  registered = installMocks();
  registrations = recordRegistrations();
  registry = await startRegistry();
});
after(async () => {
  await registry?.stop();
});

describe("PluginArtifact under mocks", () => {
  it("registers one push resource whose secrets reach the engine as secrets, and outputs nothing secret", async () => {
    const artifact = new PluginArtifact("rate-limit-artifact", {
      plugin: rateLimitExample(),
      repository: "ghcr.io/acme/kong-plugins/rate-limit-example",
      signingKey: key.privateKey,
      username: "ci",
      password: REGISTRY_PASSWORD,
    });
    const publicKey = await valueOf(artifact.publicKey);
    assert.equal(publicKey, key.publicKey, "the public key is openssl's, derived from the private key");
    assert.equal(pulumi.isSecret(artifact.publicKey) instanceof Promise ? await pulumi.isSecret(artifact.publicKey) : false, false);
    await valueOf(artifact.archiveDigest);
    await settled(registrations);
    const push = registered.find((resource) => resource.name === "rate-limit-artifact-push");
    assert.ok(push, "the push resource is registered as <name>-push");
    assert.equal(push.type, "pulumi-nodejs:dynamic:Resource");
    const inputs = push.inputs as Record<string, unknown>;
    signedArtifactProvider = requireFromString(inputs.__provider as string).handler();
    assert.equal(inputs.tag, "1.0.0", "the tag defaults to the plugin's version");
    assert.equal(inputs.registry, "ghcr.io");
    assert.equal(inputs.repository, "acme/kong-plugins/rate-limit-example");
    const archive = await packPluginArchive(resolvePlugin(rateLimitExample()));
    assert.equal(inputs.archive, archive.toString("base64"));
    assert.equal(inputs.archiveDigest, contentDigest(archive));

    const registration = registrations.find((entry) => entry.name === "rate-limit-artifact-push")!;
    for (const secretInput of ["privateKey", "username", "password"]) {
      assert.equal((registration.inputs[secretInput] as Record<string, unknown>)[SECRET_SIG_KEY], SECRET_SIG, `${secretInput} reaches the engine as a secret`);
    }
    for (const [name, value] of Object.entries(registration.inputs)) {
      if (["privateKey", "username", "password"].includes(name)) continue;
      const text = JSON.stringify(value) ?? "";
      assert.ok(!text.includes(keyBody(key.privateKey).slice(0, 40)) && !text.includes(REGISTRY_PASSWORD), `${name} holds no secret`);
    }
    const component = registrations.find((entry) => entry.name === "rate-limit-artifact" && entry.type === "kong-plugins:index:PluginArtifact");
    assert.ok(component);
  });

  it("refuses a malformed repository and a key that is not P-256, naming the fields and not the key", async () => {
    const dir = tempDir();
    mustRun("openssl", ["genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-384", "-out", join(dir, "p384.pem")]);
    const p384 = readFileSync(join(dir, "p384.pem"), "utf8");
    assert.throws(
      () => resolvePluginArtifact({ repository: "Not A Repo", signingKey: p384 }, "1.0.0"),
      (error: Error & { issues?: { path: string }[] }) => {
        assert.deepEqual(error.issues?.map((issue) => issue.path), ["repository", "signingKey"]);
        assert.ok(!error.message.includes(keyBody(p384).slice(0, 40)), "the key's text is not in the error");
        return true;
      },
    );
    assert.throws(() => resolvePluginArtifact({ repository: "ghcr.io/acme/x@sha256:" + "a".repeat(64), signingKey: key.privateKey }, "1.0.0"), /repository: names a tag or digest/);
    assert.throws(() => resolvePluginArtifact({ repository: "ghcr.io/acme/x", tag: "-bad tag", signingKey: key.privateKey }, "1.0.0"), /tag: is not a tag the OCI distribution spec accepts/);
    assert.equal(resolvePluginArtifact({ repository: "127.0.0.1:5000/acme/x", tag: "stable", signingKey: key.privateKey }, "1.0.0").tag, "stable");
    const run = runProgramUnderMocks(`
      const artifact = new kp.PluginArtifact("bad-artifact", { plugin: { name: "rate-limit-example", source: { directory: ${JSON.stringify(examplePluginDir)} } },
        repository: "ghcr.io/acme/x", signingKey: pulumi.secret(${JSON.stringify(p384)}) });
      await artifact.publicKey.promise();`);
    assert.equal(run.status, 1);
    const error = run.errors.find((e) => e.name === "ResourceError");
    assert.ok(error && /signingKey: the private key is ec on secp384r1/.test(error.message), JSON.stringify(run.errors));
    assert.ok(!JSON.stringify(run.errors).includes(keyBody(p384).slice(0, 40)), "the key's text is not in the program's errors");
  });
});

describe("the push provider against a registry on 127.0.0.1", () => {
  it("creates, changes nothing for the same archive and key, publishes again for a new archive, and leaves the registry alone on delete", async () => {
    const plugin = resolvePlugin(rateLimitExample());
    const archive = await packPluginArchive(plugin);
    const where = resolvePluginArtifact({ repository: `${registry.host}/kong-plugins/provider`, signingKey: key.privateKey, plainHttp: true }, plugin.version);
    const inputs: SignedArtifactInputs = {
      registry: where.registry,
      repository: where.repository,
      tag: where.tag,
      archive: archive.toString("base64"),
      archiveDigest: contentDigest(archive),
      fileName: pluginArchiveName(plugin),
      publicKey: where.publicKey,
      plainHttp: true,
      privateKey: key.privateKey,
    };
    const created = await signedArtifactProvider.create!(inputs);
    const outs = created.outs as SignedArtifactOutputs;
    assert.equal(created.id, outs.reference);
    assert.ok(!JSON.stringify(outs).includes(keyBody(key.privateKey).slice(0, 40)), "the state holds no private key");
    const client = new RegistryClient(where, { plainHttp: true });
    await verifyArtifact(client, outs.digest, readPublicKey(key.publicKey));

    assert.deepEqual(await signedArtifactProvider.diff!(created.id, outs, { ...inputs, password: "new-password", username: "someone" }), { changes: false });
    const newer = resolvePlugin({ ...rateLimitExample(), version: "1.1.0" });
    const newArchive = await packPluginArchive(newer);
    const changed = { ...inputs, tag: "1.1.0", archive: newArchive.toString("base64"), archiveDigest: contentDigest(newArchive), fileName: pluginArchiveName(newer) };
    const diff = await signedArtifactProvider.diff!(created.id, outs, changed);
    assert.equal(diff.changes, true);
    assert.deepEqual(diff.replaces, [], "a new archive is an update: the old artifact stays for gateways pinned to it");
    const updated = (await signedArtifactProvider.update!(created.id, outs, changed)).outs as SignedArtifactOutputs;
    assert.notEqual(updated.digest, outs.digest);
    await verifyArtifact(client, updated.digest, readPublicKey(key.publicKey));

    const other = opensslKey();
    assert.equal((await signedArtifactProvider.diff!(created.id, updated, { ...changed, publicKey: other.publicKey, privateKey: other.privateKey })).changes, true, "a new signer signs again");

    await signedArtifactProvider.delete!(created.id, outs);
    await verifyArtifact(client, outs.digest, readPublicKey(key.publicKey));
  });
});

describe("stacks with the artifact delivery, under mocks", () => {
  it("KubernetesStack registers the installer and keys ConfigMaps beside the Deployment whose init containers install each plugin", async () => {
    const plugin = resolvePlugin(rateLimitExample());
    const definition = { pluginName: plugin.name, reference: `ghcr.io/acme/kong-plugins/rate-limit-example@sha256:${"a".repeat(64)}`, publicKey: key.publicKey, pluginDigest: plugin.digest };
    const stack = new KubernetesStack("edge", {
      delivery: KubernetesDelivery.Artifact,
      plugins: [rateLimitExample()],
      pluginArtifacts: { artifacts: [definition], installerImage: `node:20-alpine@sha256:${"e".repeat(64)}`, registrySecret: "ghcr-pull" },
    });
    const manifests = await valueOf(stack.manifests);
    await settled(registrations);
    const mine = registered.filter((resource) => resource.name.startsWith("edge")).map((resource) => `${resource.type} ${resource.name}`);
    for (const expected of ["kubernetes:core/v1:ConfigMap edge-plugin-installer", "kubernetes:core/v1:ConfigMap edge-plugin-keys", "kubernetes:apps/v1:Deployment edge"]) {
      assert.ok(mine.includes(expected), `${expected} in ${mine.join(", ")}`);
    }
    const deployment = manifests.find((object) => object.kind === "Deployment")!;
    const init = deployment.spec.template.spec.initContainers;
    assert.deepEqual(init.map((container: { name: string }) => container.name), ["install-rate-limit-example"]);
    assert.ok(!mine.some((entry) => entry.startsWith("kubernetes:core/v1:ConfigMap edge-plugin-rate-limit-example")), "no plugin ConfigMap: the files come from the artifact");
  });

  it("ComposeStack renders the installer service and Kong's dependency on it", async () => {
    const plugin = resolvePlugin(rateLimitExample());
    const definition = { pluginName: plugin.name, reference: `ghcr.io/acme/kong-plugins/rate-limit-example@sha256:${"a".repeat(64)}`, publicKey: key.publicKey, pluginDigest: plugin.digest };
    const stack = new ComposeStack("local", { plugins: [rateLimitExample()], pluginArtifacts: { artifacts: [definition], installerImage: `node:20-alpine@sha256:${"e".repeat(64)}` } });
    const compose = await valueOf(stack.composeYaml);
    assert.match(compose, /install-rate-limit-example:\n\s+condition: service_completed_successfully/);
    assert.match(compose, /plugin-artifacts:\/opt\/kong\/plugins:ro/);
  });
});
