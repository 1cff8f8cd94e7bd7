// Part of the installer: this file imports Node's own modules and the installer's files only.
import { createPrivateKey, createPublicKey, sign, verify, type KeyObject } from "node:crypto";
import { ociDigest } from "./registry-client";

/**
 * The artifact and signature formats, as cosign writes and reads them.
 *
 * Artifact: what `cosign upload blob -f <file> <ref>` pushes (cosign
 * cmd/cosign/cli/upload/blob.go → pkg/cosign/remote/remote.go `UploadFiles` →
 * pkg/oci/static/file.go `NewFile`): an OCI image manifest whose config is an OCI image config
 * and whose single layer is the file itself, its media type the file's sniffed content type
 * (`http.DetectContentType`, `application/x-gzip` for a .tar.gz). `crane pull` and Kong's
 * documented flow read it as an image of one layer.
 *
 * Signature: cosign's SIGNATURE_SPEC.md (https://github.com/sigstore/cosign/blob/main/specs/SIGNATURE_SPEC.md):
 * - tag-based discovery: the signatures of `<repo>@sha256:<hex>` are the manifest tagged
 *   `sha256-<hex>.sig` in the same repository;
 * - an OCI Image Manifest V1, one layer per signature: the payload as a blob of media type
 *   `application/vnd.dev.cosign.simplesigning.v1+json`, the base64 signature in the layer's
 *   annotation `dev.cosignproject.cosign/signature`;
 * - payload: Simple Signing JSON with `critical.type` "cosign container image signature" and
 *   `critical.image.docker-manifest-digest` the signed manifest's digest;
 * - scheme ECDSA-P256, the hash SHA-256 (the registry's digest algorithm), the signature
 *   ASN.1 DER (what Go's `ecdsa.SignASN1` writes and `cosign verify --key` checks).
 */

export const OCI_MANIFEST_MEDIA_TYPE = "application/vnd.oci.image.manifest.v1+json";
export const OCI_CONFIG_MEDIA_TYPE = "application/vnd.oci.image.config.v1+json";
/** Go's `http.DetectContentType` for gzip data, which `cosign upload blob` sets on the layer. */
export const ARCHIVE_MEDIA_TYPE = "application/x-gzip";
/** The annotation ORAS and `oras pull` take a layer's file name from (OCI image-spec annotations.md). */
export const TITLE_ANNOTATION = "org.opencontainers.image.title";
export const SIMPLE_SIGNING_MEDIA_TYPE = "application/vnd.dev.cosign.simplesigning.v1+json";
export const SIGNATURE_ANNOTATION = "dev.cosignproject.cosign/signature";
export const COSIGN_SIGNATURE_TYPE = "cosign container image signature";

/** An OCI descriptor. */
export interface Descriptor {
  readonly mediaType: string;
  readonly digest: string;
  readonly size: number;
  readonly annotations?: Readonly<Record<string, string>>;
}

/** An OCI image manifest as this project writes and reads it. */
export interface ImageManifest {
  readonly schemaVersion: 2;
  readonly mediaType: string;
  readonly config: Descriptor;
  readonly layers: readonly Descriptor[];
}

/** Bytes to upload and the descriptor that names them. */
export interface Blob {
  readonly bytes: Uint8Array;
  readonly descriptor: Descriptor;
}

/** A manifest's bytes and the blobs it references. */
export interface RenderedManifest {
  readonly bytes: Uint8Array;
  readonly manifest: ImageManifest;
  readonly blobs: readonly Blob[];
}

function blob(bytes: Uint8Array, mediaType: string, annotations?: Record<string, string>): Blob {
  return { bytes, descriptor: { mediaType, digest: ociDigest(bytes), size: bytes.length, ...(annotations ? { annotations } : {}) } };
}

/**
 * The OCI image config of a one-layer "image" whose layer is uncompressed data, as
 * go-containerregistry writes it for cosign's static layers: the diff ID is the layer's own
 * digest. Keys sorted, so the same layer always gives the same config bytes.
 */
function layerConfig(layers: readonly Descriptor[]): Uint8Array {
  return Buffer.from(JSON.stringify({ architecture: "", config: {}, os: "", rootfs: { diff_ids: layers.map((layer) => layer.digest), type: "layers" } }), "utf8");
}

/** A manifest of the given layers: `present` already in the registry, `added` to upload. */
function manifestOf(present: readonly Descriptor[], added: readonly Blob[]): RenderedManifest {
  const layers = [...present, ...added.map((layer) => layer.descriptor)];
  const config = blob(layerConfig(layers), OCI_CONFIG_MEDIA_TYPE);
  const manifest: ImageManifest = { schemaVersion: 2, mediaType: OCI_MANIFEST_MEDIA_TYPE, config: config.descriptor, layers };
  return { bytes: Buffer.from(JSON.stringify(manifest), "utf8"), manifest, blobs: [config, ...added] };
}

