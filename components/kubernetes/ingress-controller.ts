/**
 * Controller configuration on Kubernetes, as Kong's Helm chart runs it by default: the Kong
 * Ingress Controller (KIC) as a second container, `ingress-controller`, in Kong's own pod
 * (Kong/charts `charts/kong/templates/_helpers.tpl`, `kong.controller-container`). Each pod's
 * controller configures the Kong beside it through the Admin API on loopback, so the Admin API
 * never leaves the pod; leader election only decides which controller writes statuses.
 *
 * Kong stays unready until it is configured: in DB-less mode `/status/ready` answers 503 until
 * Kong "has loaded a valid and non-empty config" (Kong docs, gateway/production/monitoring/
 * health-check; kong/status/ready.lua), which the controller pushes once it has read the cluster.
 *
 * What the controller cannot run without and is not rendered here: its CustomResourceDefinitions
 * ({@link INGRESS_CONTROLLER_PREREQUISITES}). They are cluster-wide and versioned with the
 * controller, so they are installed with it, not by each gateway.
 */
import type { JsonValue } from "../core/canonical";
import { MANAGED_BY_LABELS, type KubernetesObject } from "../plugin/kubernetes-object";
import { ADMIN_PORT } from "./chart-defaults";
import { KONG_UID } from "./spec";

/** The controller's image, as the chart's values.yaml `ingressController.image` (repository and tag). */
export const DEFAULT_INGRESS_CONTROLLER_IMAGE = "kong/kubernetes-ingress-controller:3.5";

/** KIC's health probe listener (its `--health-probe-bind-address` default `:10254`; values.yaml probes). */
const CONTROLLER_HEALTH_PORT = 10254;

/** Where a container reads its service account token, as Kubernetes mounts it when automounted. */
const SERVICE_ACCOUNT_TOKEN_PATH = "/var/run/secrets/kubernetes.io/serviceaccount";

/** What must exist in the cluster before the controller configuration works, in words a user can act on. */
export const INGRESS_CONTROLLER_PREREQUISITES = [
  "The Kong Ingress Controller's CustomResourceDefinitions (configuration.konghq.com: KongPlugin, KongClusterPlugin, KongConsumer, " +
    "KongConsumerGroup, KongIngress, KongUpstreamPolicy, TCPIngress, UDPIngress, IngressClassParameters, KongVault, KongLicense, KongCustomEntity): " +
    "kubectl apply -k 'https://github.com/Kong/kubernetes-ingress-controller/config/crd?ref=v3.5.0' (or Kong's chart with ingressController.installCRDs)",
] as const;

/** What must exist before a Kong Operator ControlPlane and DataPlane work. */
export const OPERATOR_PREREQUISITES = [
  "Kong Operator (2.x) with its CustomResourceDefinitions, which include the Ingress Controller's configuration.konghq.com ones: helm install kong-operator kong/kong-operator",
] as const;

/** Names of the controller's objects: the chart names them all `kong.fullname`; ClusterRole names are cluster-wide, so the namespace is in them. */
export function ingressControllerNames(name: string, namespace: string) {
  return { serviceAccount: name, role: name, clusterRole: `${namespace}-${name}`, tokenVolume: `${name}-token` };
}

/** The leader election's ID, as the chart sets `CONTROLLER_ELECTION_ID`. */
export function electionId(ingressClass: string): string {
  return `kong-ingress-controller-leader-${ingressClass}`;
}

/** What the controller container needs to know. */
export interface IngressControllerOptions {
  readonly name: string;
  readonly namespace: string;
  readonly ingressClass: string;
  readonly image: string;
  /** The proxy Service whose address the controller publishes on Ingress statuses. */
  readonly proxyService: string;
}

/**
 * The `ingress-controller` container. Its environment is the chart's `kong.ingressController.env`
 * with one difference: the chart reaches the Admin API at `https://localhost:8444` and skips
 * verifying Kong's self-signed certificate; here Kong's Admin API listens on loopback only, and
 * the controller reaches it at `http://localhost:8001` (KIC's own `--kong-admin-url` default),
 * which no other pod can reach either way.
 */
export function renderIngressControllerContainer(options: IngressControllerOptions): JsonValue {
  const fieldEnv = (variable: string, fieldPath: string) => ({ name: variable, valueFrom: { fieldRef: { apiVersion: "v1", fieldPath } } });
  const env: Record<string, string> = {
    CONTROLLER_ELECTION_ID: electionId(options.ingressClass),
    CONTROLLER_INGRESS_CLASS: options.ingressClass,
    CONTROLLER_KONG_ADMIN_URL: `http://localhost:${ADMIN_PORT}`,
    CONTROLLER_PUBLISH_SERVICE: `${options.namespace}/${options.proxyService}`,
  };
  const probe = (path: string) => ({
    httpGet: { path, port: CONTROLLER_HEALTH_PORT, scheme: "HTTP" },
    initialDelaySeconds: 5,
    timeoutSeconds: 5,
    periodSeconds: 10,
    successThreshold: 1,
    failureThreshold: 3,
  });
  return {
    name: "ingress-controller",
    image: options.image,
    env: [fieldEnv("POD_NAME", "metadata.name"), fieldEnv("POD_NAMESPACE", "metadata.namespace"), ...Object.entries(env).map(([variable, value]) => ({ name: variable, value }))],
    ports: [{ name: "cmetrics", containerPort: 10255, protocol: "TCP" }],
    readinessProbe: probe("/readyz"),
    livenessProbe: probe("/healthz"),
    securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, runAsNonRoot: true, runAsUser: KONG_UID, capabilities: { drop: ["ALL"] } },
    // Only this container reads the token (the chart's `kong.serviceAccountTokenName` volume):
    // Kong's own container, which runs plugin code, gets no Kubernetes credentials.
    volumeMounts: [{ name: ingressControllerNames(options.name, options.namespace).tokenVolume, mountPath: SERVICE_ACCOUNT_TOKEN_PATH, readOnly: true }],
  };
}

