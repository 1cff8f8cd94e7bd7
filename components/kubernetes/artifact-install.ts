import { sha256Hex } from "../core/digest";
import { IssueCollector, joinPath, type ValidationIssue } from "../core/errors";
import { toKubernetesName } from "../core/names";
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
import { MANAGED_BY_LABELS, type KubernetesObject } from "../plugin/kubernetes-object";
import type { KubernetesManifestsSpec } from "./spec";

/**
 * The artifact delivery on Kubernetes: an init container per plugin runs the project's installer
 * (components/artifact/installer/main.ts) in a Node.js image pinned by digest; it verifies the
 * artifact's cosign signature with the signer's public key and unpacks the plugin into an
 * emptyDir that Kong mounts read-only at `/opt/kong/plugins`, the mount delivery's folder on
 * its Lua path. Kubernetes starts a pod's containers only after every init container has
 * succeeded (https://kubernetes.io/docs/concepts/workloads/pods/init-containers/), so Kong never
 * runs a plugin whose signature did not verify: the pod stays in Init:Error instead.
 */

/** Names of the artifact delivery's objects and volumes. */
export function artifactInstallNames(name: string) {
  return { installer: `${name}-plugin-installer`, keys: `${name}-plugin-keys`, pluginsVolume: "plugin-artifacts", installerVolume: "plugin-installer", keysVolume: "plugin-keys" };
}

/** Annotation whose value changes exactly when an installed artifact (its digest or signer) does, so pods roll. */
export const ARTIFACTS_CHECKSUM_ANNOTATION = "kong-plugins/plugin-artifacts-checksum";

/** The ConfigMaps of the installer's files and of the signers' public keys. */
export function renderArtifactInstallConfigMaps(install: ArtifactInstallSpec, name: string, namespace: string): { installer: KubernetesObject; keys: KubernetesObject } {
  const names = artifactInstallNames(name);
  return {
    installer: {
      apiVersion: "v1",
      kind: "ConfigMap",
      metadata: { name: names.installer, namespace, labels: MANAGED_BY_LABELS },
      data: Object.fromEntries(installerFiles().map((file) => [file.path, file.content])),
    },
    keys: {
      apiVersion: "v1",
      kind: "ConfigMap",
      metadata: { name: names.keys, namespace, labels: MANAGED_BY_LABELS },
      data: Object.fromEntries(Object.entries(install.artifacts).map(([plugin, artifact]) => [publicKeyFileName(plugin), artifact.publicKey])),
    },
  };
}

/** The init container that installs one plugin. */
/** The init container installing a plugin: `install-<plugin, as a Kubernetes name>`, at most 63 characters. */
function installContainerName(plugin: string): string {
  return `install-${toKubernetesName(plugin)}`.slice(0, 63).replace(/-+$/, "");
}

/**
 * Plugins whose init containers would share a name (a pod refuses duplicate container names):
 * `a_b` and `a-b`, or long names alike in their first 55 characters.
 */
export function installContainerNameIssues(plugins: readonly { readonly name: string }[], path: string): ValidationIssue[] {
  const issues = new IssueCollector();
  const firstWithName = new Map<string, number>();
  plugins.forEach((plugin, index) => {
    const container = installContainerName(plugin.name);
    const first = firstWithName.get(container);
    if (first === undefined) firstWithName.set(container, index);
    else issues.add(joinPath(joinPath(path, index), "name"), `makes the init container name ${JSON.stringify(container)}, which gateway.plugins[${first}] makes too; a pod refuses two containers of one name`, { received: plugin.name, expected: "plugin names that differ as Kubernetes names" });
  });
  return [...issues.issues];
}

function installContainer(install: ArtifactInstallSpec, plugin: string, name: string): Record<string, unknown> {
  const names = artifactInstallNames(name);
  const credentials = install.registrySecret
    ? [
        { name: INSTALLER_ENV.username, valueFrom: { secretKeyRef: { name: install.registrySecret, key: "username" } } },
        { name: INSTALLER_ENV.password, valueFrom: { secretKeyRef: { name: install.registrySecret, key: "password" } } },
      ]
    : [];
  return {
    name: installContainerName(plugin),
    image: install.installerImage,
    command: installerCommand(),
    env: [...Object.entries(installerEnvironment(install, plugin)).map(([variable, value]) => ({ name: variable, value })), ...credentials],
    securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, runAsNonRoot: true, capabilities: { drop: ["ALL"] } },
    volumeMounts: [
      { name: names.installerVolume, mountPath: INSTALLER_DIR, readOnly: true },
      { name: names.keysVolume, mountPath: PUBLIC_KEYS_DIR, readOnly: true },
      { name: names.pluginsVolume, mountPath: INSTALLED_PLUGINS_DIR },
    ],
  };
}

/**
 * Kong's Deployment with the artifact install: the init containers (in plugin order), their
 * volumes, Kong's read-only mount of the installed plugins, and a checksum of the artifacts.
 */
export function withArtifactInstall(spec: KubernetesManifestsSpec, name: string, deployment: KubernetesObject): KubernetesObject {
  const install = spec.artifactInstall!;
  const names = artifactInstallNames(name);
  const deploymentSpec = deployment.spec as { template: { metadata: { annotations: Record<string, string> }; spec: { containers: { volumeMounts: unknown[] }[]; volumes: unknown[]; initContainers?: unknown[] } } };
  const pod = deploymentSpec.template.spec;
  const [kong, ...others] = pod.containers;
  const checksum = sha256Hex(JSON.stringify(Object.entries(install.artifacts).sort(([a], [b]) => (a < b ? -1 : 1)).map(([plugin, artifact]) => [plugin, artifact.reference, artifact.publicKey])));
  return {
    ...deployment,
    spec: {
      ...deploymentSpec,
      template: {
        ...deploymentSpec.template,
        metadata: { ...deploymentSpec.template.metadata, annotations: { ...deploymentSpec.template.metadata.annotations, [ARTIFACTS_CHECKSUM_ANNOTATION]: `sha256:${checksum}` } },
        spec: {
          ...pod,
          initContainers: spec.gateway.plugins.map((plugin) => installContainer(install, plugin.name, name)),
          containers: [{ ...kong!, volumeMounts: [...kong!.volumeMounts, { name: names.pluginsVolume, mountPath: INSTALLED_PLUGINS_DIR, readOnly: true }] }, ...others],
          volumes: [
            ...pod.volumes,
            { name: names.pluginsVolume, emptyDir: {} },
            { name: names.installerVolume, configMap: { name: names.installer } },
            { name: names.keysVolume, configMap: { name: names.keys } },
          ],
        },
      },
    } as never,
  };
}
