import type { JsonValue } from "../core/canonical";
import { IssueCollector, joinPath, type ValidationIssue } from "../core/errors";
import { DNS1123_LABEL, toKubernetesName } from "../core/names";
import { MOUNT_ROOT } from "../gateway/lua-path";
import { MANAGED_BY_LABELS, type KubernetesObject } from "../plugin/kubernetes-object";
import type { ResolvedPlugin } from "../plugin/model";

/** The most a ConfigMap may hold: 1 MiB. */
export const CONFIGMAP_MAX_BYTES = 1024 * 1024;

/** The ConfigMap and volume name of a plugin, as Kong's Helm chart names the volume. */
export function pluginVolumeName(plugin: Pick<ResolvedPlugin, "name">): string {
  return `kong-plugin-${toKubernetesName(plugin.name)}`;
}

/** A ConfigMap key for a file: keys cannot hold `/`, so a subfolder's files get `__` (items map them back). */
export function configMapKey(path: string): string {
  return path.replace(/\//g, "__");
}

const CONFIGMAP_KEY = /^[-._a-zA-Z0-9]+$/;

/** Problems with delivering a plugin as a ConfigMap: size, names Kubernetes refuses, key clashes. */
export function pluginConfigMapIssues(plugin: ResolvedPlugin, path: string): ValidationIssue[] {
  const issues = new IssueCollector();
  const size = plugin.files.reduce((total, file) => total + Buffer.byteLength(file.content, "utf8") + Buffer.byteLength(configMapKey(file.path)), 0);
  if (size > CONFIGMAP_MAX_BYTES) {
    issues.add(path, `is ${size} bytes, more than a ConfigMap holds (1 MiB); deliver it in a custom image (delivery: image) or with Kong Operator (delivery: operator)`, {
      received: `${size} bytes`,
      expected: `at most ${CONFIGMAP_MAX_BYTES} bytes`,
    });
  }
  if (!DNS1123_LABEL.test(pluginVolumeName(plugin)) || pluginVolumeName(plugin).length > 63) {
    issues.add(path, "makes a volume name Kubernetes refuses (kong-plugin-<name>, at most 63 characters)", { received: pluginVolumeName(plugin) });
  }
  const keys = new Map<string, string>();
  for (const file of plugin.files) {
    const key = configMapKey(file.path);
    if (!CONFIGMAP_KEY.test(key)) issues.add(joinPath(path, file.path), "cannot be a ConfigMap key", { received: key, expected: "letters, digits, '-', '_' and '.'" });
    const other = keys.get(key);
    if (other) issues.add(joinPath(path, file.path), `has the same ConfigMap key as ${other}`, { received: key });
    keys.set(key, file.path);
  }
  return [...issues.issues];
}

/** One plugin's ConfigMap: every file under a flat key. */
export function renderPluginConfigMap(plugin: ResolvedPlugin, namespace: string): KubernetesObject {
  return {
    apiVersion: "v1",
    kind: "ConfigMap",
    metadata: { name: pluginVolumeName(plugin), namespace, labels: { ...MANAGED_BY_LABELS, "kong-plugins/plugin": toKubernetesName(plugin.name) } },
    data: Object.fromEntries(plugin.files.map((file) => [configMapKey(file.path), file.content])),
  };
}

/**
 * The volume and mount of a plugin ConfigMap, as Kong's Helm chart makes them: mounted
 * read-only at `/opt/kong/plugins/<name>`, with `items` putting each key back at its path
 * (so `migrations/init.lua` is a file in a `migrations` folder again).
 */
export function pluginVolume(plugin: ResolvedPlugin): { volume: JsonValue; mount: JsonValue } {
  const name = pluginVolumeName(plugin);
  return {
    volume: { name, configMap: { name, items: plugin.files.map((file) => ({ key: configMapKey(file.path), path: file.path })) } },
    mount: { name, mountPath: `${MOUNT_ROOT}/kong/plugins/${plugin.name}`, readOnly: true },
  };
}
