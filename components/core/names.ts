/**
 * A POSIX environment variable name (letters, digits, `_`, not starting with a digit): what a
 * shell, Compose and Kong's own `KONG_*` reading take as one name and nothing more.
 */
export const ENVIRONMENT_VARIABLE_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** RFC 1123 label: what Kubernetes requires of most object and volume names (63 characters at most). */
export const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/** RFC 1123 subdomain: what Kubernetes requires of ConfigMap, Secret and custom resource names. */
export const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** Whether `name` is a valid Kubernetes object name (RFC 1123 subdomain, at most 253 characters). */
export function isKubernetesName(name: string): boolean {
  return name.length <= 253 && DNS1123_SUBDOMAIN.test(name);
}

/**
 * Derives a Kubernetes object name from a Kong name. Kong allows `_` in plugin and instance
 * names; Kubernetes does not, so it becomes `-`. Names that still do not fit are returned
 * unchanged for the caller's validation to report.
 */
export function toKubernetesName(name: string): string {
  return name.replace(/_/g, "-");
}
