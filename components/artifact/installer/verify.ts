// Part of the installer: this file imports Node's own modules and the installer's files only.
import type { KeyObject } from "node:crypto";
import {
  ARCHIVE_MEDIA_TYPE,
  COSIGN_SIGNATURE_TYPE,
  OCI_MANIFEST_MEDIA_TYPE,
  SIGNATURE_ANNOTATION,
  SIMPLE_SIGNING_MEDIA_TYPE,
  TITLE_ANNOTATION,
  signatureTag,
  verifyPayload,
  type ImageManifest,
} from "./cosign-format";
import { ociDigest, RegistryError, type RegistryClient } from "./registry-client";

/** An artifact that is not installed: why, in words a user can act on. */
export class ArtifactVerificationError extends Error {
  override readonly name = "ArtifactVerificationError";
}

/** A verified artifact: the archive's bytes and its file name. */
export interface VerifiedArtifact {
  readonly archive: Uint8Array;
  readonly fileName: string;
  /** The digest of the signature's payload blob that verified. */
  readonly payloadDigest: string;
}

function parseManifest(bytes: Uint8Array, what: string): ImageManifest {
  let manifest: ImageManifest;
  try {
    manifest = JSON.parse(Buffer.from(bytes).toString("utf8")) as ImageManifest;
  } catch {
    throw new ArtifactVerificationError(`${what} is not JSON`);
  }
  if (manifest?.schemaVersion !== 2 || !Array.isArray(manifest.layers)) throw new ArtifactVerificationError(`${what} is not an OCI image manifest`);
  return manifest;
}

/**
 * Why one signature layer does not vouch for `digest`, or undefined when it does: the payload
 * blob must match its digest (the registry client checks), the signature must verify with the
 * key over the payload's SHA-256, and the payload must be a cosign signature of exactly this
 * manifest digest (cosign SIGNATURE_SPEC.md, "Payloads" and "Signature Schemes").
 */
async function refusal(client: RegistryClient, layer: ImageManifest["layers"][number], digest: string, key: KeyObject): Promise<string | undefined> {
  if (layer.mediaType !== SIMPLE_SIGNING_MEDIA_TYPE) return `layer ${layer.digest} is ${layer.mediaType}, not a simple-signing payload`;
  const signature = layer.annotations?.[SIGNATURE_ANNOTATION];
  if (!signature) return `layer ${layer.digest} has no ${SIGNATURE_ANNOTATION} annotation`;
  let payload: Uint8Array;
  try {
    payload = await client.getBlob(layer.digest);
  } catch (error) {
    if (error instanceof RegistryError) return `payload ${layer.digest}: ${error.message}`;
    throw error;
  }
  if (!verifyPayload(payload, signature, key)) return `payload ${layer.digest}: the signature does not verify with the given public key`;
  let parsed: { critical?: { type?: unknown; image?: { "docker-manifest-digest"?: unknown } } };
  try {
    parsed = JSON.parse(Buffer.from(payload).toString("utf8"));
  } catch {
    return `payload ${layer.digest} is not JSON`;
  }
  if (parsed.critical?.type !== COSIGN_SIGNATURE_TYPE) return `payload ${layer.digest} is not a ${JSON.stringify(COSIGN_SIGNATURE_TYPE)}`;
  const signed = parsed.critical?.image?.["docker-manifest-digest"];
  if (signed !== digest) return `payload ${layer.digest} signs ${String(signed)}, not ${digest}`;
  return undefined;
}

/**
 * Verifies a plugin artifact as `cosign verify --key` would (signature found by tag, payload
 * digest, ECDSA signature, signed digest) and then reads it by that digest, checking every byte
 * against its digest: a tampered manifest or archive, or a signature made with another key, is
 * refused with the reason.
 */
export async function verifyArtifact(client: RegistryClient, digest: string, key: KeyObject): Promise<VerifiedArtifact> {
  const tag = signatureTag(digest);
  const signatures = await client.getManifest(tag, [OCI_MANIFEST_MEDIA_TYPE]);
  if (signatures === undefined) throw new ArtifactVerificationError(`no signature for ${digest}: the registry has no manifest tagged ${tag}`);
  const reasons: string[] = [];
  let payloadDigest: string | undefined;
  for (const layer of parseManifest(signatures, `signature manifest ${tag}`).layers) {
    const reason = await refusal(client, layer, digest, key);
    if (reason === undefined) {
      payloadDigest = layer.digest;
      break;
    }
    reasons.push(reason);
  }
  if (payloadDigest === undefined) {
    throw new ArtifactVerificationError(`no valid signature for ${digest} with the given public key:\n  - ${reasons.join("\n  - ") || "the signature manifest has no layers"}`);
  }

  const bytes = await client.getManifest(digest, [OCI_MANIFEST_MEDIA_TYPE]);
  if (bytes === undefined) throw new ArtifactVerificationError(`the registry has no manifest ${digest}`);
  const actual = ociDigest(bytes);
  if (actual !== digest) throw new ArtifactVerificationError(`manifest ${digest} arrived with digest ${actual}: refused`);
  const layers = parseManifest(bytes, `manifest ${digest}`).layers;
  const archive = layers.length === 1 ? layers[0]! : undefined;
  if (archive === undefined || archive.mediaType !== ARCHIVE_MEDIA_TYPE) {
    throw new ArtifactVerificationError(`manifest ${digest} is not a plugin artifact: expected one layer of ${ARCHIVE_MEDIA_TYPE}`);
  }
  let content: Uint8Array;
  try {
    content = await client.getBlob(archive.digest);
  } catch (error) {
    if (error instanceof RegistryError) throw new ArtifactVerificationError(`archive of ${digest}: ${error.message}`);
    throw error;
  }
  return { archive: content, fileName: archive.annotations?.[TITLE_ANNOTATION] ?? "plugin.tar.gz", payloadDigest };
}
