import { posix } from "node:path";
import { canonicalJson, type JsonValue } from "../core/canonical";
import { sha256Hex } from "../core/digest";
import { IssueCollector, KongPluginsValidationError, REDACTED, type ValidationIssue } from "../core/errors";
import { fitsKubernetesRule, KUBERNETES_NAME_RULES } from "../core/names";
import { MANAGED_BY_LABELS, type KubernetesObject } from "../plugin/kubernetes-object";
import { asResolvedKnep, plainVariables, secretVariables } from "./environment";
import { IMAGE_REQUIRED_ON_KUBERNETES } from "./resolve";
import { KnepTargetType, type KnepSpec, type ResolvedKnep } from "./spec";

/** Options of {@link renderKnepKubernetes}. */
export interface KnepKubernetesOptions {
  /** Namespace of every object. */
  readonly namespace: string;
  /** Base name of the objects (`<name>`, `<name>-config`, `<name>-secret`). @default "knep" */
  readonly name?: string;
  /**
   * The value of the {@link KNEP_SECRET_CHECKSUM_ANNOTATION} annotation (with secret variables
   * only): something that changes when a secret value does, kept as secret as the values, such
   * as {@link knepSecretChecksum} as a Pulumi secret. @default "[secret]"
   */
  readonly secretChecksum?: string;
  /** The file target's path, for its writable volume; taken from the spec when it has it. */
  readonly filePath?: string;
}

/** KNEP's Kubernetes objects. */
export interface KnepKubernetesObjects {
  /** Plain variables, read through `envFrom`. */
  readonly configMap: KubernetesObject;
  /** Secret variables, read through `valueFrom.secretKeyRef`; absent when there are none. */
  readonly secret?: KubernetesObject;
  readonly deployment: KubernetesObject;
}

/** The UID/GID KNEP runs as: not root, and not any user an image defines by accident. */
export const KNEP_UID = 65532;

/** Where a caller takes KNEP's base name and namespace from, for the paths of their problems. */
export interface KnepKubernetesNamePaths {
  readonly name: string;
  readonly namespace: string;
}

/**
 * The problems the API server would find in KNEP's names. The namespace is an RFC 1123 label.
 * The base name names the Deployment and is its pods' `app.kubernetes.io/instance` label value,
 * so it is an RFC 1123 label too, as Kubernetes advises for Deployments ("for best
 * compatibility, the name should follow the more restrictive rules for a DNS label",
 * https://kubernetes.io/docs/concepts/workloads/controllers/deployment/); at most 63
 * characters, it keeps the derived `<name>-config` and `<name>-secret` valid subdomains too.
 */
export function knepKubernetesNameIssues(name: unknown, namespace: unknown, paths: KnepKubernetesNamePaths = { name: "name", namespace: "namespace" }): ValidationIssue[] {
  const issues = new IssueCollector();
  const rule = KUBERNETES_NAME_RULES.label;
  if (!fitsKubernetesRule(namespace, rule)) issues.add(paths.namespace, "is not a Kubernetes namespace name", { received: namespace, expected: rule.expected });
  if (!fitsKubernetesRule(name, rule)) issues.add(paths.name, "is not a name Kubernetes accepts for KNEP's Deployment and its label", { received: name, expected: rule.expected });
  return [...issues.issues];
}


/** Pod annotation whose value changes exactly when a plain variable does: their digest. */
export const KNEP_CONFIG_CHECKSUM_ANNOTATION = "checksum/config";

/**
 * Pod annotation whose value changes when a secret variable does, so that the pods roll.
 * Whoever reads a digest of secret values can check a guess of them offline (a dictionary of
 * six words recovered a RabbitMQ password from one), and no key that is itself secret and the
 * same on every run exists here to make it a keyed one. So the renderers never put a digest of
 * secret values in what they render (the annotation shows `[secret]`), and a component gives the
 * digest to the Deployment it registers as a Pulumi secret: encrypted in the state, `[secret]` in
 * every preview, still a change in the preview's diff when a secret value changes.
 */
export const KNEP_SECRET_CHECKSUM_ANNOTATION = "checksum/secret";

