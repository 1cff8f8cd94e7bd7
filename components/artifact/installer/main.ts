// The init step's entry point: `node main.js`, configured by environment. Part of the installer:
// this file imports Node's own modules and the installer's files only.
import { readFileSync } from "node:fs";
import { readPublicKey } from "./cosign-format";
import { parseArtifactReference, RegistryClient } from "./registry-client";
import { pluginFilesOf, installPluginFiles } from "./unpack";
import { verifyArtifact } from "./verify";

/** The environment the installer reads; the renderers set exactly these. */
export const INSTALLER_ENV = {
  /** The artifact, `registry/repository@sha256:<hex>`: a digest is required, a tag is refused. */
  reference: "PLUGIN_ARTIFACT",
  /** The plugin's name: the archive's top folder and the folder written. */
  pluginName: "PLUGIN_NAME",
  /** A file holding the signer's public key (PEM). */
  publicKeyFile: "PLUGIN_PUBLIC_KEY_FILE",
  /** The folder the plugin's folder is written into (Kong's `/opt/kong/plugins`). */
  destination: "PLUGIN_DESTINATION",
  /** Registry credentials, optional. */
  username: "REGISTRY_USERNAME",
  password: "REGISTRY_PASSWORD",
  /** `true` to speak plain HTTP to the registry (a registry on the local host only). */
  plainHttp: "REGISTRY_PLAIN_HTTP",
} as const;

/** Verifies the artifact named by the environment and installs its plugin; returns what it did. */
export async function installFromEnvironment(env: NodeJS.ProcessEnv): Promise<string> {
  const missing = [INSTALLER_ENV.reference, INSTALLER_ENV.pluginName, INSTALLER_ENV.publicKeyFile, INSTALLER_ENV.destination].filter((name) => !env[name]);
  if (missing.length > 0) throw new Error(`missing environment: ${missing.join(", ")}`);
  const text = env[INSTALLER_ENV.reference]!;
  const reference = parseArtifactReference(text);
  if (typeof reference === "string") throw new Error(`${INSTALLER_ENV.reference} ${JSON.stringify(text)} ${reference}`);
  if (reference.digest === undefined) throw new Error(`${INSTALLER_ENV.reference} ${JSON.stringify(text)} names no digest: only an artifact pinned by digest is installed`);
  const name = env[INSTALLER_ENV.pluginName]!;
  const key = readPublicKey(readFileSync(env[INSTALLER_ENV.publicKeyFile]!, "utf8"));
  const username = env[INSTALLER_ENV.username];
  const password = env[INSTALLER_ENV.password];
  const client = new RegistryClient(reference, {
    ...(username && password ? { credentials: { username, password } } : {}),
    plainHttp: env[INSTALLER_ENV.plainHttp] === "true",
  });
  const verified = await verifyArtifact(client, reference.digest, key);
  const target = installPluginFiles(pluginFilesOf(verified.archive, name), env[INSTALLER_ENV.destination]!, name);
  return `verified ${reference.registry}/${reference.repository}@${reference.digest} (signature payload ${verified.payloadDigest}) and installed plugin ${name} into ${target}`;
}

if (require.main === module) {
  installFromEnvironment(process.env).then(
    (done) => console.log(done),
    (error: Error) => {
      // fetch says only "fetch failed"; the reason (refused, unknown host, TLS) is its cause.
      const cause = error.cause instanceof Error ? `: ${error.cause.message}` : "";
      console.error(`plugin not installed: ${error.message}${cause}`);
      process.exitCode = 1;
    },
  );
}
