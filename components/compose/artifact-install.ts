import { composeSecretReference, type ComposeTree } from "../core/compose-text";
import type { OutputFile } from "../core/files";
import {
  INSTALLED_PLUGINS_DIR,
  INSTALLER_DIR,
  installerCommand,
  installerEnvironment,
  installerFiles,
  PUBLIC_KEYS_DIR,
  publicKeyFileName,
  type ArtifactInstallSpec,
} from "../artifact/install-spec";
import { INSTALLER_ENV } from "../artifact/installer/main";
import type { ResolvedPlugin } from "../plugin/model";

/**
 * The artifact delivery in compose: a one-shot service per plugin runs the project's installer
 * (components/artifact/installer/main.ts), which verifies the artifact's cosign signature and
 * unpacks the plugin into the named volume Kong mounts read-only at `/opt/kong/plugins`. Kong
 * `depends_on` each with `condition: service_completed_successfully`: compose starts Kong only
 * once every installer exited 0, so Kong never runs a plugin whose signature did not verify
 * (Compose specification, `depends_on`: https://docs.docker.com/compose/compose-file/05-services/#depends_on).
 */

/** The named volume the installers fill and Kong reads. */
export const ARTIFACTS_VOLUME = "plugin-artifacts";

/** What the artifact install adds to a compose project. */
export interface ComposeArtifactInstall {
  /** One installer service per plugin, by service name. */
  readonly services: Record<string, Record<string, ComposeTree>>;
  /** Kong's (and its migrations') mount of the installed plugins. */
  readonly pluginVolume: string;
  /** What Kong waits for: each installer, completed successfully. */
  readonly dependsOn: Record<string, { condition: string }>;
  /** The installer's files and the signers' public keys, in the project folder. */
  readonly files: OutputFile[];
  /** Variables the project's `.env` must define: the registry credentials, when pulls need them. */
  readonly secretVariables: string[];
}

/** The service name of a plugin's installer. */
export function installServiceName(plugin: string): string {
  return `install-${plugin}`;
}

export function composeArtifactInstall(install: ArtifactInstallSpec, plugins: readonly ResolvedPlugin[]): ComposeArtifactInstall {
  const credentials = install.registrySecret ? [INSTALLER_ENV.username, INSTALLER_ENV.password] : [];
  const services = Object.fromEntries(
    plugins.map((plugin) => [
      installServiceName(plugin.name),
      {
        image: install.installerImage,
        command: installerCommand(),
        environment: { ...installerEnvironment(install, plugin.name), ...Object.fromEntries(credentials.map((variable) => [variable, composeSecretReference(variable)])) },
        volumes: [`./plugin-installer:${INSTALLER_DIR}:ro`, `./plugin-keys:${PUBLIC_KEYS_DIR}:ro`, `${ARTIFACTS_VOLUME}:${INSTALLED_PLUGINS_DIR}`],
        restart: "no",
      },
    ]),
  );
  return {
    services,
    pluginVolume: `${ARTIFACTS_VOLUME}:${INSTALLED_PLUGINS_DIR}:ro`,
    dependsOn: Object.fromEntries(plugins.map((plugin) => [installServiceName(plugin.name), { condition: "service_completed_successfully" }])),
    files: [
      ...installerFiles().map((file) => ({ path: `plugin-installer/${file.path}`, content: file.content })),
      ...plugins.map((plugin) => ({ path: `plugin-keys/${publicKeyFileName(plugin.name)}`, content: install.artifacts[plugin.name]!.publicKey })),
    ],
    secretVariables: credentials,
  };
}