/** The artifact manifest of a plugin archive (`cosign upload blob`), its layer titled with the file name. */
export function renderArtifactManifest(archive: Uint8Array, fileName: string): RenderedManifest {
  return manifestOf([], [blob(archive, ARCHIVE_MEDIA_TYPE, { [TITLE_ANNOTATION]: fileName })]);
}

/** The tag cosign looks a digest's signatures up under: `sha256:<hex>` → `sha256-<hex>.sig`. */
export function signatureTag(digest: string): string {
  return `${digest.replace(":", "-")}.sig`;
}

/**
 * The Simple Signing payload for a manifest digest, byte for byte as cosign's
 * `payload.Cosign.MarshalJSON` writes it (sigstore/sigstore pkg/signature/payload): keys in
 * this order, no spaces, `optional` null when there are no annotations.
 */
export function renderSimpleSigningPayload(dockerReference: string, manifestDigest: string): Uint8Array {
  const payload = {
    critical: { identity: { "docker-reference": dockerReference }, image: { "docker-manifest-digest": manifestDigest }, type: COSIGN_SIGNATURE_TYPE },
    optional: null,
  };
  return Buffer.from(JSON.stringify(payload), "utf8");
}

/** A problem with a key: what was given and what is expected (never the key itself). */
export class SigningKeyError extends Error {
  override readonly name = "SigningKeyError";
}

/** PEM labels of cosign's own password-encrypted key (scrypt + NaCl secretbox). */
const COSIGN_ENCRYPTED_LABELS = ["ENCRYPTED COSIGN PRIVATE KEY", "ENCRYPTED SIGSTORE PRIVATE KEY"];

/**
 * Reads an ECDSA P-256 private key from PEM: PKCS#8 (`PRIVATE KEY`), SEC 1 (`EC PRIVATE KEY`)
 * or encrypted PKCS#8 (`ENCRYPTED PRIVATE KEY`, with `password`). cosign's own encrypted
 * cosign.key is read by ../signing-key.ts, outside the installer: its NaCl secretbox cipher is not
 * in Node, and the installer runs on Node's own modules alone.
 */
export function readSigningKey(pem: string, password?: string): KeyObject {
  const label = /-----BEGIN ([A-Z0-9 ]+)-----/.exec(pem)?.[1];
  if (label === undefined) throw new SigningKeyError("the private key is not PEM (expected a -----BEGIN PRIVATE KEY----- block)");
  if (COSIGN_ENCRYPTED_LABELS.includes(label)) {
    throw new SigningKeyError(
      `the private key is cosign's encrypted format (${label}), which only the signer decrypts (readCosignSigningKey in ../signing-key.ts); the installer reads public keys only`,
    );
  }
  let key: KeyObject;
  try {
    key = createPrivateKey(password !== undefined ? { key: pem, format: "pem", passphrase: password } : { key: pem, format: "pem" });
  } catch (error) {
    const reason = label === "ENCRYPTED PRIVATE KEY" && password === undefined ? "it is encrypted and no password was given" : (error as Error).message;
    throw new SigningKeyError(`the private key (${label}) cannot be read: ${reason}`);
  }
  requireP256(key, "private key");
  return key;
}

/** Reads the public key of a signer (PEM `PUBLIC KEY`, as `cosign public-key` prints it). */
export function readPublicKey(pem: string): KeyObject {
  let key: KeyObject;
  try {
    key = createPublicKey({ key: pem, format: "pem" });
  } catch (error) {
    throw new SigningKeyError(`the public key cannot be read: ${(error as Error).message}`);
  }
  requireP256(key, "public key");
  return key;
}

function requireP256(key: KeyObject, what: string): void {
  const curve = key.asymmetricKeyDetails?.namedCurve;
  if (key.asymmetricKeyType !== "ec" || curve !== "prime256v1") {
    throw new SigningKeyError(`the ${what} is ${key.asymmetricKeyType ?? "unknown"}${curve ? ` on ${curve}` : ""}; cosign's key-based signatures are ECDSA on P-256 (prime256v1)`);
  }
}

/** The base64 ASN.1 DER ECDSA-P256 signature of the payload's SHA-256. */
export function signPayload(payload: Uint8Array, key: KeyObject): string {
  return sign("sha256", payload, { key, dsaEncoding: "der" }).toString("base64");
}

/** Whether a base64 DER signature of the payload's SHA-256 verifies with the public key. */
export function verifyPayload(payload: Uint8Array, signature: string, key: KeyObject): boolean {
  return verify("sha256", payload, { key, dsaEncoding: "der" }, Buffer.from(signature, "base64"));
}

/**
 * The signature manifest: the layers of an existing one that the caller keeps (other
 * signatures: another key's, another payload's), then this signature's layer. Signing again
 * so replaces no one else's signature.
 */
export function renderSignatureManifest(payload: Uint8Array, signature: string, keep: readonly Descriptor[] = []): RenderedManifest {
  return manifestOf(keep, [blob(payload, SIMPLE_SIGNING_MEDIA_TYPE, { [SIGNATURE_ANNOTATION]: signature })]);
}
