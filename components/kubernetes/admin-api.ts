/**
 * How KNEP reaches the Admin API on Kubernetes. KNEP runs in its own Deployment, so loopback
 * (where Kong's chart binds the Admin API unless its admin Service is enabled) is out of its
 * reach. Kong then also listens with TLS on 8444 (the chart's `admin.tls`), behind a ClusterIP
 * Service named as the chart names it (`<name>-admin`), and a NetworkPolicy admits only KNEP's
 * pods to 8444: the Admin API is never plaintext beyond the pod, and no other pod reaches it
 * where NetworkPolicies are enforced. KNEP's `kongAdminUrl` is then {@link knepAdminUrl}.
 *
 * Kong serves its self-generated certificate unless `KONG_ADMIN_SSL_CERT`/`KONG_ADMIN_SSL_CERT_KEY`
 * are set through kongEnv; as the chart says of its own controller
 * (`ingressController.env.kong_admin_tls_skip_verify: true`, "Kong generates self-signed
 * certificates by default"), a client must then skip verification or be given Kong's certificate.
 */
import type { JsonValue } from "../core/canonical";
import type { ValidationIssue } from "../core/errors";
import { MANAGED_BY_LABELS, type KubernetesObject } from "../plugin/kubernetes-object";
import { ADMIN_TLS_PORT, PROXY_PORTS } from "./chart-defaults";
import { KubernetesDelivery, STATUS_PORT, type KubernetesManifestsSpec } from "./spec";

/** The Admin API Service's name, as Kong's chart names it (`<fullname>-admin`). */
export function adminServiceName(name: string): string {
  return `${name}-admin`;
}

/** The Admin API URL a KNEP rendered by the stack reads: the admin Service over TLS. */
export function knepAdminUrl(name: string, namespace: string): string {
  return `https://${adminServiceName(name)}.${namespace}.svc:${ADMIN_TLS_PORT}`;
}

/** Whether the Admin API is served to KNEP's pods: a KNEP rendered by the stack, beside Kong's own Deployment. */
export function adminApiForKnep(spec: Pick<KubernetesManifestsSpec, "knep" | "delivery">): boolean {
  return spec.knep !== undefined && spec.delivery !== KubernetesDelivery.Operator;
}

/** The labels of KNEP's pods, from the Deployment the stack renders for it. */
function knepPodLabels(knepDeployment: KubernetesObject): Record<string, string> {
  const spec = knepDeployment.spec as { template: { metadata: { labels: Record<string, string> } } };
  return spec.template.metadata.labels;
}

/** The ClusterIP Service in front of the Admin API's TLS listener, as the chart's `<name>-admin` with `admin.tls.servicePort: 8444`. */
export function renderAdminService(name: string, namespace: string, gatewayLabels: Record<string, string>): KubernetesObject {
  return {
    apiVersion: "v1",
    kind: "Service",
    metadata: { name: adminServiceName(name), namespace, labels: MANAGED_BY_LABELS },
    spec: {
      type: "ClusterIP",
      selector: gatewayLabels,
      ports: [{ name: "admin-tls", port: ADMIN_TLS_PORT, targetPort: "admin-tls", protocol: "TCP" }],
    },
  };
}

/**
 * The NetworkPolicy on Kong's pods: the proxy ports and the status listener (kubelet probes,
 * metrics) stay open to all, the Admin API's TLS port only to KNEP's pods. Once a policy selects
 * a pod for Ingress, whatever no policy admits is refused, so every port Kong serves is listed.
 */
export function renderAdminNetworkPolicy(name: string, namespace: string, gatewayLabels: Record<string, string>, knepDeployment: KubernetesObject): KubernetesObject {
  const tcp = (port: number) => ({ protocol: "TCP", port });
  return {
    apiVersion: "networking.k8s.io/v1",
    kind: "NetworkPolicy",
    metadata: { name: adminServiceName(name), namespace, labels: MANAGED_BY_LABELS },
    spec: {
      podSelector: { matchLabels: gatewayLabels },
      policyTypes: ["Ingress"],
      ingress: [
        { ports: [...PROXY_PORTS.map((port) => tcp(port.containerPort)), tcp(STATUS_PORT)] },
        { from: [{ podSelector: { matchLabels: knepPodLabels(knepDeployment) } }], ports: [tcp(ADMIN_TLS_PORT)] },
      ],
    } as JsonValue,
  };
}

/** Addresses of loopback interfaces, as Kong's listen syntax writes them. */
const LOOPBACK = /^(127\.\d+\.\d+\.\d+|\[::1\]|localhost):/;

/**
 * The problem of a KONG_ADMIN_LISTEN set in kongEnv for Kubernetes that serves the Admin API in
 * plaintext beyond loopback: every pod of the cluster could then `POST /config`. TLS entries
 * (`ssl`) and loopback ones are accepted, as is `off`.
 */
export function adminListenIssues(kongEnv: Readonly<Record<string, unknown>> | undefined): ValidationIssue[] {
  const value = kongEnv?.KONG_ADMIN_LISTEN;
  if (typeof value !== "string") return [];
  const plaintext = value
    .split(",")
    .map((entry) => entry.trim())
    .filter((entry) => entry !== "" && entry !== "off" && !LOOPBACK.test(entry) && !entry.split(/\s+/).includes("ssl"));
  if (plaintext.length === 0) return [];
  return [
    {
      path: "gateway.kongEnv.KONG_ADMIN_LISTEN",
      message: `serves the Admin API in plaintext to every pod that can reach Kong's (${plaintext.join(", ")}); on Kubernetes bind plaintext listeners to loopback and others with ssl, as Kong's chart does`,
      received: value,
      expected: "127.0.0.1:8001, [::1]:8001 (or entries with ssl)",
    },
  ];
}
