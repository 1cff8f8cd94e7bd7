import assert from "node:assert/strict";
import { generateKeyPairSync } from "node:crypto";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { describe, it } from "node:test";
import fc from "fast-check";
import { parseArtifactReference, pluginFilesOf, readTar, renderSimpleSigningPayload, signPayload, verifyPayload } from "pulumi-kong-plugins/render";
import { packTar, type TarEntry } from "../../components/plugin/tar";
import { tempDir } from "../helpers/paths";
import { mustRun } from "../helpers/tools";

const segment = fc.stringMatching(/^[a-z0-9]+(?:[._-][a-z0-9]+)?$/).filter((text) => text.length <= 30);
const registryHost = fc.oneof(fc.constant("ghcr.io"), fc.constant("127.0.0.1:5000"), fc.constant("registry.example.com:443"), fc.constant("localhost:8080"));
const tag = fc.stringMatching(/^[A-Za-z0-9_][A-Za-z0-9._-]{0,20}$/);
const digest = fc.stringMatching(/^[a-f0-9]{64}$/).map((hex) => `sha256:${hex}`);

describe("artifact references (OCI distribution spec grammar)", () => {
  it("well-formed references parse into exactly their parts", () => {
    fc.assert(
      fc.property(registryHost, fc.array(segment, { minLength: 1, maxLength: 4 }), fc.option(tag, { nil: undefined }), fc.option(digest, { nil: undefined }), (host, path, tagged, pinned) => {
        const repository = path.join("/");
        const text = `${host}/${repository}${tagged !== undefined ? `:${tagged}` : ""}${pinned !== undefined ? `@${pinned}` : ""}`;
        assert.deepEqual(parseArtifactReference(text), { registry: host, repository, ...(tagged !== undefined ? { tag: tagged } : {}), ...(pinned !== undefined ? { digest: pinned } : {}) });
      }),
    );
  });

  it("malformed ones are refused with the part that is wrong", () => {
    fc.assert(
      fc.property(registryHost, segment, fc.constantFrom("Upper", "a..b", "a/", "-a", "a b"), (host, good, bad) => {
        assert.match(String(parseArtifactReference(`${host}/${good}/${bad}`)), /invalid repository/);
      }),
    );
    assert.match(String(parseArtifactReference("rate-limit-example")), /names no registry host/);
    assert.match(String(parseArtifactReference("ghcr.io/acme/x:-tag")), /invalid tag/);
    assert.match(String(parseArtifactReference("ghcr.io/acme/x@sha256:abc")), /invalid digest/);
  });
});

describe("signatures (ECDSA P-256 over SHA-256, ASN.1 DER) and payloads", () => {
  const { privateKey, publicKey } = generateKeyPairSync("ec", { namedCurve: "P-256" });
  const other = generateKeyPairSync("ec", { namedCurve: "P-256" }).publicKey;

  it("any payload verifies with its key, not with another, and not once a byte changes", () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 1, maxLength: 300 }), fc.nat(), (payload, at) => {
        const signature = signPayload(payload, privateKey);
        assert.equal(verifyPayload(payload, signature, publicKey), true);
        assert.equal(verifyPayload(payload, signature, other), false);
        const changed = Uint8Array.from(payload);
        changed[at % changed.length]! ^= 0x01;
        assert.equal(verifyPayload(changed, signature, publicKey), false);
      }),
      { numRuns: 50 },
    );
  });

  it("openssl verifies the signatures over the rendered simple-signing payloads", () => {
    const dir = tempDir("sig-");
    writeFileSync(join(dir, "pub.pem"), publicKey.export({ format: "pem", type: "spki" }));
    fc.assert(
      fc.property(registryHost, segment, digest, (host, repository, manifestDigest) => {
        const payload = renderSimpleSigningPayload(`${host}/${repository}`, manifestDigest);
        const parsed = JSON.parse(Buffer.from(payload).toString("utf8"));
        assert.deepEqual(parsed, { critical: { identity: { "docker-reference": `${host}/${repository}` }, image: { "docker-manifest-digest": manifestDigest }, type: "cosign container image signature" }, optional: null });
        writeFileSync(join(dir, "payload"), payload);
        writeFileSync(join(dir, "sig.der"), Buffer.from(signPayload(payload, privateKey), "base64"));
        assert.match(mustRun("openssl", ["dgst", "-sha256", "-verify", join(dir, "pub.pem"), "-signature", join(dir, "sig.der"), join(dir, "payload")]), /Verified OK/);
      }),
      { numRuns: 10 },
    );
  });
});

describe("the installer's tar reader", () => {
  const name = fc.stringMatching(/^[a-z][a-z0-9-]{0,20}$/);
  const fileName = fc.stringMatching(/^[A-Za-z0-9_-][A-Za-z0-9_.-]{0,30}$/).filter((segment) => segment !== "." && segment !== "..");
  const files = fc.uniqueArray(fc.tuple(fc.array(fileName, { minLength: 1, maxLength: 5 }).map((parts) => parts.join("/")), fc.uint8Array({ maxLength: 700 })), {
    minLength: 1,
    maxLength: 8,
    selector: ([path]) => path,
  }).filter((list) => list.every(([path]) => list.every(([other]) => !other.startsWith(`${path}/`))));

  it("reads back every file the project's tar writer wrote (short and long paths), as GNU tar lists them", () => {
    fc.assert(
      fc.property(name, files, (plugin, list) => {
        const entries: TarEntry[] = list.map(([path, content]) => ({ path: `${plugin}/kong/plugins/${plugin}/${path}`, mode: 0o644, content }));
        const tar = packTar(entries);
        const read = readTar(tar);
        assert.deepEqual([...read.keys()].sort(), entries.map((entry) => entry.path).sort());
        for (const entry of entries) assert.deepEqual(Buffer.from(read.get(entry.path)!), Buffer.from(entry.content!));
        const dir = tempDir("tar-");
        writeFileSync(join(dir, "a.tar"), tar);
        assert.deepEqual(mustRun("tar", ["-tf", join(dir, "a.tar")]).split("\n").filter(Boolean).sort(), entries.map((entry) => entry.path).sort());
      }),
      { numRuns: 25 },
    );
  });

  it("installs a well-formed plugin archive and refuses one whose paths climb out or that lacks handler.lua or schema.lua", () => {
    fc.assert(
      fc.property(name, fc.constantFrom("../evil.lua", "/etc/passwd"), (plugin, escape) => {
        const good = packTar([
          { path: `${plugin}/kong/plugins/${plugin}/handler.lua`, mode: 0o644, content: Buffer.from("return {}") },
          { path: `${plugin}/kong/plugins/${plugin}/schema.lua`, mode: 0o644, content: Buffer.from("return {}") },
        ]);
        assert.deepEqual(pluginFilesOf(gzipSync(good), plugin).map((file) => file.path), ["handler.lua", "schema.lua"]);
        const climbing = packTar([{ path: escape.startsWith("/") ? escape : `${plugin}/${escape}`, mode: 0o644, content: Buffer.from("x") }]);
        assert.throws(() => pluginFilesOf(gzipSync(climbing), plugin), /climbs out of the archive/);
        const partial = packTar([{ path: `${plugin}/kong/plugins/${plugin}/handler.lua`, mode: 0o644, content: Buffer.from("return {}") }]);
        assert.throws(() => pluginFilesOf(gzipSync(partial), plugin), new RegExp(`has no ${plugin}/kong/plugins/${plugin}/schema\\.lua`));
      }),
      { numRuns: 25 },
    );
  });
});
