import { createDecipheriv, pbkdf2Sync } from "node:crypto";
import { readFileSync } from "node:fs";

// Pulumi's passphrase secrets provider, as its sources define it (pulumi/pulumi
// pkg/secrets/passphrase/manager.go and sdk/go/common/resource/config/crypt.go):
// - the stack file's `encryptionsalt` is `v1:<base64 salt>:<"pulumi" encrypted with the key>`;
// - the key is PBKDF2-SHA256 of the passphrase and salt, 1,000,000 iterations, 32 bytes;
// - each secure value is `v1:<base64 12-byte nonce>:<base64 AES-256-GCM ciphertext + 16-byte tag>`.
const PBKDF2_ITERATIONS = 1_000_000;
const KEY_BYTES = 32;
const GCM_TAG_BYTES = 16;
/** What `encryptionsalt` holds encrypted, to tell a wrong passphrase from a right one. */
const CHECK_MESSAGE = "pulumi";

/** Decrypts the secure values of one stack. */
export type SecretDecrypter = (ciphertext: string) => string;

/** Why secure values cannot be decrypted: said once, naming the keys. */
export class StackSecretsError extends Error {
  override readonly name = "StackSecretsError";
}

/** The passphrase Pulumi would use: PULUMI_CONFIG_PASSPHRASE, else the file PULUMI_CONFIG_PASSPHRASE_FILE names. */
export function passphraseFromEnvironment(env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (env.PULUMI_CONFIG_PASSPHRASE !== undefined) return env.PULUMI_CONFIG_PASSPHRASE;
  if (env.PULUMI_CONFIG_PASSPHRASE_FILE) return readFileSync(env.PULUMI_CONFIG_PASSPHRASE_FILE, "utf8").trim();
  return undefined;
}

/**
 * A decrypter for a stack whose `encryptionsalt` is `state`, checked against the passphrase
 * first, as Pulumi does: a wrong passphrase is reported once, not as a failure per value.
 * @throws StackSecretsError for a malformed state or a wrong passphrase.
 */
export function passphraseDecrypter(passphrase: string, state: string): SecretDecrypter {
  const [version, salt, ...check] = state.split(":");
  if (version !== "v1" || salt === undefined || check.length !== 3) throw new StackSecretsError("encryptionsalt is not a Pulumi passphrase state (v1:<salt>:v1:<nonce>:<ciphertext>)");
  const key = pbkdf2Sync(passphrase, Buffer.from(salt, "base64"), PBKDF2_ITERATIONS, KEY_BYTES, "sha256");
  const decrypt = (ciphertext: string) => decryptValue(key, ciphertext);
  let checked: string | undefined;
  try {
    checked = decrypt(check.join(":"));
  } catch {
    checked = undefined;
  }
  if (checked !== CHECK_MESSAGE) {
    throw new StackSecretsError("incorrect passphrase: set PULUMI_CONFIG_PASSPHRASE (or PULUMI_CONFIG_PASSPHRASE_FILE) to the stack's passphrase");
  }
  return decrypt;
}

function decryptValue(key: Buffer, value: string): string {
  const [version, nonce, sealed, ...rest] = value.split(":");
  if (version !== "v1" || nonce === undefined || sealed === undefined || rest.length > 0) throw new StackSecretsError("a secure value is not v1:<nonce>:<ciphertext>");
  const bytes = Buffer.from(sealed, "base64");
  const decipher = createDecipheriv("aes-256-gcm", key, Buffer.from(nonce, "base64"));
  decipher.setAuthTag(bytes.subarray(bytes.length - GCM_TAG_BYTES));
  return Buffer.concat([decipher.update(bytes.subarray(0, bytes.length - GCM_TAG_BYTES)), decipher.final()]).toString("utf8");
}