/** Digest of the secret values, for {@link KNEP_SECRET_CHECKSUM_ANNOTATION}: as secret as they are. */
export function knepSecretChecksum(spec: KnepSpec | ResolvedKnep): string {
  return `sha256:${sha256Hex(canonicalJson(secretVariables(asResolvedKnep(spec))))}`;
}

/**
 * Renders KNEP as a Deployment with a ConfigMap for plain values and a Secret for secret
 * ones; the container runs as non-root with a read-only root filesystem, and the pod carries
 * a checksum of each so it rolls exactly when the configuration changes (the secret one as
 * `[secret]` unless given: see {@link KNEP_SECRET_CHECKSUM_ANNOTATION}).
 */
export function renderKnepKubernetes(spec: KnepSpec | ResolvedKnep, options: KnepKubernetesOptions): KnepKubernetesObjects {
  const knep = asResolvedKnep(spec);
  const name = options.name ?? "knep";
  const namespace = options.namespace;
  const problems = [...(knep.image === undefined ? [IMAGE_REQUIRED_ON_KUBERNETES] : []), ...knepKubernetesNameIssues(name, namespace)];
  if (knep.image === undefined || problems.length > 0) throw new KongPluginsValidationError(problems, "the KNEP deployment");
  const labels = { "app.kubernetes.io/name": "knep", "app.kubernetes.io/instance": name, "app.kubernetes.io/component": "event-proxy" };
  const plain = plainVariables(knep);
  const secrets = secretVariables(knep);
  const secretNames = Object.keys(secrets);
  const annotations = {
    [KNEP_CONFIG_CHECKSUM_ANNOTATION]: `sha256:${sha256Hex(canonicalJson({ config: plain }))}`,
    ...(secretNames.length > 0 ? { [KNEP_SECRET_CHECKSUM_ANNOTATION]: options.secretChecksum ?? REDACTED } : {}),
  };
  const filePath = options.filePath ?? (knep.targetType === KnepTargetType.File ? plain.TARGET_FILE_PATH : undefined);

  const configMap: KubernetesObject = {
    apiVersion: "v1",
    kind: "ConfigMap",
    metadata: { name: `${name}-config`, namespace, labels: { ...MANAGED_BY_LABELS, ...labels } },
    data: plain,
  };
  const secret: KubernetesObject | undefined =
    secretNames.length > 0
      ? {
          apiVersion: "v1",
          kind: "Secret",
          metadata: { name: `${name}-secret`, namespace, labels: { ...MANAGED_BY_LABELS, ...labels } },
          type: "Opaque",
          stringData: secrets,
        }
      : undefined;

  // A read-only root filesystem needs writable folders: /tmp, and the file target's folder.
  const volumes = [{ name: "tmp", mountPath: "/tmp" }, ...(filePath ? [{ name: "events", mountPath: posix.dirname(filePath) }] : [])];
  const container = {
    name: "knep",
    image: knep.image,
    envFrom: [{ configMapRef: { name: `${name}-config` } }],
    ...(secretNames.length > 0 ? { env: secretNames.map((key) => ({ name: key, valueFrom: { secretKeyRef: { name: `${name}-secret`, key } } })) } : {}),
    ...(knep.resources ? { resources: knep.resources as JsonValue } : {}),
    securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, runAsNonRoot: true, capabilities: { drop: ["ALL"] } },
    volumeMounts: volumes.map((volume) => ({ name: volume.name, mountPath: volume.mountPath })),
  };
  const deployment: KubernetesObject = {
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: { name, namespace, labels: { ...MANAGED_BY_LABELS, ...labels } },
    spec: {
      replicas: knep.replicas,
      selector: { matchLabels: labels },
      template: {
        metadata: { labels, annotations },
        spec: {
          automountServiceAccountToken: false,
          securityContext: { runAsNonRoot: true, runAsUser: KNEP_UID, runAsGroup: KNEP_UID, fsGroup: KNEP_UID, seccompProfile: { type: "RuntimeDefault" } },
          containers: [container],
          volumes: volumes.map((volume) => ({ name: volume.name, emptyDir: {} })),
        },
      },
    },
  };
  return { configMap, ...(secret ? { secret } : {}), deployment };
}
