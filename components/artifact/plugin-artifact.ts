import * as pulumi from "@pulumi/pulumi";
import { contentDigest } from "../core/digest";
import { SecretInputs } from "../core/secret-inputs";
import { packPluginArchive, pluginArchiveName } from "../plugin/archive";
import type { PluginSpec } from "../plugin/model";
import { resolvePlugin } from "../plugin/validate";
import { SignedArtifact } from "./artifact-provider";
import { resolvePluginArtifact } from "./artifact-spec";

/** A plugin's signed artifact, as a stack with the artifact delivery installs it. */
export interface PluginArtifactReference {
  /** The plugin's name. */
  readonly pluginName: string;
  /** `registry/repository@sha256:...`: the artifact, pinned by digest. */
  readonly reference: string;
  /** The signer's public key (PEM) the init step verifies the signature with. */
  readonly publicKey: string;
  /** The digest of the plugin's files the archive was made from (PluginMetadata `digest`). */
  readonly pluginDigest: string;
}

/** How a stack installs plugins from their signed artifacts (artifact delivery). */
export interface PluginArtifactsArgs {
  /** Each custom plugin's artifact, PluginArtifact `definition`s: one per plugin. */
  readonly artifacts: pulumi.Input<pulumi.Input<PluginArtifactReference>[]>;
  /**
   * The image the init step runs the installer in, pinned by digest (`name@sha256:...`): any image
   * with Node.js 20 or later, e.g. the official `node:20-alpine`. A tag alone is refused.
   */
  readonly installerImage: pulumi.Input<string>;
  /**
   * Speak plain HTTP to the registry: for a registry on the local host only.
   * @default false
   */
  readonly plainHttp?: pulumi.Input<boolean>;
  /**
   * Credentials to pull with: on Kubernetes the name of a Secret with keys `username` and
   * `password`; in compose, any value makes the installer read REGISTRY_USERNAME and
   * REGISTRY_PASSWORD from `.env`.
   * @default - anonymous pulls
   */
  readonly registrySecret?: pulumi.Input<string>;
}

/** Arguments of {@link PluginArtifact}. */
export interface PluginArtifactArgs {
  /** The plugin to publish (a PluginMetadata's `definition`): its reproducible source archive is what is pushed. */
  readonly plugin: pulumi.Input<PluginSpec>;
  /**
   * Where the artifact goes: `registry/repository`, the registry host included, as
   * `cosign upload blob` takes it, e.g. `ghcr.io/acme/kong-plugins/rate-limit-example`.
   */
  readonly repository: pulumi.Input<string>;
  /**
   * The tag the artifact is pushed under; what is installed is its digest, never the tag.
   * @default - the plugin's version
   */
  readonly tag?: pulumi.Input<string>;
  /**
   * The signer's ECDSA P-256 private key: the `cosign.key` that `cosign generate-key-pair` writes
   * (with its password as `signingKeyPassword`), or PEM: PKCS#8 (`openssl genpkey -algorithm EC
   * -pkeyopt ec_paramgen_curve:P-256`), SEC 1, or encrypted PKCS#8 with `signingKeyPassword`.
   * Always kept a Pulumi secret. See https://github.com/sigstore/cosign/blob/main/specs/SIGNATURE_SPEC.md
   */
  readonly signingKey: pulumi.Input<string>;
  /**
   * Password of an encrypted signing key (cosign.key's COSIGN_PASSWORD, or an encrypted PKCS#8
   * key's); always kept a Pulumi secret.
   * @default - the key is not encrypted
   */
  readonly signingKeyPassword?: pulumi.Input<string>;
  /**
   * Registry user name, for Basic authentication or the token endpoint of Bearer authentication.
   * Always kept a Pulumi secret.
   * @default - anonymous
   */
  readonly username?: pulumi.Input<string>;
  /**
   * Registry password or token; always kept a Pulumi secret.
   * @default - anonymous
   */
  readonly password?: pulumi.Input<string>;
  /**
   * Speak plain HTTP to the registry instead of HTTPS: for a registry on the local host.
   * @default false
   */
  readonly plainHttp?: pulumi.Input<boolean>;
}

