import type { JsonValue } from "../core/canonical";
import { stableYaml } from "../core/canonical";
import { sha256Hex } from "../core/digest";
import { renderDeclarativeConfig } from "../gateway/declarative";
import { gatewayEnvironment } from "../gateway/environment";
import { PluginDelivery } from "../gateway/model";
import { DEFAULT_BASE_IMAGE } from "../gateway/kong-conventions";
import { pluginsDigest } from "../plugin/plugins-digest";
import { MANAGED_BY_LABELS, type KubernetesObject } from "../plugin/kubernetes-object";
import { secretVariableName } from "../plugin/resources";
import { pluginVolumes } from "./plugin-configmaps";
import { adminApiForKnep } from "./admin-api";
import {
  ADMIN_TLS_PORT,
  kubernetesAdminListen,
  PORT_MAPS,
  PRE_STOP_COMMAND,
  PREFIX_DIR_SIZE_LIMIT,
  PROXY_PORTS,
  STATUS_LISTEN,
  TERMINATION_GRACE_PERIOD_SECONDS,
  TMP_DIR_SIZE_LIMIT,
  WORKER_PROCESSES,
} from "./chart-defaults";
import { ingressControllerNames, renderIngressControllerContainer, renderServiceAccountTokenVolume, DEFAULT_INGRESS_CONTROLLER_IMAGE } from "./ingress-controller";
import { DEFAULT_INGRESS_CLASS } from "../plugin/resources";
import { DECLARATIVE_DIR, KONG_PREFIX, KONG_UID, KongConfiguration, KongServiceType, KubernetesDelivery, STATUS_PORT, type KubernetesManifestsSpec } from "./spec";

/** Names of the gateway's own objects. */
export function gatewayObjectNames(name: string) {
  return { deployment: name, service: `${name}-proxy`, declarativeConfig: `${name}-declarative-config`, pluginSecrets: `${name}-plugin-secrets` };
}

/** The labels of Kong's pods: the Deployment's selector, the Services' and the NetworkPolicy's. */
export function gatewayPodLabels(name: string): Record<string, string> {
  return { "app.kubernetes.io/name": "kong", "app.kubernetes.io/instance": name, "app.kubernetes.io/component": "gateway" };
}

/**
 * Kong's environment on Kubernetes: the gateway's, with the defaults of Kong's Helm chart (see
 * chart-defaults.ts) that kongEnv may override: the Admin API on loopback (and TLS for KNEP's
 * pods when the stack runs KNEP), two workers, the Service's port maps. The prefix, the status
 * listener the probes use and kong.yaml's path are the workload's own and are not overridden.
 */
export function kubernetesGatewayEnvironment(spec: KubernetesManifestsSpec, declarative: boolean): Record<string, string> {
  return {
    ...gatewayEnvironment(spec.gateway, {
      KONG_ADMIN_LISTEN: kubernetesAdminListen(adminApiForKnep(spec)),
      KONG_NGINX_WORKER_PROCESSES: WORKER_PROCESSES,
      KONG_PORT_MAPS: PORT_MAPS,
    }),
    KONG_PREFIX,
    KONG_STATUS_LISTEN: STATUS_LISTEN,
    // The chart's `kong.env` sets it whenever its controller runs: Kong then reports itself as
    // managed by the Ingress Controller.
    ...(runsIngressControllerSidecar(spec) ? { KONG_KIC: "on" } : {}),
    ...(declarative ? { KONG_DECLARATIVE_CONFIG: `${DECLARATIVE_DIR}/kong.yaml` } : {}),
  };
}

/** Whether Kong's pod runs the Ingress Controller beside Kong: controller configuration without the operator (whose ControlPlane runs it). */
export function runsIngressControllerSidecar(spec: Pick<KubernetesManifestsSpec, "configuration" | "delivery" | "pluginsOnly">): boolean {
  return spec.configuration === KongConfiguration.Controller && spec.delivery !== KubernetesDelivery.Operator && spec.pluginsOnly !== true;
}

/** Annotation whose value changes exactly when a plugin's content does. */
export const PLUGINS_CHECKSUM_ANNOTATION = "kong-plugins/plugins-checksum";
/** Annotation whose value changes when kong.yaml does (DB-less Kong reads it only at start). */
export const CONFIG_CHECKSUM_ANNOTATION = "kong-plugins/declarative-config-checksum";

