import * as pulumi from "@pulumi/pulumi";
import { publishArtifact, type PublishedArtifact } from "./publish";

/** Inputs of the push: where, what (the archive, base64) and with which secrets. */
export interface SignedArtifactInputs {
  readonly registry: string;
  readonly repository: string;
  readonly tag: string;
  /** The archive's bytes, base64: small (a plugin's Lua), and what the digest is computed over. */
  readonly archive: string;
  readonly archiveDigest: string;
  readonly fileName: string;
  /** The signer's public key (PEM): a new key means a new signature. */
  readonly publicKey: string;
  readonly plainHttp: boolean;
  /** Secret. */
  readonly privateKey: string;
  /** Secret, optional. */
  readonly privateKeyPassword?: string;
  /** Secret, optional. */
  readonly username?: string;
  /** Secret, optional. */
  readonly password?: string;
}

/** State of the push: what was published, where, by which key. No secret. */
export interface SignedArtifactOutputs extends PublishedArtifact {
  readonly registry: string;
  readonly repository: string;
  readonly tag: string;
  readonly publicKey: string;
}

/** Inputs whose change publishes again: the content, where it goes, and the signer. */
const PUBLISHED_BY = ["registry", "repository", "tag", "archiveDigest", "publicKey"] as const;

async function publish(inputs: SignedArtifactInputs): Promise<SignedArtifactOutputs> {
  const published = await publishArtifact({
    reference: { registry: inputs.registry, repository: inputs.repository, tag: inputs.tag },
    archive: Buffer.from(inputs.archive, "base64"),
    fileName: inputs.fileName,
    privateKey: inputs.privateKey,
    ...(inputs.privateKeyPassword ? { privateKeyPassword: inputs.privateKeyPassword } : {}),
    registry: { plainHttp: inputs.plainHttp, ...(inputs.username && inputs.password ? { credentials: { username: inputs.username, password: inputs.password } } : {}) },
  });
  return { ...published, registry: inputs.registry, repository: inputs.repository, tag: inputs.tag, publicKey: inputs.publicKey };
}

/**
 * The dynamic provider that pushes and signs a plugin artifact (components/artifact/publish.ts).
 * It publishes again when the archive's digest, the place or the signer's key changes; a new
 * password or registry credential alone changes nothing in the registry.
 *
 * Delete leaves the registry's content in place, on purpose: the artifact is addressed by its
 * digest, and gateways pinned to that digest (a rollout in progress, a rollback, another stack
 * that pushed the same archive, which has the same digest) keep pulling it; many registries
 * disable deletion through the API (distribution: `storage.delete.enabled` is false by
 * default), and a tag removed by one stack would be removed for every stack sharing it.
 * Retention is the registry's policy to apply.
 */
export const signedArtifactProvider: pulumi.dynamic.ResourceProvider = {
  async diff(_id: string, olds: SignedArtifactOutputs, news: SignedArtifactInputs): Promise<pulumi.dynamic.DiffResult> {
    const changed = PUBLISHED_BY.filter((key) => olds[key] !== news[key]);
    return { changes: changed.length > 0, ...(changed.length > 0 ? { replaces: [], deleteBeforeReplace: false } : {}) };
  },
  async create(inputs: SignedArtifactInputs): Promise<pulumi.dynamic.CreateResult> {
    const outs = await publish(inputs);
    return { id: outs.reference, outs };
  },
  async update(_id: string, _olds: SignedArtifactOutputs, news: SignedArtifactInputs): Promise<pulumi.dynamic.UpdateResult> {
    return { outs: await publish(news) };
  },
  async delete(): Promise<void> {
    // Registry content stays: see above.
  },
};

/** A signed plugin artifact in a registry, kept in step by {@link signedArtifactProvider}. */
export class SignedArtifact extends pulumi.dynamic.Resource {
  /** `registry/repository@sha256:...`. */
  declare readonly reference: pulumi.Output<string>;
  /** `sha256:` digest of the artifact's manifest. */
  declare readonly digest: pulumi.Output<string>;
  /** `sha256-<hex>.sig`. */
  declare readonly signatureTag: pulumi.Output<string>;
  /** `sha256:` digest of the signed payload. */
  declare readonly payloadDigest: pulumi.Output<string>;

  constructor(name: string, args: pulumi.Inputs, opts?: pulumi.CustomResourceOptions) {
    super(signedArtifactProvider, name, { ...args, reference: undefined, digest: undefined, signatureTag: undefined, payloadDigest: undefined }, opts);
  }
}
