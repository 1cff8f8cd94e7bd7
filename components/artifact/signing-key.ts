/**
 * The signer's private key as cosign users hold it. `cosign generate-key-pair` writes cosign.key
 * encrypted under a password (read from COSIGN_PASSWORD or a prompt): a PEM block `ENCRYPTED
 * SIGSTORE PRIVATE KEY` (`ENCRYPTED COSIGN PRIVATE KEY` before cosign 2) whose body is the JSON
 * envelope of go-securesystemslib's `encrypted` package, which cosign's pkg/cosign/keys.go uses:
 *
 *   {"kdf": {"name": "scrypt", "params": {"N": 32768, "r": 8, "p": 1}, "salt": <base64>},
 *    "cipher": {"name": "nacl/secretbox", "nonce": <base64, 24 bytes>},
 *    "ciphertext": <base64>}
 *
 * The box key is scrypt(password, salt, N, r, p) of 32 bytes, and the box holds the key as PKCS#8
 * DER. Node has scrypt but not NaCl's XSalsa20-Poly1305, which tweetnacl provides. Kept out of
 * installer/: the installer only verifies, and runs with Node's own modules alone.
 */
import { createPrivateKey, scryptSync, type KeyObject } from "node:crypto";
import nacl from "tweetnacl";
import { readSigningKey, SigningKeyError } from "./installer/cosign-format";

const COSIGN_ENCRYPTED_LABELS = ["ENCRYPTED SIGSTORE PRIVATE KEY", "ENCRYPTED COSIGN PRIVATE KEY"];

/**
 * The largest scrypt cost accepted: cosign writes N = 32768; go-securesystemslib's strongest
 * setting is 1,048,576 (1 GiB of memory at r = 8). Anything above is refused rather than allowed
 * to exhaust memory.
 */
const MAX_SCRYPT_N = 1 << 20;

interface Envelope {
  readonly kdf: { readonly name: string; readonly params: { readonly N: number; readonly r: number; readonly p: number }; readonly salt: string };
  readonly cipher: { readonly name: string; readonly nonce: string };
  readonly ciphertext: string;
}

/**
 * Reads the signer's ECDSA P-256 key: cosign's encrypted cosign.key (with its password), or any
 * PEM {@link readSigningKey} reads (PKCS#8, SEC 1, encrypted PKCS#8).
 * @throws SigningKeyError saying what is wrong, never with the key's or the password's text.
 */
export function readCosignSigningKey(pem: string, password?: string): KeyObject {
  const label = /-----BEGIN ([A-Z0-9 ]+)-----/.exec(pem)?.[1];
  if (label === undefined || !COSIGN_ENCRYPTED_LABELS.includes(label)) return readSigningKey(pem, password);
  if (password === undefined) throw new SigningKeyError(`the private key is cosign's encrypted cosign.key (${label}): give its password (what COSIGN_PASSWORD holds for cosign)`);
  const pkcs8 = openEnvelope(envelopeOf(pem, label), password);
  let key: KeyObject;
  try {
    key = createPrivateKey({ key: Buffer.from(pkcs8), format: "der", type: "pkcs8" });
  } catch (error) {
    throw new SigningKeyError(`the decrypted cosign.key is not a PKCS#8 private key: ${(error as Error).message}`);
  }
  // readSigningKey checks the curve; it reads the decrypted key as PKCS#8 PEM.
  return readSigningKey(key.export({ format: "pem", type: "pkcs8" }).toString());
}

function envelopeOf(pem: string, label: string): Envelope {
  const body = new RegExp(`-----BEGIN ${label}-----([\\s\\S]*?)-----END ${label}-----`).exec(pem)?.[1];
  if (body === undefined) throw new SigningKeyError(`the ${label} block has no END line`);
  let envelope: unknown;
  try {
    envelope = JSON.parse(Buffer.from(body.replace(/\s+/g, ""), "base64").toString("utf8"));
  } catch {
    throw new SigningKeyError(`the ${label} block does not hold cosign's JSON envelope`);
  }
  const candidate = envelope as Partial<Envelope>;
  const params = candidate.kdf?.params;
  if (candidate.kdf?.name !== "scrypt" || candidate.cipher?.name !== "nacl/secretbox") {
    throw new SigningKeyError(`cosign.key uses ${String(candidate.kdf?.name)} with ${String(candidate.cipher?.name)}; cosign writes scrypt with nacl/secretbox, the only pair read here`);
  }
  if (!params || ![params.N, params.r, params.p].every((value) => Number.isInteger(value) && value > 0) || (params.N & (params.N - 1)) !== 0 || params.N > MAX_SCRYPT_N) {
    throw new SigningKeyError(`cosign.key's scrypt parameters are not usable (expected N a power of two up to ${MAX_SCRYPT_N}, r and p positive integers)`);
  }
  if (typeof candidate.kdf.salt !== "string" || typeof candidate.cipher.nonce !== "string" || typeof candidate.ciphertext !== "string") {
    throw new SigningKeyError("cosign.key's envelope lacks its salt, nonce or ciphertext");
  }
  return candidate as Envelope;
}

function openEnvelope(envelope: Envelope, password: string): Uint8Array {
  const { N, r, p } = envelope.kdf.params;
  const nonce = Buffer.from(envelope.cipher.nonce, "base64");
  if (nonce.length !== nacl.secretbox.nonceLength) throw new SigningKeyError(`cosign.key's nonce is ${nonce.length} bytes; nacl/secretbox takes ${nacl.secretbox.nonceLength}`);
  // scrypt needs 128 * N * r bytes; Node's default ceiling (32 MiB) is just under cosign's own cost.
  const boxKey = scryptSync(password, Buffer.from(envelope.kdf.salt, "base64"), nacl.secretbox.keyLength, { N, r, p, maxmem: 256 * N * r });
  const opened = nacl.secretbox.open(Buffer.from(envelope.ciphertext, "base64"), nonce, boxKey);
  if (opened === null) throw new SigningKeyError("cosign.key does not open with the password given (wrong password, or the key file was altered)");
  return opened;
}
