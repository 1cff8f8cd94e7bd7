import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import {
  ARCHIVE_MEDIA_TYPE,
  ArtifactVerificationError,
  OCI_MANIFEST_MEDIA_TYPE,
  RegistryClient,
  RegistryError,
  SIGNATURE_ANNOTATION,
  SIMPLE_SIGNING_MEDIA_TYPE,
  SigningKeyError,
  packPluginArchive,
  pluginArchiveName,
  publishArtifact,
  readPublicKey,
  readSigningKey,
  readCosignSigningKey,
  resolvePlugin,
  verifyArtifact,
} from "pulumi-kong-plugins/render";
import { rateLimitExample } from "../../examples/quickstart/rate-limit-example";
import { startAuthProxy } from "../helpers/auth-proxy";
import { tempDir } from "../helpers/paths";
import { startRegistry, type LocalRegistry } from "../helpers/registry";
import { mustRun, runTool } from "../helpers/tools";

const plugin = resolvePlugin(rateLimitExample());
let registry: LocalRegistry;
let archive: Buffer;

/** A P-256 key pair made by openssl, the tool users make keys with outside cosign. */
function keyPair(): { dir: string; privateKey: string; publicKey: string; publicKeyPath: string } {
  const dir = tempDir("artifact-key-");
  mustRun("openssl", ["genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", join(dir, "key.pem")]);
  mustRun("openssl", ["pkey", "-in", join(dir, "key.pem"), "-pubout", "-out", join(dir, "pub.pem")]);
  return { dir, privateKey: readFileSync(join(dir, "key.pem"), "utf8"), publicKey: readFileSync(join(dir, "pub.pem"), "utf8"), publicKeyPath: join(dir, "pub.pem") };
}

function skopeoRaw(reference: string): Buffer {
  return Buffer.from(mustRun("skopeo", ["inspect", "--raw", "--tls-verify=false", `docker://${reference}`]), "utf8");
}

before(async () => {
  registry = await startRegistry();
  archive = await packPluginArchive(plugin);
});
after(async () => {
  await registry?.stop();
});

