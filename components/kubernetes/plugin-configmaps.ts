/**
 * Plugin ConfigMaps the way Kong's Helm chart mounts them (Kong/charts `charts/kong/templates/
 * _helpers.tpl`, `kong.volumes` and `kong.volumeMounts` over `plugins.configMaps`): one
 * ConfigMap for the plugin folder's own files, mounted as volume `kong-plugin-<pluginName>` at
 * `/opt/kong/plugins/<pluginName>`, and one ConfigMap per subfolder, mounted as a volume named
 * after the ConfigMap at `/opt/kong/plugins/<pluginName>/<path>`. A ConfigMap key cannot hold
 * `/`, so a folder per ConfigMap is what lets every key be a plain file name; and it makes what
 * is rendered here exactly what a user of Kong's chart can point `plugins.configMaps` at.
 */
import { posix } from "node:path";
import { compareStrings, type TextFile } from "../core/digest";
import { IssueCollector, joinPath, type ValidationIssue } from "../core/errors";
import { DNS1123_LABEL, toKubernetesName } from "../core/names";
import { MOUNT_ROOT } from "../gateway/lua-path";
import { MANAGED_BY_LABELS, type KubernetesObject } from "../plugin/kubernetes-object";
import type { ResolvedPlugin } from "../plugin/model";

/** The most a ConfigMap may hold: 1 MiB. */
export const CONFIGMAP_MAX_BYTES = 1024 * 1024;

/** The ConfigMap and volume name of a plugin's top folder, as Kong's Helm chart names the volume. */
export function pluginVolumeName(plugin: Pick<ResolvedPlugin, "name">): string {
  return `kong-plugin-${toKubernetesName(plugin.name)}`;
}

/** One ConfigMap of a plugin: the files directly in one of its folders. */
export interface PluginConfigMapPart {
  /** The folder, relative to the plugin folder: `""` for the plugin folder itself, e.g. `migrations`. */
  readonly folder: string;
  /** The ConfigMap's name, which is also its volume's (the chart names a subdirectory's volume after its ConfigMap). */
  readonly name: string;
  /** The files, by their name within the folder. */
  readonly files: readonly TextFile[];
}

/** The name of the ConfigMap of one of a plugin's subfolders: `kong-plugin-<name>-<folder, '/' as '-'>`. */
export function pluginSubfolderConfigMapName(plugin: Pick<ResolvedPlugin, "name">, folder: string): string {
  return toKubernetesName(`${pluginVolumeName(plugin)}-${folder.replace(/\//g, "-")}`);
}

/**
 * A plugin's files split by folder, the plugin folder first then its subfolders by path. Only
 * folders that hold files get a ConfigMap: a folder holding only folders is a mount point.
 */
export function pluginConfigMapParts(plugin: Pick<ResolvedPlugin, "name" | "files">): PluginConfigMapPart[] {
  const byFolder = new Map<string, TextFile[]>();
  for (const file of plugin.files) {
    const folder = posix.dirname(file.path) === "." ? "" : posix.dirname(file.path);
    byFolder.set(folder, [...(byFolder.get(folder) ?? []), { path: posix.basename(file.path), content: file.content }]);
  }
  if (!byFolder.has("")) byFolder.set("", []);
  return [...byFolder.keys()]
    .sort((a, b) => (a === "" ? -1 : b === "" ? 1 : compareStrings(a, b)))
    .map((folder) => ({ folder, name: folder === "" ? pluginVolumeName(plugin) : pluginSubfolderConfigMapName(plugin, folder), files: byFolder.get(folder) ?? [] }));
}

/** The subfolders of a plugin that get a ConfigMap of their own, by path. */
export function pluginSubfolders(files: readonly Pick<TextFile, "path">[]): string[] {
  return [...new Set(files.map((file) => posix.dirname(file.path)).filter((folder) => folder !== "."))].sort(compareStrings);
}

const CONFIGMAP_KEY = /^[-._a-zA-Z0-9]+$/;

/** The bytes a ConfigMap's data takes: keys and values. */
function dataBytes(part: PluginConfigMapPart): number {
  return part.files.reduce((total, file) => total + Buffer.byteLength(file.content, "utf8") + Buffer.byteLength(file.path, "utf8"), 0);
}

/** Problems with delivering a plugin as ConfigMaps: any one over 1 MiB, names Kubernetes refuses, name clashes. */
export function pluginConfigMapIssues(plugin: ResolvedPlugin, path: string): ValidationIssue[] {
  const issues = new IssueCollector();
  const names = new Map<string, string>();
  for (const part of pluginConfigMapParts(plugin)) {
    const where = part.folder === "" ? path : joinPath(path, `${part.folder}/`);
    const size = dataBytes(part);
    if (size > CONFIGMAP_MAX_BYTES) {
      issues.add(where, `makes a ConfigMap of ${size} bytes (${part.name}), more than a ConfigMap holds (1 MiB); deliver it in a custom image (delivery: image) or with Kong Operator (delivery: operator)`, {
        received: `${size} bytes`,
        expected: `at most ${CONFIGMAP_MAX_BYTES} bytes per ConfigMap`,
      });
    }
    if (!DNS1123_LABEL.test(part.name) || part.name.length > 63) {
      issues.add(where, "makes a ConfigMap and volume name Kubernetes refuses (kong-plugin-<name>[-<folder>], at most 63 characters)", { received: part.name });
    }
    const other = names.get(part.name);
    if (other !== undefined) issues.add(where, `makes the same ConfigMap name as the folder '${other}'`, { received: part.name });
    names.set(part.name, part.folder);
    for (const file of part.files) {
      if (!CONFIGMAP_KEY.test(file.path)) issues.add(joinPath(path, part.folder === "" ? file.path : `${part.folder}/${file.path}`), "cannot be a ConfigMap key", { received: file.path, expected: "letters, digits, '-', '_' and '.'" });
    }
  }
  return [...issues.issues];
}

