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

/** RFC 1035 label: what Kubernetes requires of Service names (a letter first, 63 characters at most). */
export const DNS1035_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;

/** A kind of name Kubernetes validates, as k8s.io/apimachinery's validation package does. */
export interface KubernetesNameRule {
  readonly pattern: RegExp;
  readonly maxLength: number;
  /** What the rule asks for, in the words of an error message. */
  readonly expected: string;
}

/** The rules Kubernetes names follow (https://kubernetes.io/docs/concepts/overview/working-with-objects/names/). */
export const KUBERNETES_NAME_RULES = {
  /** Namespaces, and names that also become a label value or a pod's host name. */
  label: { pattern: DNS1123_LABEL, maxLength: 63, expected: "an RFC 1123 label: at most 63 lowercase letters, digits and '-', starting and ending with a letter or digit" },
  /** Most object names (ConfigMap, Secret, custom resources). */
  subdomain: { pattern: DNS1123_SUBDOMAIN, maxLength: 253, expected: "an RFC 1123 subdomain: at most 253 lowercase letters, digits, '-' and '.'" },
  /** Service names. */
  service: { pattern: DNS1035_LABEL, maxLength: 63, expected: "an RFC 1035 label: at most 63 lowercase letters, digits and '-', starting with a letter and ending with a letter or digit" },
} as const satisfies Record<string, KubernetesNameRule>;

/** Whether `name` is a string that `rule` accepts. */
export function fitsKubernetesRule(name: unknown, rule: KubernetesNameRule): boolean {
  return typeof name === "string" && name.length <= rule.maxLength && rule.pattern.test(name);
}

/**
 * Derives a Kubernetes object name from a Kong name. Kong allows `_` in plugin and instance
 * names; Kubernetes does not, so it becomes `-`. Names that still do not fit are returned
 * unchanged for the caller's validation to report.
 */
export function toKubernetesName(name: string): string {
  return name.replace(/_/g, "-");
}
