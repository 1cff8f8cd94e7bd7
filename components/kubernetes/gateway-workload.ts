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
import { pluginVolume } from "./plugin-configmaps";
import { DECLARATIVE_DIR, KONG_PREFIX, KONG_UID, KongConfiguration, KongServiceType, STATUS_PORT, type KubernetesManifestsSpec } from "./spec";

/** Names of the gateway's own objects. */
export function gatewayObjectNames(name: string) {
  return { deployment: name, service: `${name}-proxy`, declarativeConfig: `${name}-declarative-config`, pluginSecrets: `${name}-plugin-secrets` };
}

/** Annotation whose value changes exactly when a plugin's content does. */
export const PLUGINS_CHECKSUM_ANNOTATION = "kong-plugins/plugins-checksum";
/** Annotation whose value changes when kong.yaml does (DB-less Kong reads it only at start). */
export const CONFIG_CHECKSUM_ANNOTATION = "kong-plugins/declarative-config-checksum";

/** The gateway's declarative config ConfigMap (DB-less mode). */
export function renderDeclarativeConfigMap(spec: KubernetesManifestsSpec, name: string, namespace: string): KubernetesObject {
  return {
    apiVersion: "v1",
    kind: "ConfigMap",
    metadata: { name: gatewayObjectNames(name).declarativeConfig, namespace, labels: MANAGED_BY_LABELS },
    data: { "kong.yaml": stableYaml(renderDeclarativeConfig(spec.gateway)) },
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
 * emptyDirs for its prefix and /tmp, probes on the status listener, the plugins mounted
 * (ConfigMap delivery) or baked in (image), kong.yaml from its ConfigMap (DB-less), secret
 * config as env from a Secret, and checksum annotations so pods roll when plugins or kong.yaml change.
 */
export function renderGatewayDeployment(spec: KubernetesManifestsSpec, name: string, namespace: string, declarativeConfig?: KubernetesObject): KubernetesObject {
  const names = gatewayObjectNames(name);
  const gateway = spec.gateway;
  const declarative = (spec.configuration ?? KongConfiguration.Declarative) === KongConfiguration.Declarative;
  const labels = { "app.kubernetes.io/name": "kong", "app.kubernetes.io/instance": name, "app.kubernetes.io/component": "gateway" };
  const image = gateway.delivery === PluginDelivery.Image && gateway.image ? gateway.image.name : (gateway.baseImage ?? DEFAULT_BASE_IMAGE);
  const plugins = gateway.delivery === PluginDelivery.Mount ? gateway.plugins.map(pluginVolume) : [];

  const env = {
    ...gatewayEnvironment(gateway),
    KONG_PREFIX,
    KONG_STATUS_LISTEN: `0.0.0.0:${STATUS_PORT}`,
    ...(declarative ? { KONG_DECLARATIVE_CONFIG: `${DECLARATIVE_DIR}/kong.yaml` } : {}),
  };
  const secretEnv = declarative ? Object.keys((renderPluginSecrets(spec, name, namespace)?.stringData as Record<string, string>) ?? {}) : [];
  const volumes = [
    { name: "kong-prefix", emptyDir: {} },
    { name: "tmp", emptyDir: {} },
    ...(declarative ? [{ name: "declarative-config", configMap: { name: names.declarativeConfig } }] : []),
    ...plugins.map((plugin) => plugin.volume),
  ];
  const mounts = [
    { name: "kong-prefix", mountPath: KONG_PREFIX },
    { name: "tmp", mountPath: "/tmp" },
    ...(declarative ? [{ name: "declarative-config", mountPath: DECLARATIVE_DIR, readOnly: true }] : []),
    ...plugins.map((plugin) => plugin.mount),
  ];
  const annotations: Record<string, string> = {
    [PLUGINS_CHECKSUM_ANNOTATION]: pluginsDigest(gateway.plugins),
    ...(declarativeConfig ? { [CONFIG_CHECKSUM_ANNOTATION]: `sha256:${sha256Hex(stableYaml(declarativeConfig.data))}` } : {}),
  };
  const probe = (path: string) => ({ httpGet: { path, port: STATUS_PORT }, initialDelaySeconds: 5, periodSeconds: 10, timeoutSeconds: 5, failureThreshold: 3 });

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
          automountServiceAccountToken: false,
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
                { name: "proxy", containerPort: 8000, protocol: "TCP" },
                { name: "proxy-tls", containerPort: 8443, protocol: "TCP" },
                { name: "status", containerPort: STATUS_PORT, protocol: "TCP" },
              ],
              readinessProbe: probe("/status/ready"),
              livenessProbe: probe("/status"),
              ...(spec.resources ? { resources: spec.resources as JsonValue } : {}),
              securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, runAsNonRoot: true, capabilities: { drop: ["ALL"] } },
              volumeMounts: mounts,
            },
          ],
          volumes,
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
      selector: { "app.kubernetes.io/name": "kong", "app.kubernetes.io/instance": name, "app.kubernetes.io/component": "gateway" },
      ports: [
        { name: "proxy", port: 80, targetPort: "proxy", protocol: "TCP" },
        { name: "proxy-tls", port: 443, targetPort: "proxy-tls", protocol: "TCP" },
      ],
    },
  };
}
