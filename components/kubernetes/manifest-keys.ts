import { renderPluginCrds } from "../plugin/crds";
import type { PluginInstanceSpec } from "../plugin/instance-model";
import { ingressControllerKind, ingressControllerPluginFields, INGRESS_CONTROLLER_API_VERSION, OPERATOR_API_VERSION } from "../plugin/resources";
import { CONTROLPLANE_API_VERSION, DATAPLANE_API_VERSION, KONG_PLUGIN_INSTALLATION_API_VERSION } from "./operator";
import { KongConfiguration, KubernetesDelivery } from "./spec";

/** What decides which objects a rendering has, known before any output resolves. */
export interface ManifestShape {
  readonly delivery: KubernetesDelivery;
  readonly configuration: KongConfiguration;
  readonly seedResources: boolean;
  readonly createNamespace: boolean;
  /** Only the plugins' objects, no gateway workload (see KubernetesManifestsSpec.pluginsOnly). @default false */
  readonly pluginsOnly?: boolean;
  /** Whether the controller's IngressClass is rendered (when the controller runs beside Kong). @default true */
  readonly createIngressClass?: boolean;
  readonly pluginCount: number;
  /**
   * Each plugin's subfolders that hold files (one ConfigMap each with the ConfigMap delivery),
   * by plugin index; a plugin left out has none.
   */
  readonly pluginSubfolders?: readonly (readonly string[])[];
  readonly instances: readonly InstanceShape[];
  /** KNEP objects to include: undefined when there is no KNEP or it registers its own. */
  readonly knep?: { readonly hasSecret: boolean };
}

/** What decides which objects one plugin instance has. */
export interface InstanceShape {
  /** Whether it has secret config (and so a Secret). */
  readonly hasSecrets: boolean;
  /** Whether it applies to a Gateway API object (the operator's KongPlugin). */
  readonly targetsGateway: boolean;
  /** Its Ingress Controller kind. */
  readonly ingressControllerKind: "KongPlugin" | "KongClusterPlugin";
  /** The top-level fields of its Ingress Controller plugin (see ingressControllerPluginFields). */
  readonly ingressControllerFields?: readonly string[];
}

/** The shape of an instance, from its spec: names and keys, never a secret value. */
export function instanceShapeOf(spec: PluginInstanceSpec): InstanceShape {
  const scoped = [spec.service, spec.route, spec.consumer].some((scope) => scope !== undefined);
  return {
    hasSecrets: Object.keys(spec.secretConfig ?? {}).length > 0,
    targetsGateway: spec.targetRef !== undefined,
    ingressControllerKind: ingressControllerKind(scoped, spec.clusterWide ?? false),
    ingressControllerFields: ingressControllerPluginFields(spec),
  };
}

/** A key of a rendered object, with the API version and kind its resource is registered as. */
export interface ManifestKey {
  readonly key: string;
  readonly apiVersion: string;
  readonly kind: string;
  /**
   * A custom resource's top-level fields besides apiVersion and kind, when known from the shape:
   * registered as they are, instead of every field a custom resource of ours may have.
   */
  readonly fields?: readonly string[];
}

/** The key of a plugin's ConfigMap: `plugin-configmap:<index>` for its folder, `plugin-configmap:<index>:<subfolder>` for a subfolder. */
export function pluginConfigMapKey(index: number, folder: string): string {
  return folder === "" ? `plugin-configmap:${index}` : `plugin-configmap:${index}:${folder}`;
}

/**
 * The keys a rendering of this shape has, in apply order. `renderKubernetesManifests` produces
 * exactly these (a test holds them together); a component registers one resource per key.
 */
export function manifestKeys(shape: ManifestShape): ManifestKey[] {
  const declarative = shape.configuration === KongConfiguration.Declarative;
  const operator = shape.delivery === KubernetesDelivery.Operator;
  const workload = shape.pluginsOnly !== true;
  const sidecar = workload && !declarative && !operator;
  const rbac = "rbac.authorization.k8s.io/v1";
  const plugins = [...Array(shape.pluginCount).keys()];
  const key = (name: string, apiVersion: string, kind: string): ManifestKey => ({ key: name, apiVersion, kind });
  const each = <T>(items: readonly T[], make: (item: T, index: number) => ManifestKey[]) => items.flatMap(make);
  return [
    ...(shape.seedResources ? renderPluginCrds().map((crd) => key(`crd:${crd.metadata.name}`, crd.apiVersion, crd.kind)) : []),
    ...(shape.createNamespace ? [key("namespace", "v1", "Namespace")] : []),
    ...(sidecar && shape.createIngressClass !== false ? [key("ingress-class", "networking.k8s.io/v1", "IngressClass")] : []),
    ...(sidecar
      ? [
          key("controller-service-account", "v1", "ServiceAccount"),
          key("controller-cluster-role", rbac, "ClusterRole"),
          key("controller-cluster-role-binding", rbac, "ClusterRoleBinding"),
          key("controller-role", rbac, "Role"),
          key("controller-role-binding", rbac, "RoleBinding"),
        ]
      : []),
    ...(shape.delivery === KubernetesDelivery.ConfigMap
      ? plugins.flatMap((index) => ["", ...(shape.pluginSubfolders?.[index] ?? [])].map((folder) => key(pluginConfigMapKey(index, folder), "v1", "ConfigMap")))
      : []),
    ...(shape.delivery === KubernetesDelivery.Artifact ? [key("plugin-installer", "v1", "ConfigMap"), key("plugin-keys", "v1", "ConfigMap")] : []),
    ...(declarative ? [key("declarative-config", "v1", "ConfigMap")] : []),
    ...(shape.knep ? [key("knep-configmap", "v1", "ConfigMap")] : []),
    ...(declarative && shape.instances.some((instance) => instance.hasSecrets) ? [key("plugin-secrets", "v1", "Secret")] : []),
    ...(declarative ? [] : each(shape.instances, (instance, index) => (instance.hasSecrets ? [key(`instance-secret:${index}`, "v1", "Secret")] : []))),
    ...(shape.knep?.hasSecret ? [key("knep-secret", "v1", "Secret")] : []),
    ...(workload && !operator ? [key("deployment", "apps/v1", "Deployment")] : []),
    ...(shape.knep ? [key("knep-deployment", "apps/v1", "Deployment")] : []),
    ...(workload && !operator ? [key("service", "v1", "Service")] : []),
    ...(shape.knep && !operator ? [key("admin-service", "v1", "Service"), key("admin-network-policy", "networking.k8s.io/v1", "NetworkPolicy")] : []),
    ...(declarative ? [] : each(shape.instances, (instance, index) => [{ ...key(`instance-plugin:${index}`, INGRESS_CONTROLLER_API_VERSION, instance.ingressControllerKind), ...(instance.ingressControllerFields ? { fields: instance.ingressControllerFields } : {}) }])),
    ...(shape.seedResources ? plugins.map((index) => key(`seed-metadata:${index}`, OPERATOR_API_VERSION, "KongPluginMetadata")) : []),
    ...(shape.seedResources ? each(shape.instances, (instance, index) => (instance.targetsGateway ? [key(`seed-plugin:${index}`, OPERATOR_API_VERSION, "KongPlugin")] : [])) : []),
    ...(operator ? plugins.map((index) => key(`plugin-installation:${index}`, KONG_PLUGIN_INSTALLATION_API_VERSION, "KongPluginInstallation")) : []),
    ...(workload && operator ? [key("dataplane", DATAPLANE_API_VERSION, "DataPlane"), key("controlplane", CONTROLPLANE_API_VERSION, "ControlPlane")] : []),
  ];
}