/** The projected service account token volume only the controller mounts (chart `kong.volumes`, with `automountServiceAccountToken: false`). */
export function renderServiceAccountTokenVolume(name: string, namespace: string): JsonValue {
  return {
    name: ingressControllerNames(name, namespace).tokenVolume,
    projected: {
      sources: [
        { serviceAccountToken: { expirationSeconds: 3607, path: "token" } },
        { configMap: { name: "kube-root-ca.crt", items: [{ key: "ca.crt", path: "ca.crt" }] } },
        { downwardAPI: { items: [{ path: "namespace", fieldRef: { apiVersion: "v1", fieldPath: "metadata.namespace" } }] } },
      ],
    },
  };
}

type Rule = { apiGroups: string[]; resources: string[]; verbs: string[]; resourceNames?: string[] };

const READ = ["get", "list", "watch"];
const STATUS = ["get", "patch", "update"];

/**
 * What the controller reads and whose status it writes, cluster-wide: the chart's
 * `kong.kubernetesRBACRules` and `kong.kubernetesRBACClusterRules` for KIC 3.x (both in one
 * ClusterRole when every namespace is watched, as controller-rbac-resources.yaml does). The
 * Gateway API and Knative rules, which the chart adds only where those APIs are served, are left
 * out: this gateway is configured from KongPlugins, Ingresses and Services.
 */
function clusterRules(): Rule[] {
  const withStatus = (group: string, resources: string[]): Rule[] => [
    { apiGroups: [group], resources, verbs: READ },
    { apiGroups: [group], resources: resources.map((resource) => `${resource}/status`), verbs: STATUS },
  ];
  return [
    ...withStatus("configuration.konghq.com", [
      "kongupstreampolicies",
      "kongconsumergroups",
      "kongconsumers",
      "kongingresses",
      "kongplugins",
      "kongclusterplugins",
      "tcpingresses",
      "udpingresses",
      // Read by KIC 3.1 and later, which the default image is (its config/rbac/role.yaml).
      "kongvaults",
      "konglicenses",
      "kongcustomentities",
    ]),
    { apiGroups: ["configuration.konghq.com"], resources: ["ingressclassparameterses"], verbs: READ },
    { apiGroups: [""], resources: ["events"], verbs: ["create", "patch"] },
    { apiGroups: [""], resources: ["nodes"], verbs: ["list", "watch"] },
    { apiGroups: [""], resources: ["pods"], verbs: READ },
    { apiGroups: [""], resources: ["secrets"], verbs: ["list", "watch"] },
    ...withStatus("", ["services"]),
    ...withStatus("networking.k8s.io", ["ingresses"]),
    { apiGroups: ["networking.k8s.io"], resources: ["ingressclasses"], verbs: READ },
    { apiGroups: ["discovery.k8s.io"], resources: ["endpointslices"], verbs: READ },
    { apiGroups: ["apiextensions.k8s.io"], resources: ["customresourcedefinitions"], verbs: ["list", "watch"] },
  ];
}

/** Leader election in the controller's namespace (controller-rbac-resources.yaml's Role, KIC 2.x+ part). */
function leaderElectionRules(): Rule[] {
  return [
    { apiGroups: ["", "coordination.k8s.io"], resources: ["configmaps", "leases"], verbs: ["get", "list", "watch", "create", "update", "patch", "delete"] },
    { apiGroups: [""], resources: ["events"], verbs: ["create", "patch"] },
    { apiGroups: [""], resources: ["services"], verbs: ["get"] },
  ];
}

/** The controller's ServiceAccount, ClusterRole and Role, and their bindings. */
export function renderIngressControllerRbac(name: string, namespace: string): KubernetesObject[] {
  const names = ingressControllerNames(name, namespace);
  const subjects = [{ kind: "ServiceAccount", name: names.serviceAccount, namespace }];
  const rbac = "rbac.authorization.k8s.io/v1";
  return [
    { apiVersion: "v1", kind: "ServiceAccount", metadata: { name: names.serviceAccount, namespace, labels: MANAGED_BY_LABELS } },
    { apiVersion: rbac, kind: "ClusterRole", metadata: { name: names.clusterRole, labels: MANAGED_BY_LABELS }, rules: clusterRules() },
    {
      apiVersion: rbac,
      kind: "ClusterRoleBinding",
      metadata: { name: names.clusterRole, labels: MANAGED_BY_LABELS },
      roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: names.clusterRole },
      subjects,
    },
    { apiVersion: rbac, kind: "Role", metadata: { name: names.role, namespace, labels: MANAGED_BY_LABELS }, rules: leaderElectionRules() },
    {
      apiVersion: rbac,
      kind: "RoleBinding",
      metadata: { name: names.role, namespace, labels: MANAGED_BY_LABELS },
      roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "Role", name: names.role },
      subjects,
    },
  ];
}

/** The IngressClass the controller serves, as the chart's ingress-class.yaml renders it. */
export function renderIngressClass(ingressClass: string): KubernetesObject {
  return {
    apiVersion: "networking.k8s.io/v1",
    kind: "IngressClass",
    metadata: { name: ingressClass, labels: MANAGED_BY_LABELS },
    spec: { controller: `ingress-controllers.konghq.com/${ingressClass}` },
  };
}