/**
 * A plugin's source archive pushed to an OCI registry as `cosign upload blob` pushes a file, and
 * signed with a key as `cosign sign --key` signs (cosign's SIGNATURE_SPEC.md): `cosign verify
 * --key cosign.pub --insecure-ignore-tlog <reference>` verifies it (no transparency-log entry is
 * made: signing is offline). Keyless signing (Fulcio certificates, Rekor) is out of scope: it
 * needs Sigstore's online services. Deleting the resource leaves the artifact in the registry
 * (artifact-provider.ts says why).
 */
export class PluginArtifact extends pulumi.ComponentResource {
  /** `registry/repository@sha256:...`, what to install and to verify. */
  readonly reference: pulumi.Output<string>;
  /** `sha256:` digest of the artifact's manifest. */
  readonly digest: pulumi.Output<string>;
  /** `registry/repository:sha256-<hex>.sig`, where the signature is. */
  readonly signatureReference: pulumi.Output<string>;
  /** The signer's public key, PEM: what `cosign verify --key` and the init step take. */
  readonly publicKey: pulumi.Output<string>;
  /** `sha256:` digest of the archive that was pushed. */
  readonly archiveDigest: pulumi.Output<string>;
  /** The plugin and its artifact, for a stack's `pluginArtifacts` (`artifact.definition`). */
  readonly definition: pulumi.Output<PluginArtifactReference>;

  constructor(name: string, args: PluginArtifactArgs, opts?: pulumi.ComponentResourceOptions) {
    super("kong-plugins:index:PluginArtifact", name, {}, opts);
    const secretArgs = { signingKey: args.signingKey, signingKeyPassword: args.signingKeyPassword, username: args.username, password: args.password };
    const inputs = new SecretInputs(this, { plugin: args.plugin, repository: args.repository, tag: args.tag, plainHttp: args.plainHttp, ...secretArgs }, Object.keys(secretArgs));
    const checked = inputs.checked((values) => {
      const plugin = resolvePlugin(values.plugin);
      const where = resolvePluginArtifact(
        {
          repository: values.repository,
          signingKey: values.signingKey,
          ...(values.tag !== undefined ? { tag: values.tag } : {}),
          ...(values.signingKeyPassword !== undefined ? { signingKeyPassword: values.signingKeyPassword } : {}),
          ...(values.plainHttp !== undefined ? { plainHttp: values.plainHttp } : {}),
        },
        plugin.version,
      );
      return { plugin, where };
    });
    // Everything but the four secrets is public: the archive is what anyone pulling it reads.
    const publicPart = inputs.publish(
      checked.apply(async ({ plugin, where }) => {
        const archive = await packPluginArchive(plugin);
        return { plugin: plugin.name, pluginDigest: plugin.digest, fileName: pluginArchiveName(plugin), archive: archive.toString("base64"), archiveDigest: contentDigest(archive), ...where };
      }),
    );
    const secret = (value: pulumi.Input<string> | undefined) => (value === undefined ? undefined : pulumi.secret(value));
    const pushed = new SignedArtifact(
      `${name}-push`,
      {
        registry: publicPart.registry,
        repository: publicPart.repository,
        tag: publicPart.tag,
        archive: publicPart.archive,
        archiveDigest: publicPart.archiveDigest,
        fileName: publicPart.fileName,
        publicKey: publicPart.publicKey,
        plainHttp: publicPart.plainHttp,
        privateKey: secret(args.signingKey),
        privateKeyPassword: secret(args.signingKeyPassword),
        username: secret(args.username),
        password: secret(args.password),
      },
      { parent: this },
    );
    this.reference = pushed.reference;
    this.digest = pushed.digest;
    this.signatureReference = pulumi.all([publicPart.registry, publicPart.repository, pushed.signatureTag]).apply(([registry, repository, tag]) => `${registry}/${repository}:${tag}`);
    this.publicKey = publicPart.publicKey;
    this.archiveDigest = publicPart.archiveDigest;
    this.definition = pulumi
      .all([publicPart.plugin, pushed.reference, publicPart.publicKey, publicPart.pluginDigest])
      .apply(([pluginName, reference, publicKey, pluginDigest]) => ({ pluginName, reference, publicKey, pluginDigest }));
    this.registerOutputs({
      reference: this.reference,
      digest: this.digest,
      signatureReference: this.signatureReference,
      publicKey: this.publicKey,
      archiveDigest: this.archiveDigest,
      definition: this.definition,
    });
  }
}