describe("PluginArtifact: push and sign in cosign's format", () => {
  it("pushes the archive as `cosign upload blob` does, and skopeo reads the manifest back by the digest reference", async () => {
    const key = keyPair();
    const published = await publishArtifact({
      reference: { registry: registry.host, repository: "kong-plugins/rate-limit-example", tag: "1.0.0" },
      archive,
      fileName: pluginArchiveName(plugin),
      privateKey: key.privateKey,
      registry: { plainHttp: true },
    });
    assert.match(published.reference, new RegExp(`^${registry.host}/kong-plugins/rate-limit-example@sha256:[a-f0-9]{64}$`));

    const raw = skopeoRaw(published.reference);
    // skopeo prints the manifest's bytes as the registry stores them: their digest is the reference's.
    assert.equal(`sha256:${createHash("sha256").update(raw).digest("hex")}`, published.digest);
    const manifest = JSON.parse(raw.toString("utf8"));
    assert.equal(manifest.mediaType, OCI_MANIFEST_MEDIA_TYPE);
    assert.equal(manifest.config.mediaType, "application/vnd.oci.image.config.v1+json");
    assert.equal(manifest.layers.length, 1);
    assert.equal(manifest.layers[0].mediaType, ARCHIVE_MEDIA_TYPE);
    assert.equal(manifest.layers[0].annotations["org.opencontainers.image.title"], "rate-limit-example-1.0.0.tar.gz");
    // The tag names the same manifest.
    assert.deepEqual(skopeoRaw(`${registry.host}/kong-plugins/rate-limit-example:1.0.0`), raw);

    // skopeo copies the image out: its one layer is the archive, byte for byte.
    const copy = join(tempDir(), "copy");
    mustRun("skopeo", ["copy", "--src-tls-verify=false", `docker://${published.reference}`, `dir:${copy}`]);
    assert.deepEqual(readFileSync(join(copy, manifest.layers[0].digest.slice("sha256:".length))), archive);
  });

  it("stores the signature where `cosign verify --key` looks, and openssl verifies it over the simple-signing payload", async () => {
    const key = keyPair();
    const published = await publishArtifact({
      reference: { registry: registry.host, repository: "kong-plugins/signed", tag: "1.0.0" },
      archive,
      fileName: pluginArchiveName(plugin),
      privateKey: key.privateKey,
      registry: { plainHttp: true },
    });
    // cosign SIGNATURE_SPEC.md, "Tag-based Discovery": sha256:<hex> → sha256-<hex>.sig.
    assert.equal(published.signatureTag, `sha256-${published.digest.slice("sha256:".length)}.sig`);
    const signatures = JSON.parse(skopeoRaw(`${registry.host}/kong-plugins/signed:${published.signatureTag}`).toString("utf8"));
    assert.equal(signatures.mediaType, OCI_MANIFEST_MEDIA_TYPE);
    assert.equal(signatures.layers.length, 1);
    const [layer] = signatures.layers;
    assert.equal(layer.mediaType, SIMPLE_SIGNING_MEDIA_TYPE);
    assert.equal(layer.digest, published.payloadDigest);

    const copy = join(tempDir(), "sig");
    mustRun("skopeo", ["copy", "--src-tls-verify=false", `docker://${registry.host}/kong-plugins/signed:${published.signatureTag}`, `dir:${copy}`]);
    const payloadPath = join(copy, layer.digest.slice("sha256:".length));
    // The payload is cosign's Simple Signing JSON, byte for byte as cosign marshals it.
    assert.equal(
      readFileSync(payloadPath, "utf8"),
      `{"critical":{"identity":{"docker-reference":"${registry.host}/kong-plugins/signed"},"image":{"docker-manifest-digest":"${published.digest}"},"type":"cosign container image signature"},"optional":null}`,
    );
    const signaturePath = join(copy, "signature.der");
    writeFileSync(signaturePath, Buffer.from(layer.annotations[SIGNATURE_ANNOTATION], "base64"));
    assert.match(mustRun("openssl", ["dgst", "-sha256", "-verify", key.publicKeyPath, "-signature", signaturePath, payloadPath]), /Verified OK/);

    // Another key's public key does not verify it (openssl agrees with the project's verifier).
    const other = keyPair();
    const refused = runTool("openssl", ["dgst", "-sha256", "-verify", other.publicKeyPath, "-signature", signaturePath, payloadPath]);
    assert.notEqual(refused.status, 0);
  });

  it("verifies with the public key and refuses a wrong key, a tampered archive, and a signature of another artifact", async () => {
    const key = keyPair();
    const repository = "kong-plugins/tamper";
    // An archive of its own: the registry stores a blob once for every repository, and this test changes it.
    const own = resolvePlugin({ ...rateLimitExample(), version: "1.0.1" });
    const archive = await packPluginArchive(own);
    const published = await publishArtifact({ reference: { registry: registry.host, repository, tag: "1.0.1" }, archive, fileName: pluginArchiveName(own), privateKey: key.privateKey, registry: { plainHttp: true } });
    const client = new RegistryClient({ registry: registry.host, repository }, { plainHttp: true });

    const verified = await verifyArtifact(client, published.digest, readPublicKey(key.publicKey));
    assert.deepEqual(Buffer.from(verified.archive), archive);
    assert.equal(verified.fileName, "rate-limit-example-1.0.1.tar.gz");

    await assert.rejects(verifyArtifact(client, published.digest, readPublicKey(keyPair().publicKey)), (error: Error) => {
      assert.ok(error instanceof ArtifactVerificationError);
      assert.match(error.message, /signature does not verify with the given public key/);
      return true;
    });

    // A digest nobody signed has no signature manifest.
    const unsigned = `sha256:${"0".repeat(64)}`;
    await assert.rejects(verifyArtifact(client, unsigned, readPublicKey(key.publicKey)), /no signature for sha256:0+: the registry has no manifest tagged sha256-0+\.sig/);

    // A signature copied to another artifact's .sig tag signs the first digest, not the second.
    const second = await publishArtifact({
      reference: { registry: registry.host, repository, tag: "2.0.0" },
      archive: Buffer.concat([archive]),
      fileName: "other.tar.gz",
      privateKey: key.privateKey,
      registry: { plainHttp: true },
    });
    const firstSignatures = await client.getManifest(published.signatureTag, [OCI_MANIFEST_MEDIA_TYPE]);
    await client.pushManifest(second.signatureTag, firstSignatures!, OCI_MANIFEST_MEDIA_TYPE);
    await assert.rejects(verifyArtifact(client, second.digest, readPublicKey(key.publicKey)), new RegExp(`signs ${published.digest}, not ${second.digest}`));

    // The archive's bytes changed in the registry's storage: its digest no longer matches.
    const archiveDigest = published.archiveDigest.slice("sha256:".length);
    const stored = join(registry.dataDir, "docker/registry/v2/blobs/sha256", archiveDigest.slice(0, 2), archiveDigest, "data");
    const tampered = Buffer.from(readFileSync(stored));
    tampered[tampered.length - 1] ^= 0xff;
    writeFileSync(stored, tampered);
    await assert.rejects(verifyArtifact(client, published.digest, readPublicKey(key.publicKey)), (error: Error) => {
      assert.ok(error instanceof ArtifactVerificationError);
      assert.match(error.message, new RegExp(`blob ${published.archiveDigest} arrived with digest sha256:[a-f0-9]{64}: refused`));
      return true;
    });
  });

  it("uploads a blob in chunks (PATCH with Content-Range) past chunkBytes, and skopeo reads back the same bytes", async () => {
    const key = keyPair();
    const own = resolvePlugin({ ...rateLimitExample(), version: "4.0.0" });
    const ownArchive = await packPluginArchive(own);
    const chunkBytes = 500;
    assert.ok(ownArchive.length > 2 * chunkBytes, `the archive (${ownArchive.length} bytes) takes several chunks`);
    const published = await publishArtifact({ reference: { registry: registry.host, repository: "kong-plugins/chunked", tag: "4.0.0" }, archive: ownArchive, fileName: pluginArchiveName(own), privateKey: key.privateKey, registry: { plainHttp: true, chunkBytes } });
    const copy = join(tempDir(), "chunked");
    mustRun("skopeo", ["copy", "--src-tls-verify=false", `docker://${published.reference}`, `dir:${copy}`]);
    assert.deepEqual(readFileSync(join(copy, published.archiveDigest.slice("sha256:".length))), ownArchive);
    await verifyArtifact(new RegistryClient({ registry: registry.host, repository: "kong-plugins/chunked" }, { plainHttp: true }), published.digest, readPublicKey(key.publicKey));
  });

  it("signs idempotently and keeps signatures made by other keys", async () => {
    const first = keyPair();
    const second = keyPair();
    const reference = { registry: registry.host, repository: "kong-plugins/two-signers", tag: "1.0.0" };
    const request = { reference, archive, fileName: pluginArchiveName(plugin), registry: { plainHttp: true } };
    const published = await publishArtifact({ ...request, privateKey: first.privateKey });
    const once = skopeoRaw(`${registry.host}/${reference.repository}:${published.signatureTag}`);
    await publishArtifact({ ...request, privateKey: first.privateKey });
    assert.deepEqual(skopeoRaw(`${registry.host}/${reference.repository}:${published.signatureTag}`), once, "signing again with the same key changes nothing");
    await publishArtifact({ ...request, privateKey: second.privateKey });
    const both = JSON.parse(skopeoRaw(`${registry.host}/${reference.repository}:${published.signatureTag}`).toString("utf8"));
    assert.equal(both.layers.length, 2);
    const client = new RegistryClient(reference, { plainHttp: true });
    for (const key of [first, second]) await verifyArtifact(client, published.digest, readPublicKey(key.publicKey));
  });

  it("answers Basic and Bearer challenges with the credentials, and says so when none are given", async () => {
    const credentials = { username: "ci", password: "s3cret-registry-password" };
    const key = keyPair();
    for (const mode of ["basic", "bearer"] as const) {
      const proxy = await startAuthProxy(registry.host, mode, credentials);
      try {
        const reference = { registry: proxy.host, repository: `kong-plugins/auth-${mode}`, tag: "1.0.0" };
        const request = { reference, archive, fileName: pluginArchiveName(plugin), privateKey: key.privateKey };
        await assert.rejects(publishArtifact({ ...request, registry: { plainHttp: true } }), (error: Error) => {
          assert.ok(error instanceof RegistryError);
          if (mode === "basic") assert.match(error.message, /requires credentials \(Basic authentication\) and none were given/);
          else assert.match(error.message, /token endpoint .*\/token refused: 401/);
          return true;
        });
        const published = await publishArtifact({ ...request, registry: { plainHttp: true, credentials } });
        const client = new RegistryClient(reference, { plainHttp: true, credentials });
        await verifyArtifact(client, published.digest, readPublicKey(key.publicKey));
        if (mode === "bearer") {
          const scopes = proxy.tokenRequests.map((query) => query.get("scope"));
          assert.ok(scopes.includes(`repository:kong-plugins/auth-bearer:pull,push`), `token asked for the challenge's scope: ${scopes.join(" ")}`);
          assert.ok(proxy.tokenRequests.every((query) => query.get("service") === "test-registry"));
        }
        // The registry behind the proxy holds the same manifest.
        assert.equal(skopeoRaw(`${registry.host}/${reference.repository}@${published.digest}`).length > 0, true);
      } finally {
        await proxy.stop();
      }
    }
  });
});

