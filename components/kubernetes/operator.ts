import { gatewayEnvironment } from "../gateway/environment";
import { DEFAULT_BASE_IMAGE } from "../gateway/kong-conventions";
import { MANAGED_BY_LABELS, type KubernetesObject } from "../plugin/kubernetes-object";
import type { KubernetesManifestsSpec } from "./spec";

/** Kong Operator's API versions (../shared/fixtures/kong-crds). */
export const KONG_PLUGIN_INSTALLATION_API_VERSION = "gateway-operator.konghq.com/v1alpha1";
export const DATAPLANE_API_VERSION = "gateway-operator.konghq.com/v1beta1";

/**
 * A plugin as Kong Operator installs it: a KongPluginInstallation pointing at its plugin image,
 * named exactly as the plugin. The operator takes the KPI's name for the plugin's name in
 * KONG_PLUGINS, its volume and its mount `/opt/kong/plugins/<name>` (kong-operator, dataplane
 * `withCustomPlugins`), so a changed name would leave the plugin "not enabled".
 */
export function renderKongPluginInstallation(pluginName: string, image: string, namespace: string, imagePullSecret?: string): KubernetesObject {
  return {
    apiVersion: KONG_PLUGIN_INSTALLATION_API_VERSION,
    kind: "KongPluginInstallation",
    metadata: { name: pluginName, namespace, labels: MANAGED_BY_LABELS },
    spec: { image, ...(imagePullSecret ? { imagePullSecretRef: { name: imagePullSecret } } : {}) },
  };
}

/**
 * The DataPlane that runs Kong with every KongPluginInstallation in `spec.pluginsToInstall`.
 * Its CRD's rules hold by construction: the proxy container is named `proxy` and has an image,
 * and the database mode is `off`.
 */
export function renderDataPlane(spec: KubernetesManifestsSpec, name: string, namespace: string): KubernetesObject {
  // The operator sets KONG_PLUGINS and the Lua path for the plugins it installs itself, and the
  // Admin API's listener: TLS on 8444 with client certificates its ControlPlane holds. The
  // container default of the environment (plaintext 8001 on every address) would replace it;
  // a KONG_ADMIN_LISTEN the user sets in kongEnv is theirs and stays.
  const { KONG_PLUGINS: _plugins, KONG_LUA_PACKAGE_PATH: _path, KONG_ADMIN_LISTEN: adminListen, ...env } = gatewayEnvironment({ ...spec.gateway, plugins: [] });
  const userAdminListen = spec.gateway.kongEnv?.KONG_ADMIN_LISTEN !== undefined ? { KONG_ADMIN_LISTEN: adminListen as string } : {};
  return {
    apiVersion: DATAPLANE_API_VERSION,
    kind: "DataPlane",
    metadata: { name, namespace, labels: MANAGED_BY_LABELS },
    spec: {
      deployment: {
        replicas: spec.replicas ?? 1,
        podTemplateSpec: {
          spec: {
            containers: [
              {
                name: "proxy",
                image: spec.gateway.baseImage ?? DEFAULT_BASE_IMAGE,
                env: Object.entries({ ...env, ...userAdminListen, KONG_DATABASE: "off" }).map(([variable, value]) => ({ name: variable, value })),
              },
            ],
          },
        },
      },
      pluginsToInstall: spec.gateway.plugins.map((plugin) => ({ name: plugin.name, namespace })),
    },
  };
}

/** Kong Operator's ControlPlane API version (kong-operator config/crd/kong-operator/gateway-operator.konghq.com_controlplanes.yaml: v1beta1 is deprecated in favour of v2beta1). */
export const CONTROLPLANE_API_VERSION = "gateway-operator.konghq.com/v2beta1";

/**
 * The ControlPlane that configures the DataPlane from the cluster's KongPlugins, Ingresses and
 * Services: the operator runs the Ingress Controller for it and pushes configuration to the
 * DataPlane's Admin API over mTLS. Without it, a DataPlane stays unconfigured (and unready).
 * The CRD requires `ingressClass` when the DataPlane is named by `ref`.
 */
export function renderControlPlane(name: string, namespace: string, ingressClass: string): KubernetesObject {
  return {
    apiVersion: CONTROLPLANE_API_VERSION,
    kind: "ControlPlane",
    metadata: { name, namespace, labels: MANAGED_BY_LABELS },
    spec: { dataplane: { type: "ref", ref: { name } }, ingressClass },
  };
}
