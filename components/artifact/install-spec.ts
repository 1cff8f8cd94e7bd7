import { readFileSync } from "node:fs";
import { join } from "node:path";
import { IssueCollector, joinPath, type ValidationIssue } from "../core/errors";
import { BOOLEAN, mapOf, objectOf, STRING, type Shape } from "../core/shape";
import { MOUNT_ROOT } from "../gateway/lua-path";
import type { ResolvedPlugin } from "../plugin/model";
import { readPublicKey, SigningKeyError } from "./installer/cosign-format";
import { INSTALLER_ENV } from "./installer/main";
import { parseArtifactReference } from "./installer/registry-client";

/** One plugin's signed artifact, as a stack installs it (a PluginArtifact's `definition`, less its name). */
export interface InstalledArtifact {
  /** `registry/repository@sha256:...`: pinned by digest; a tag alone is refused. */
  readonly reference: string;
  /** The signer's public key, PEM. */
  readonly publicKey: string;
  /**
   * The digest of the plugin's files the artifact was made from (PluginMetadata `digest`): the
   * stack refuses an artifact of other files than the plugin it checks and enables.
   * @default - not compared
   */
  readonly pluginDigest?: string;
}

/** How plugins are installed from signed artifacts by an init step before Kong starts. */
export interface ArtifactInstallSpec {
  /** Each plugin's artifact, by plugin name: one for every custom plugin of the gateway. */
  readonly artifacts: Readonly<Record<string, InstalledArtifact>>;
  /**
   * The image the init step runs the installer in: any image with Node.js 20 or later on its
   * PATH (e.g. the official `node:20-alpine`), pinned by digest (`name@sha256:...`): what
   * verifies signatures must not change under a tag.
   */
  readonly installerImage: string;
  /**
   * Speak plain HTTP to the registry: for a registry on the local host only.
   * @default false
   */
  readonly plainHttp?: boolean;
  /**
   * Registry credentials for pulling: on Kubernetes the name of a Secret with keys `username` and
   * `password`; in compose, the variables REGISTRY_USERNAME and REGISTRY_PASSWORD of `.env`.
   * @default - anonymous pulls
   */
  readonly registrySecret?: string;
}

/** The types of {@link ArtifactInstallSpec} (see ../core/shape.ts). */
export const ARTIFACT_INSTALL_SPEC: Shape = objectOf(
  {
    artifacts: mapOf(objectOf({ reference: STRING, publicKey: STRING, pluginDigest: STRING }, ["reference", "publicKey"])),
    installerImage: STRING,
    plainHttp: BOOLEAN,
    registrySecret: STRING,
  },
  ["artifacts", "installerImage"],
);

/** Where the init step finds the installer's files. */
export const INSTALLER_DIR = "/opt/kong-plugins-installer";
/** Where the init step finds the signers' public keys, one `<plugin>.pub` each. */
export const PUBLIC_KEYS_DIR = "/etc/kong-plugins/keys";
/** Where plugins are installed: the mount delivery's folder, on Kong's Lua path (gateway/lua-path.ts). */
export const INSTALLED_PLUGINS_DIR = `${MOUNT_ROOT}/kong/plugins`;
/** The installer's files, as compiled: each requires Node's modules and the others only. */
export const INSTALLER_FILES = ["cosign-format.js", "main.js", "registry-client.js", "unpack.js", "verify.js"] as const;

/** `<plugin>.pub`, the public key file of a plugin's signer. */
export function publicKeyFileName(plugin: string): string {
  return `${plugin}.pub`;
}

/**
 * The installer's files as the package ships them (dist/components/artifact/installer/), without
 * their source-map comment, which only a development build writes: the same package renders the
 * same bytes.
 */
