// cosign's encrypted cosign.key read as the signing key (issue 17). The key file is made here by
// an implementation independent of the project's: openssl makes the P-256 key, and Debian's
// python3 seals it as go-securesystemslib's `encrypted` package does for cosign
// (pkg/cosign/keys.go: PEM "ENCRYPTED SIGSTORE PRIVATE KEY" around the JSON envelope
// {kdf: scrypt N=32768 r=8 p=1, cipher: nacl/secretbox}), with hashlib.scrypt and libsodium's
// secretbox (python3-nacl). The signature made with the decrypted key is checked by openssl.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import { readCosignSigningKey, resolvePluginArtifact, signPayload } from "pulumi-kong-plugins/render";
import { KongPluginsValidationError } from "pulumi-kong-plugins";
import { tempDir } from "../helpers/paths";
import { mustRun } from "../helpers/tools";

const PASSWORD = "correct horse battery staple";

/** Seals a PKCS#8 DER key into cosign's envelope with Debian's python3 and libsodium. */
const SEAL = `
import base64, hashlib, json, os, sys
import nacl.secret
der = open(sys.argv[1], "rb").read()
salt, nonce = os.urandom(32), os.urandom(24)
key = hashlib.scrypt(sys.argv[2].encode(), salt=salt, n=32768, r=8, p=1, dklen=32, maxmem=64 * 1024 * 1024)
sealed = nacl.secret.SecretBox(key).encrypt(der, nonce).ciphertext
envelope = {"kdf": {"name": "scrypt", "params": {"N": 32768, "r": 8, "p": 1}, "salt": base64.b64encode(salt).decode()},
            "cipher": {"name": "nacl/secretbox", "nonce": base64.b64encode(nonce).decode()},
            "ciphertext": base64.b64encode(sealed).decode()}
body = base64.b64encode(json.dumps(envelope).encode()).decode()
lines = [body[i:i + 64] for i in range(0, len(body), 64)]
print("-----BEGIN " + sys.argv[3] + "-----\\n" + "\\n".join(lines) + "\\n-----END " + sys.argv[3] + "-----")
`;

/** A fresh P-256 key from openssl: its cosign.key (sealed by python3) and its public key PEM. */
function cosignKeyPair(label = "ENCRYPTED SIGSTORE PRIVATE KEY", curve = "P-256") {
  const dir = tempDir("cosign-key-");
  const pem = join(dir, "key.pem");
  const der = join(dir, "key.der");
  mustRun("openssl", ["genpkey", "-algorithm", "EC", "-pkeyopt", `ec_paramgen_curve:${curve}`, "-out", pem]);
  // cosign seals the key as PKCS#8 DER (x509.MarshalPKCS8PrivateKey).
  mustRun("openssl", ["pkcs8", "-topk8", "-nocrypt", "-in", pem, "-outform", "DER", "-out", der]);
  mustRun("openssl", ["pkey", "-in", pem, "-pubout", "-out", join(dir, "pub.pem")]);
  const sealed = spawnSync("/usr/bin/python3", ["-c", SEAL, der, PASSWORD, label], { encoding: "utf8" });
  assert.equal(sealed.status, 0, `python3-nacl seals the key (run \`npm run setup\`, which installs python3-nacl): ${sealed.stderr}`);
  return { dir, cosignKey: sealed.stdout, publicKey: join(dir, "pub.pem") };
}

describe("cosign's encrypted cosign.key as the signing key", () => {
  it("opens with its password and signs what openssl verifies with the key's public half", () => {
    const pair = cosignKeyPair();
    const key = readCosignSigningKey(pair.cosignKey, PASSWORD);
    const payload = Buffer.from('{"critical":{"type":"cosign container image signature"},"optional":null}');
    writeFileSync(join(pair.dir, "payload"), payload);
    writeFileSync(join(pair.dir, "sig.der"), Buffer.from(signPayload(payload, key), "base64"));
    assert.match(mustRun("openssl", ["dgst", "-sha256", "-verify", pair.publicKey, "-signature", join(pair.dir, "sig.der"), join(pair.dir, "payload")]), /Verified OK/);
  });

  it("reads cosign 1's label too (ENCRYPTED COSIGN PRIVATE KEY)", () => {
    const pair = cosignKeyPair("ENCRYPTED COSIGN PRIVATE KEY");
    assert.equal(readCosignSigningKey(pair.cosignKey, PASSWORD).asymmetricKeyDetails?.namedCurve, "prime256v1");
  });

  it("refuses a wrong or missing password, an altered file and another curve, without the key's or the password's text", () => {
    const pair = cosignKeyPair();
    const refusal = (pem: string, password: string | undefined) => {
      try {
        readCosignSigningKey(pem, password);
      } catch (error) {
        return (error as Error).message;
      }
      assert.fail("refused");
    };
    assert.match(refusal(pair.cosignKey, "not the password"), /does not open with the password given/);
    assert.match(refusal(pair.cosignKey, undefined), /give its password/);
    const body = pair.cosignKey.split("\n").slice(1, -2).join("");
    const envelope = JSON.parse(Buffer.from(body, "base64").toString("utf8"));
    const flipped = Buffer.from(envelope.ciphertext, "base64");
    flipped[10] = (flipped[10] as number) ^ 1;
    const altered = `-----BEGIN ENCRYPTED SIGSTORE PRIVATE KEY-----\n${Buffer.from(JSON.stringify({ ...envelope, ciphertext: flipped.toString("base64") })).toString("base64")}\n-----END ENCRYPTED SIGSTORE PRIVATE KEY-----\n`;
    assert.match(refusal(altered, PASSWORD), /does not open/);
    const costly = `-----BEGIN ENCRYPTED SIGSTORE PRIVATE KEY-----\n${Buffer.from(JSON.stringify({ ...envelope, kdf: { ...envelope.kdf, params: { N: 1 << 30, r: 8, p: 1 } } })).toString("base64")}\n-----END ENCRYPTED SIGSTORE PRIVATE KEY-----\n`;
    assert.match(refusal(costly, PASSWORD), /scrypt parameters are not usable/);
    assert.match(refusal(cosignKeyPair("ENCRYPTED SIGSTORE PRIVATE KEY", "P-384").cosignKey, PASSWORD), /ECDSA on P-256/);
    for (const message of [refusal(pair.cosignKey, "not the password"), refusal(altered, PASSWORD)]) {
      assert.ok(!message.includes(body.slice(0, 40)) && !message.includes(PASSWORD) && !message.includes("not the password"), message);
    }
  });

  it("a PluginArtifact takes it: the public key it outputs is the key's, and a wrong password is an issue at signingKey", () => {
    const pair = cosignKeyPair();
    const spec = { repository: "registry.example.com/plugins/rate-limit-example", signingKey: pair.cosignKey };
    const resolved = resolvePluginArtifact({ ...spec, signingKeyPassword: PASSWORD }, "1.0.0");
    assert.equal(resolved.publicKey, readFileSync(pair.publicKey, "utf8"));
    assert.throws(
      () => resolvePluginArtifact({ ...spec, signingKeyPassword: "wrong" }, "1.0.0"),
      (error: unknown) => error instanceof KongPluginsValidationError && error.issues.some((issue) => issue.path === "signingKey" && /does not open/.test(issue.message)),
    );
  });
});