/** A plugin's ConfigMaps: its folder's files, then one per subfolder, each file under its own name. */
export function renderPluginConfigMaps(plugin: ResolvedPlugin, namespace: string): KubernetesObject[] {
  return pluginConfigMapParts(plugin).map((part) => ({
    apiVersion: "v1",
    kind: "ConfigMap",
    metadata: { name: part.name, namespace, labels: { ...MANAGED_BY_LABELS, "kong-plugins/plugin": toKubernetesName(plugin.name) } },
    data: Object.fromEntries(part.files.map((file) => [file.path, file.content])),
  }));
}

/** A pod volume of a plugin ConfigMap. */
export interface PluginVolume {
  readonly name: string;
  readonly configMap: { readonly name: string };
}

/** A container's mount of a plugin ConfigMap. */
export interface PluginVolumeMount {
  readonly name: string;
  readonly mountPath: string;
  readonly readOnly: true;
}

/**
 * The volumes and mounts of a plugin's ConfigMaps, as the chart's `kong.volumes` and
 * `kong.volumeMounts` make them: `kong-plugin-<name>` at `/opt/kong/plugins/<name>`, then each
 * subfolder's ConfigMap (volume named after it) at `/opt/kong/plugins/<name>/<folder>`, read-only.
 */
export function pluginVolumes(plugin: ResolvedPlugin): { volumes: PluginVolume[]; mounts: PluginVolumeMount[] } {
  const mountPath = `${MOUNT_ROOT}/kong/plugins/${plugin.name}`;
  const parts = pluginConfigMapParts(plugin);
  return {
    volumes: parts.map((part) => ({ name: part.name, configMap: { name: part.name } })),
    mounts: parts.map((part) => ({ name: part.name, mountPath: part.folder === "" ? mountPath : `${mountPath}/${part.folder}`, readOnly: true })),
  };
}

/** One entry of Kong's chart value `plugins.configMaps`. */
export interface ChartPluginConfigMap {
  /** The plugin's name: the chart adds it to KONG_PLUGINS and mounts at `/opt/kong/plugins/<pluginName>`. */
  readonly pluginName: string;
  /** The ConfigMap of the plugin folder's own files. */
  readonly name: string;
  /** One ConfigMap per subfolder: `name` is the ConfigMap (and volume), `path` the folder. */
  readonly subdirectories?: readonly { readonly name: string; readonly path: string }[];
}

/** The Helm values for Kong's chart (`charts/kong`) that mount the rendered plugin ConfigMaps. */
export interface ChartPluginValues {
  readonly plugins: { readonly configMaps: readonly ChartPluginConfigMap[] };
}

/**
 * The values a user of Kong's chart adds to run these plugins from the ConfigMaps rendered by
 * the ConfigMap delivery. No `env` is needed: from `plugins.configMaps` the chart sets
 * KONG_PLUGINS itself (`bundled,<pluginName>...`, `kong.plugins`), and its KONG_LUA_PACKAGE_PATH
 * (`/opt/?.lua;/opt/?/init.lua;;`, `kong.env`) is the one the mounts need.
 */
export function chartPluginValues(plugins: readonly ResolvedPlugin[]): ChartPluginValues {
  return {
    plugins: {
      configMaps: plugins.map((plugin) => {
        const subdirectories = pluginConfigMapParts(plugin)
          .filter((part) => part.folder !== "")
          .map((part) => ({ name: part.name, path: part.folder }));
        return { pluginName: plugin.name, name: pluginVolumeName(plugin), ...(subdirectories.length > 0 ? { subdirectories } : {}) };
      }),
    },
  };
}

/**
 * Problems with running the plugins from Kong's chart: the chart names the plugin folder's volume
 * `kong-plugin-<pluginName>` with the plugin's own name, which Kubernetes refuses for names with `_`.
 */
export function chartPluginValuesIssues(plugins: readonly Pick<ResolvedPlugin, "name">[], path: string): ValidationIssue[] {
  const issues = new IssueCollector();
  plugins.forEach((plugin, index) => {
    const volume = `kong-plugin-${plugin.name}`;
    if (!DNS1123_LABEL.test(volume) || volume.length > 63) {
      issues.add(joinPath(joinPath(path, index), "name"), "makes a volume name Kubernetes refuses in Kong's chart, which names the volume kong-plugin-<pluginName> with the plugin's own name", { received: volume, expected: "a plugin name of lowercase letters, digits and '-'" });
    }
  });
  return [...issues.issues];
}