export function installerFiles(): { path: string; content: string }[] {
  return INSTALLER_FILES.map((path) => ({
    path,
    content: readFileSync(join(__dirname, "installer", path), "utf8").replace(/\n\/\/# sourceMappingURL=\S+\s*$/, "\n"),
  }));
}

/** The init step's command: the installer's entry point, run by the image's `node`. */
export function installerCommand(): string[] {
  return ["node", `${INSTALLER_DIR}/main.js`];
}

/** The init step's environment for one plugin (credentials apart: each target references its own secret). */
export function installerEnvironment(spec: ArtifactInstallSpec, plugin: string): Record<string, string> {
  return {
    [INSTALLER_ENV.reference]: spec.artifacts[plugin]!.reference,
    [INSTALLER_ENV.pluginName]: plugin,
    [INSTALLER_ENV.publicKeyFile]: `${PUBLIC_KEYS_DIR}/${publicKeyFileName(plugin)}`,
    [INSTALLER_ENV.destination]: INSTALLED_PLUGINS_DIR,
    ...(spec.plainHttp ? { [INSTALLER_ENV.plainHttp]: "true" } : {}),
  };
}

const PINNED_IMAGE = /^[^\s@]+@sha256:[a-f0-9]{64}$/;

/**
 * Problems of an artifact install: every plugin has an artifact pinned by digest, made from its
 * files, with a P-256 public key; no artifact names a plugin the gateway lacks; the installer
 * image is pinned by digest.
 */
export function artifactInstallIssues(spec: ArtifactInstallSpec | undefined, plugins: readonly ResolvedPlugin[], path: string): ValidationIssue[] {
  const issues = new IssueCollector();
  if (spec === undefined) {
    issues.add(path, "is required for the artifact delivery", { expected: "{ artifacts, installerImage }" });
    return [...issues.issues];
  }
  if (!PINNED_IMAGE.test(spec.installerImage)) {
    issues.add(joinPath(path, "installerImage"), "is not pinned by digest: the image that verifies signatures must not change under a tag", {
      received: spec.installerImage,
      expected: "name@sha256:<64 hex>, e.g. node:20-alpine@sha256:...",
    });
  }
  const names = new Set(plugins.map((plugin) => plugin.name));
  for (const plugin of plugins) {
    const at = joinPath(joinPath(path, "artifacts"), plugin.name);
    const artifact = spec.artifacts[plugin.name];
    if (artifact === undefined) {
      issues.add(at, "is required: every custom plugin is installed from its signed artifact (a PluginArtifact)");
      continue;
    }
    const reference = parseArtifactReference(artifact.reference);
    if (typeof reference === "string") issues.add(joinPath(at, "reference"), reference, { received: artifact.reference });
    else if (reference.digest === undefined) issues.add(joinPath(at, "reference"), "names no digest: only an artifact pinned by digest is installed", { received: artifact.reference, expected: "registry/repository@sha256:<64 hex>" });
    try {
      readPublicKey(artifact.publicKey);
    } catch (error) {
      if (!(error instanceof SigningKeyError)) throw error;
      issues.add(joinPath(at, "publicKey"), error.message);
    }
    if (artifact.pluginDigest !== undefined && artifact.pluginDigest !== plugin.digest) {
      issues.add(joinPath(at, "pluginDigest"), "is not the digest of the plugin's files: the artifact was made from other files than the plugin enabled here", { received: artifact.pluginDigest, expected: plugin.digest });
    }
  }
  for (const name of Object.keys(spec.artifacts).sort()) {
    if (!names.has(name)) issues.add(joinPath(joinPath(path, "artifacts"), name), "names no custom plugin of the gateway", { expected: [...names].sort().join(", ") || "no artifacts" });
  }
  return [...issues.issues];
}

/** A plugin's artifact as a PluginArtifact's `definition` gives it. */
export interface ArtifactDefinition extends InstalledArtifact {
  /** The plugin's name. */
  readonly pluginName: string;
}

/** The install of a list of PluginArtifact definitions: artifacts by plugin name. */
export function artifactInstallOf(install: Omit<ArtifactInstallSpec, "artifacts"> & { readonly artifacts: readonly ArtifactDefinition[] }): ArtifactInstallSpec {
  const { artifacts, ...rest } = install;
  return { ...rest, artifacts: Object.fromEntries(artifacts.map(({ pluginName, ...artifact }) => [pluginName, artifact])) };
}
