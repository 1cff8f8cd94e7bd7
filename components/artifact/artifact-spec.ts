import { createPublicKey } from "node:crypto";
import { IssueCollector } from "../core/errors";
import { SigningKeyError } from "./installer/cosign-format";
import { readCosignSigningKey } from "./signing-key";
import { parseArtifactReference, TAG } from "./installer/registry-client";

/** A PluginArtifact's inputs as plain values. */
export interface PluginArtifactSpec {
  /** `registry/repository`, e.g. `ghcr.io/acme/kong-plugins/rate-limit-example`. */
  readonly repository: string;
  /** The tag; the plugin's version when not given. */
  readonly tag?: string;
  /** ECDSA P-256 private key, PEM (secret). */
  readonly signingKey: string;
  /** Password of an encrypted PKCS#8 key (secret). */
  readonly signingKeyPassword?: string;
  /** Plain HTTP to the registry. */
  readonly plainHttp?: boolean;
}

/** Checked inputs: where the artifact goes and the signer's public key. */
export interface ResolvedPluginArtifact {
  readonly registry: string;
  readonly repository: string;
  readonly tag: string;
  /** The signer's public key, PEM (SPKI), as `cosign public-key` prints it. */
  readonly publicKey: string;
  readonly plainHttp: boolean;
}

/**
 * Checks where the artifact goes and that the key signs as cosign does; every problem at once.
 * The key's text never appears in an error (SigningKeyError messages do not quote it).
 */
export function resolvePluginArtifact(spec: PluginArtifactSpec, version: string): ResolvedPluginArtifact {
  const issues = new IssueCollector();
  const parsed = parseArtifactReference(spec.repository);
  if (typeof parsed === "string") {
    issues.add("repository", parsed, { received: spec.repository, expected: "registry/repository, e.g. ghcr.io/acme/kong-plugins/rate-limit-example" });
  } else if (parsed.digest !== undefined || parsed.tag !== undefined) {
    issues.add("repository", "names a tag or digest; give the tag as `tag` (the digest is computed)", { received: spec.repository, expected: "registry/repository" });
  }
  if (spec.tag !== undefined && !TAG.test(spec.tag)) {
    issues.add("tag", "is not a tag the OCI distribution spec accepts", { received: spec.tag, expected: "[A-Za-z0-9_][A-Za-z0-9._-]{0,127}" });
  }
  let publicKey: string | undefined;
  try {
    publicKey = createPublicKey(readCosignSigningKey(spec.signingKey, spec.signingKeyPassword)).export({ format: "pem", type: "spki" }).toString();
  } catch (error) {
    if (!(error instanceof SigningKeyError)) throw error;
    issues.add("signingKey", error.message, { expected: "an ECDSA P-256 private key: cosign's cosign.key with signingKeyPassword, or PEM (PKCS#8, SEC 1, or encrypted PKCS#8 with signingKeyPassword)" });
  }
  issues.throwIfAny("plugin artifact");
  const reference = parsed as Exclude<typeof parsed, string>;
  return { registry: reference.registry, repository: reference.repository, tag: spec.tag ?? version, publicKey: publicKey!, plainHttp: spec.plainHttp ?? false };
}
