import { createCipheriv, pbkdf2Sync, randomBytes } from "node:crypto";

// Encrypts stack configuration the way Pulumi's passphrase secrets provider does
// (pulumi/pulumi pkg/secrets/passphrase/manager.go, sdk/go/common/resource/config/crypt.go),
// written apart from the CLI's decrypter so that the two check each other.

function seal(key: Buffer, plaintext: string): string {
  const nonce = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", key, nonce);
  const sealed = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final(), cipher.getAuthTag()]);
  return `v1:${nonce.toString("base64")}:${sealed.toString("base64")}`;
}

/** A passphrase stack's `encryptionsalt` and an encrypter of its secure values. */
export function passphraseStack(passphrase: string): { encryptionsalt: string; encrypt(plaintext: string): string } {
  const salt = randomBytes(8);
  const key = pbkdf2Sync(passphrase, salt, 1_000_000, 32, "sha256");
  return { encryptionsalt: `v1:${salt.toString("base64")}:${seal(key, "pulumi")}`, encrypt: (plaintext) => seal(key, plaintext) };
}