/**
 * The file name of kong.yaml in its ConfigMap: the rendered Deployment reads `kong.yaml`; with
 * `pluginsOnly`, Kong's chart mounts the ConfigMap named by `dblessConfig.configMap` at
 * /kong_dbless/ and reads `/kong_dbless/kong.yml` (_helpers.tpl `kong.env`, KONG_DECLARATIVE_CONFIG).
 */
export function declarativeConfigKey(spec: Pick<KubernetesManifestsSpec, "pluginsOnly">): string {
  return spec.pluginsOnly ? "kong.yml" : "kong.yaml";
}

/** The gateway's declarative config ConfigMap (DB-less mode). */
export function renderDeclarativeConfigMap(spec: KubernetesManifestsSpec, name: string, namespace: string): KubernetesObject {
  return {
    apiVersion: "v1",
    kind: "ConfigMap",
    metadata: { name: gatewayObjectNames(name).declarativeConfig, namespace, labels: MANAGED_BY_LABELS },
    data: { [declarativeConfigKey(spec)]: stableYaml(renderDeclarativeConfig(spec.gateway)) },
  };
}

/** The Secret the vault references of kong.yaml read their values from (DB-less mode). */
export function renderPluginSecrets(spec: KubernetesManifestsSpec, name: string, namespace: string): KubernetesObject | undefined {
  const values: Record<string, string> = {};
  for (const instance of spec.gateway.instances) {
    for (const [key, value] of Object.entries(instance.secretConfig)) values[secretVariableName(instance.name, key)] = value;
  }
  if (Object.keys(values).length === 0) return undefined;
  return {
    apiVersion: "v1",
    kind: "Secret",
    metadata: { name: gatewayObjectNames(name).pluginSecrets, namespace, labels: MANAGED_BY_LABELS },
    type: "Opaque",
    stringData: values,
  };
}

/**
 * Kong's Deployment: non-root (uid 1000) with a read-only root filesystem and writable
 * emptyDirs for its prefix and /tmp (sized as Kong's chart sizes them), probes on the status
 * listener, the plugins mounted (ConfigMap delivery) or baked in (image), kong.yaml from its
 * ConfigMap (DB-less), secret config as env from a Secret, checksum annotations so pods roll
 * when plugins or kong.yaml change, and the chart's `kong quit` preStop so a roll drains requests.
 */
