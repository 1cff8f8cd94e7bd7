import { createPublicKey } from "node:crypto";
import { readCosignSigningKey } from "./signing-key";
import {
  OCI_MANIFEST_MEDIA_TYPE,
  SIGNATURE_ANNOTATION,
  SIMPLE_SIGNING_MEDIA_TYPE,
  renderArtifactManifest,
  renderSignatureManifest,
  renderSimpleSigningPayload,
  signPayload,
  signatureTag,
  verifyPayload,
  type Descriptor,
  type ImageManifest,
  type RenderedManifest,
} from "./installer/cosign-format";
import { ociDigest, repositoryName, RegistryClient, type ArtifactReference, type RegistryClientOptions } from "./installer/registry-client";

/** What to publish, and where. */
export interface PublishRequest {
  /** Where: registry, repository and the tag the artifact gets (a digest is computed, not given). */
  readonly reference: Pick<ArtifactReference, "registry" | "repository" | "tag">;
  /** The plugin's reproducible archive. */
  readonly archive: Uint8Array;
  /** The archive's file name, `<name>-<version>.tar.gz`. */
  readonly fileName: string;
  /** The signer's ECDSA P-256 private key, PEM. */
  readonly privateKey: string;
  /** The private key's password, for an encrypted PKCS#8 key. */
  readonly privateKeyPassword?: string;
  /** How to reach the registry. */
  readonly registry?: RegistryClientOptions;
}

/** What was published. */
export interface PublishedArtifact {
  /** `sha256:` digest of the artifact's manifest. */
  readonly digest: string;
  /** `registry/repository@sha256:...`: what to install and what `cosign verify --key` takes. */
  readonly reference: string;
  /** The tag of the signature manifest, `sha256-<hex>.sig`. */
  readonly signatureTag: string;
  /** `sha256:` digest of the signed Simple Signing payload. */
  readonly payloadDigest: string;
  /** `sha256:` digest of the archive (the artifact's layer). */
  readonly archiveDigest: string;
}

async function push(client: RegistryClient, reference: string, rendered: RenderedManifest): Promise<string> {
  for (const blob of rendered.blobs) await client.pushBlob(blob.bytes);
  return client.pushManifest(reference, rendered.bytes, OCI_MANIFEST_MEDIA_TYPE);
}

/**
 * Pushes the archive as `cosign upload blob` would, then signs its manifest digest as
 * `cosign sign --key` does (cosign specs/SIGNATURE_SPEC.md): the Simple Signing payload, its
 * ECDSA-P256 signature in the layer annotation, the manifest at tag `sha256-<hex>.sig`. A
 * signature of the same payload by the same key that is already there is kept as is (signing
 * is idempotent); signatures by other keys stay.
 */
export async function publishArtifact(request: PublishRequest): Promise<PublishedArtifact> {
  const key = readCosignSigningKey(request.privateKey, request.privateKeyPassword);
  const publicKey = createPublicKey(key);
  const client = new RegistryClient(request.reference, request.registry);
  const artifact = renderArtifactManifest(request.archive, request.fileName);
  const digest = await push(client, request.reference.tag ?? ociDigest(artifact.bytes), artifact);

  const payload = renderSimpleSigningPayload(repositoryName(request.reference), digest);
  const payloadDigest = ociDigest(payload);
  const tag = signatureTag(digest);
  const existing = await client.getManifest(tag, [OCI_MANIFEST_MEDIA_TYPE]);
  const layers: readonly Descriptor[] = existing ? ((JSON.parse(Buffer.from(existing).toString("utf8")) as ImageManifest).layers ?? []) : [];
  const ours = (layer: Descriptor) =>
    layer.mediaType === SIMPLE_SIGNING_MEDIA_TYPE && layer.digest === payloadDigest && verifyPayload(payload, layer.annotations?.[SIGNATURE_ANNOTATION] ?? "", publicKey);
  if (!layers.some(ours)) {
    await push(client, tag, renderSignatureManifest(payload, signPayload(payload, key), layers));
  }
  return {
    digest,
    reference: `${repositoryName(request.reference)}@${digest}`,
    signatureTag: tag,
    payloadDigest,
    archiveDigest: artifact.manifest.layers[0]!.digest,
  };
}