describe("signing keys", () => {
  it("reads PKCS#8, SEC 1 and encrypted PKCS#8 P-256 keys as openssl writes them", () => {
    const key = keyPair();
    const sec1 = mustRun("openssl", ["ec", "-in", join(key.dir, "key.pem")]);
    const encrypted = mustRun("openssl", ["pkcs8", "-topk8", "-in", join(key.dir, "key.pem"), "-v2", "aes-256-cbc", "-passout", "pass:kong"]);
    const publicDer = (pem: string) => readPublicKey(pem).export({ format: "der", type: "spki" });
    const expected = publicDer(key.publicKey);
    for (const [pem, password] of [[key.privateKey], [sec1], [encrypted, "kong"]] as [string, string?][]) {
      const read = readSigningKey(pem, password);
      assert.deepEqual(Buffer.from(publicDer(mustRun("openssl", ["pkey", "-pubout"], { input: read.export({ format: "pem", type: "pkcs8" }) as string }))), Buffer.from(expected));
    }
    assert.throws(() => readSigningKey(encrypted), /ENCRYPTED PRIVATE KEY\) cannot be read: it is encrypted and no password was given/);
  });

  it("refuses other curves and RSA; the installer's reader leaves cosign's encrypted format to the signer's", () => {
    const dir = tempDir();
    mustRun("openssl", ["genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-384", "-out", join(dir, "p384.pem")]);
    mustRun("openssl", ["genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048", "-out", join(dir, "rsa.pem")]);
    assert.throws(() => readSigningKey(readFileSync(join(dir, "p384.pem"), "utf8")), (error: Error) => error instanceof SigningKeyError && /ec on secp384r1; cosign's key-based signatures are ECDSA on P-256/.test(error.message));
    assert.throws(() => readSigningKey(readFileSync(join(dir, "rsa.pem"), "utf8")), /is rsa; cosign's key-based signatures are ECDSA on P-256/);
    const cosignKey = "-----BEGIN ENCRYPTED SIGSTORE PRIVATE KEY-----\neyJrZGYiOnt9fQ==\n-----END ENCRYPTED SIGSTORE PRIVATE KEY-----\n";
    assert.throws(() => readSigningKey(cosignKey), /cosign's encrypted format .* only the signer decrypts/);
    // The signer's reader opens the envelope, and says what is wrong with this one (signing-key.test.ts opens real ones).
    assert.throws(() => readCosignSigningKey(cosignKey, "password"), /cosign writes scrypt with nacl\/secretbox/);
    assert.throws(() => readSigningKey("not a key"), /not PEM/);
  });
});