export function renderGatewayDeployment(spec: KubernetesManifestsSpec, name: string, namespace: string, declarativeConfig?: KubernetesObject): KubernetesObject {
  const names = gatewayObjectNames(name);
  const gateway = spec.gateway;
  const declarative = (spec.configuration ?? KongConfiguration.Declarative) === KongConfiguration.Declarative;
  const labels = gatewayPodLabels(name);
  const image = gateway.delivery === PluginDelivery.Image && gateway.image ? gateway.image.name : (gateway.baseImage ?? DEFAULT_BASE_IMAGE);
  // The artifact delivery mounts one volume its init containers fill (artifact-install.ts).
  const plugins = gateway.delivery === PluginDelivery.Mount && spec.delivery !== KubernetesDelivery.Artifact ? gateway.plugins.map(pluginVolumes) : [];

  const env = kubernetesGatewayEnvironment(spec, declarative);
  const secretEnv = declarative ? Object.keys((renderPluginSecrets(spec, name, namespace)?.stringData as Record<string, string>) ?? {}) : [];
  const volumes = [
    { name: "kong-prefix", emptyDir: { sizeLimit: PREFIX_DIR_SIZE_LIMIT } },
    { name: "tmp", emptyDir: { sizeLimit: TMP_DIR_SIZE_LIMIT } },
    ...(declarative ? [{ name: "declarative-config", configMap: { name: names.declarativeConfig } }] : []),
    ...plugins.flatMap((plugin) => plugin.volumes),
  ];
  const mounts = [
    { name: "kong-prefix", mountPath: KONG_PREFIX },
    { name: "tmp", mountPath: "/tmp" },
    ...(declarative ? [{ name: "declarative-config", mountPath: DECLARATIVE_DIR, readOnly: true }] : []),
    ...plugins.flatMap((plugin) => plugin.mounts),
  ];
  const annotations: Record<string, string> = {
    [PLUGINS_CHECKSUM_ANNOTATION]: pluginsDigest(gateway.plugins),
    ...(declarativeConfig ? { [CONFIG_CHECKSUM_ANNOTATION]: `sha256:${sha256Hex(stableYaml(declarativeConfig.data))}` } : {}),
  };
  const probe = (path: string) => ({ httpGet: { path, port: STATUS_PORT }, initialDelaySeconds: 5, periodSeconds: 10, timeoutSeconds: 5, failureThreshold: 3 });
  const controller = runsIngressControllerSidecar(spec)
    ? {
        container: renderIngressControllerContainer({
          name,
          namespace,
          ingressClass: spec.ingressClass ?? DEFAULT_INGRESS_CLASS,
          image: spec.controllerImage ?? DEFAULT_INGRESS_CONTROLLER_IMAGE,
          proxyService: names.service,
        }),
        volume: renderServiceAccountTokenVolume(name, namespace),
        serviceAccountName: ingressControllerNames(name, namespace).serviceAccount,
      }
    : undefined;

  return {
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: { name: names.deployment, namespace, labels: { ...MANAGED_BY_LABELS, ...labels } },
    spec: {
      replicas: spec.replicas ?? 1,
      selector: { matchLabels: labels },
      template: {
        metadata: { labels, annotations },
        spec: {
          // No token in Kong's container; the controller mounts its own (see ingress-controller.ts).
          automountServiceAccountToken: false,
          ...(controller ? { serviceAccountName: controller.serviceAccountName } : {}),
          terminationGracePeriodSeconds: TERMINATION_GRACE_PERIOD_SECONDS,
          securityContext: { runAsNonRoot: true, runAsUser: KONG_UID, runAsGroup: KONG_UID, fsGroup: KONG_UID, seccompProfile: { type: "RuntimeDefault" } },
          containers: [
            {
              name: "proxy",
              image,
              env: [
                ...Object.entries(env).map(([variable, value]) => ({ name: variable, value })),
                ...secretEnv.map((variable) => ({ name: variable, valueFrom: { secretKeyRef: { name: names.pluginSecrets, key: variable } } })),
              ],
              ports: [
                ...PROXY_PORTS.map((port) => ({ name: port.name, containerPort: port.containerPort, protocol: "TCP" })),
                { name: "status", containerPort: STATUS_PORT, protocol: "TCP" },
                ...(adminApiForKnep(spec) ? [{ name: "admin-tls", containerPort: ADMIN_TLS_PORT, protocol: "TCP" }] : []),
              ],
              // 503 until Kong holds a non-empty configuration (kong/status/ready.lua): kong.yaml
              // once loaded, or whatever the Ingress Controller pushes first.
              readinessProbe: probe("/status/ready"),
              livenessProbe: probe("/status"),
              lifecycle: { preStop: { exec: { command: [...PRE_STOP_COMMAND] } } },
              ...(spec.resources ? { resources: spec.resources as JsonValue } : {}),
              securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, runAsNonRoot: true, capabilities: { drop: ["ALL"] } },
              volumeMounts: mounts,
            },
            ...(controller ? [controller.container] : []),
          ],
          volumes: [...volumes, ...(controller ? [controller.volume] : [])],
        },
      },
      // Conditional spreads type some properties as possibly undefined, which JsonValue has no
      // room for; at run time none is undefined.
    } as unknown as JsonValue,
  };
}

/** The Service in front of Kong's proxy. */
export function renderGatewayService(spec: KubernetesManifestsSpec, name: string, namespace: string): KubernetesObject {
  return {
    apiVersion: "v1",
    kind: "Service",
    metadata: { name: gatewayObjectNames(name).service, namespace, labels: MANAGED_BY_LABELS },
    spec: {
      type: spec.serviceType ?? KongServiceType.ClusterIP,
      selector: gatewayPodLabels(name),
      ports: PROXY_PORTS.map((port) => ({ name: port.name, port: port.servicePort, targetPort: port.name, protocol: "TCP" })),
    },
  };
}
