import type { JsonValue } from "../core/canonical";
import { stableJson } from "../core/canonical";
import { KongPluginsValidationError } from "../core/errors";
import { toKubernetesName } from "../core/names";
import { PluginScope, type PluginInstanceSpec, type ResolvedPluginInstance } from "./instance-model";
import { MANAGED_BY_LABELS, type KubernetesObject } from "./kubernetes-object";
import type { ResolvedPlugin } from "./model";

/** API version of the operator's plugin distribution kinds (seed): KongPluginMetadata, KongPlugin. */
export const OPERATOR_API_VERSION = "gateway.konghq.com/v1alpha1";
/** API version of the Kong Ingress Controller's KongPlugin and KongClusterPlugin. */
export const INGRESS_CONTROLLER_API_VERSION = "configuration.konghq.com/v1";
/** Annotation that attaches Ingress Controller plugins to Services, routes and consumers. */
export const PLUGINS_ANNOTATION = "konghq.com/plugins";
/**
 * Annotation by which the Ingress Controller picks the KongClusterPlugins of its class: its
 * KongClusterPlugin reconciler drops from its cache every one whose class does not match
 * (KIC internal/controllers/configuration/zz_generated_controllers.go, `MatchesIngressClass`
 * on `annotations.IngressClassKey`), for global ones and ones attached by annotation alike.
 * KongPlugins are not filtered: they are reached through `konghq.com/plugins` only.
 */
export const INGRESS_CLASS_ANNOTATION = "kubernetes.io/ingress.class";
/** The Ingress Controller's default class (KIC internal/annotations `DefaultIngressClass`). */
export const DEFAULT_INGRESS_CLASS = "kong";
/** Key under which a `configFrom` Secret holds the whole plugin configuration. */
export const CONFIG_SECRET_KEY = "config";

/** Options for the operator-form resources. */
export interface OperatorResourceOptions {
  /** Namespace of the KongPluginMetadata. @default "default" */
  readonly namespace?: string;
  /** Object name of the KongPluginMetadata. @default - the plugin's name */
  readonly metadataName?: string;
}

/** The object name of a plugin's KongPluginMetadata, which KongPlugins reference as `pluginRef`. */
export function pluginMetadataName(plugin: Pick<ResolvedPlugin, "name">, options: OperatorResourceOptions = {}): string {
  return options.metadataName ?? toKubernetesName(plugin.name);
}

/** The operator's `KongPluginMetadata` for a plugin (seed 000). */
export function renderKongPluginMetadata(plugin: ResolvedPlugin, options: OperatorResourceOptions = {}): KubernetesObject {
  return {
    apiVersion: OPERATOR_API_VERSION,
    kind: "KongPluginMetadata",
    metadata: { name: pluginMetadataName(plugin, options), namespace: options.namespace ?? "default", labels: MANAGED_BY_LABELS },
    spec: {
      name: plugin.name,
      version: plugin.version,
      type: plugin.type,
      ...(plugin.configSchema !== undefined ? { configSchema: plugin.configSchema as JsonValue } : {}),
    },
  };
}

/**
 * The operator's `KongPlugin` (gateway.konghq.com/v1alpha1) for an instance with a
 * Gateway API `targetRef` (seed 000).
 * @throws KongPluginsValidationError when the instance has no targetRef.
 */
export function renderOperatorKongPlugin(instance: ResolvedPluginInstance, pluginRef: string): KubernetesObject {
  if (instance.targetRef === undefined) {
    throw new KongPluginsValidationError(
      [{ path: "targetRef", message: "is required for the operator's KongPlugin, which applies to a Gateway API object", expected: "{ group, kind, name }" }],
      `plugin instance ${JSON.stringify(instance.name)}`,
    );
  }
  const { group, kind, name, namespace } = instance.targetRef;
  return {
    apiVersion: OPERATOR_API_VERSION,
    kind: "KongPlugin",
    metadata: { name: toKubernetesName(instance.name), namespace: instance.namespace, labels: MANAGED_BY_LABELS },
    spec: {
      pluginRef,
      config: instance.config as JsonValue,
      targetRef: { group, kind, name, namespace: namespace ?? instance.namespace },
    },
  };
}

/** An instance in the Kong Ingress Controller's terms. */
export interface IngressControllerPlugin {
  /** The KongPlugin, or KongClusterPlugin for global and cluster-wide instances. */
  readonly resource: KubernetesObject;
  /** The Secret holding the whole configuration, when the instance has secret config. */
  readonly secret?: KubernetesObject;
  /** Annotations to put on the Services, routes or consumers the plugin applies to. */
  readonly annotations: Readonly<Record<string, string>>;
}

/**
 * The Ingress Controller kind of an instance: a namespaced KongPlugin only when it is scoped to
 * a service, route or consumer and not asked to be cluster-wide.
 */
export function ingressControllerKind(scoped: boolean, clusterWide: boolean): "KongPlugin" | "KongClusterPlugin" {
  return scoped && !clusterWide ? "KongPlugin" : "KongClusterPlugin";
}

/** Options of {@link renderIngressControllerPlugin}. */
export interface IngressControllerOptions {
  /**
   * The Ingress Controller's class, put on KongClusterPlugins as `kubernetes.io/ingress.class`.
   * @default "kong"
   */
  readonly ingressClass?: string;
}

/**
 * The instance as the Kong Ingress Controller / Kong Operator expect it. Global instances
 * become a KongClusterPlugin labelled `global: "true"`; every KongClusterPlugin carries the
 * controller's class. A KongPlugin lives in the instance's namespace, which must be that of
 * the Services, Ingresses and KongConsumers it annotates: the controller looks a plain
 * `konghq.com/plugins: <name>` up in the annotated object's own namespace (KIC
 * internal/dataplane/kongstate/kongstate.go `getPluginRelations`, `extractReferredPluginNamespace`),
 * and the annotation is exactly the KongPlugin's name. With secret config, the whole
 * configuration moves to a Secret referenced by `configFrom` (the CRD allows `config` or
 * `configFrom`, never both), labelled `konghq.com/secret: "true"` so Kong Operator watches it.
 */
export function renderIngressControllerPlugin(instance: ResolvedPluginInstance, options: IngressControllerOptions = {}): IngressControllerPlugin {
  const name = toKubernetesName(instance.name);
  const isGlobal = instance.scope !== PluginScope.Scoped;
  const kind = ingressControllerKind(!isGlobal, instance.clusterWide);
  const clusterScoped = kind === "KongClusterPlugin";
  const hasSecrets = Object.keys(instance.secretConfig).length > 0;
  const secretName = `${name}-config`;

  const labels = { ...MANAGED_BY_LABELS, ...(isGlobal ? { global: "true" } : {}) };
  const secretKeyRef = { name: secretName, key: CONFIG_SECRET_KEY, ...(clusterScoped ? { namespace: instance.namespace } : {}) };
  const resource: KubernetesObject = {
    apiVersion: INGRESS_CONTROLLER_API_VERSION,
    kind,
    metadata: clusterScoped
      ? { name, labels, annotations: { [INGRESS_CLASS_ANNOTATION]: options.ingressClass ?? DEFAULT_INGRESS_CLASS } }
      : { name, namespace: instance.namespace, labels },
    plugin: instance.plugin,
    ...(hasSecrets ? { configFrom: { secretKeyRef } } : { config: instance.config as JsonValue }),
    ...(instance.enabled ? {} : { disabled: true }),
    ...(instance.instanceName !== undefined ? { instance_name: instance.instanceName } : {}),
    ...(instance.protocols !== undefined ? { protocols: [...instance.protocols] } : {}),
    ...(instance.ordering !== undefined ? { ordering: instance.ordering as JsonValue } : {}),
    // consumerRef narrows a plugin attached to a service or route to one consumer.
    ...(instance.consumer !== undefined && (instance.service !== undefined || instance.route !== undefined) ? { consumerRef: instance.consumer } : {}),
    ...(instance.tags.length > 0 ? { tags: [...instance.tags] } : {}),
  };
  const secret: KubernetesObject | undefined = hasSecrets
    ? {
        apiVersion: "v1",
        kind: "Secret",
        metadata: { name: secretName, namespace: instance.namespace, labels: { ...MANAGED_BY_LABELS, "konghq.com/secret": "true" } },
        type: "Opaque",
        stringData: { [CONFIG_SECRET_KEY]: stableJson({ ...instance.config, ...instance.secretConfig }) },
      }
    : undefined;
  return { resource, ...(secret ? { secret } : {}), annotations: { [PLUGINS_ANNOTATION]: name } };
}

/**
 * The top-level fields (besides apiVersion and kind) of the Ingress Controller plugin that
 * {@link renderIngressControllerPlugin} renders for an instance, known from its spec before it
 * is resolved: a stack registers each KongPlugin with these fields and no others.
 */
export function ingressControllerPluginFields(spec: PluginInstanceSpec): string[] {
  const scoped = spec.service !== undefined || spec.route !== undefined;
  return [
    "metadata",
    "plugin",
    Object.keys(spec.secretConfig ?? {}).length > 0 ? "configFrom" : "config",
    ...(spec.enabled === false ? ["disabled"] : []),
    ...(spec.instanceName !== undefined ? ["instance_name"] : []),
    ...(spec.protocols !== undefined ? ["protocols"] : []),
    ...(spec.ordering !== undefined ? ["ordering"] : []),
    ...(spec.consumer !== undefined && scoped ? ["consumerRef"] : []),
    ...((spec.tags ?? []).length > 0 ? ["tags"] : []),
  ];
}

/** An instance as an entry of a declarative `kong.yaml`, and the environment its secrets need. */
export interface DeclarativePlugin {
  /** The `plugins[]` entry, with `service`/`route`/`consumer` naming its scope. */
  readonly entry: Readonly<Record<string, JsonValue>>;
  /**
   * Environment variables Kong needs for the secret config: each secret key is rendered as a
   * `{vault://env/...}` reference, which Kong's env vault resolves from these variables.
   * The field must be `referenceable = true` in the plugin's schema.lua for Kong to resolve it.
   */
  readonly secretEnvironment: Readonly<Record<string, string>>;
}

/**
 * The `kong.yaml` entry for an instance (decK's `FPlugin`). Secret values never appear:
 * they are `{vault://env/<name>}` references to variables listed in `secretEnvironment`.
 */
export function renderDeclarativePlugin(instance: ResolvedPluginInstance): DeclarativePlugin {
  const references: Record<string, JsonValue> = {};
  const secretEnvironment: Record<string, string> = {};
  for (const [key, value] of Object.entries(instance.secretConfig)) {
    const variable = secretVariableName(instance.name, key);
    secretEnvironment[variable] = value;
    references[key] = secretReference(instance.name, key);
  }
  const entry: Record<string, JsonValue> = {
    name: instance.plugin,
    config: { ...instance.config, ...references } as JsonValue,
    enabled: instance.enabled,
    ...(instance.instanceName !== undefined ? { instance_name: instance.instanceName } : {}),
    ...(instance.protocols !== undefined ? { protocols: [...instance.protocols] } : {}),
    ...(instance.ordering !== undefined ? { ordering: instance.ordering as JsonValue } : {}),
    ...(instance.tags.length > 0 ? { tags: [...instance.tags] } : {}),
    ...(instance.service !== undefined ? { service: instance.service } : {}),
    ...(instance.route !== undefined ? { route: instance.route } : {}),
    ...(instance.consumer !== undefined ? { consumer: instance.consumer } : {}),
  };
  return { entry, secretEnvironment };
}

/**
 * The environment variable that carries one secret config value: `<INSTANCE>_<KEY>` in
 * upper case. Kong's env vault maps `{vault://env/a-b}` to the variable `A_B`, so the
 * reference is the same name in lower case with dashes.
 */
export function secretVariableName(instanceName: string, key: string): string {
  return `${instanceName}_${key}`.toUpperCase().replace(/[^A-Z0-9]/g, "_");
}

/** The `{vault://env/...}` reference a secret config value reaches Kong as (see {@link secretVariableName}). */
export function secretReference(instanceName: string, key: string): string {
  return `{vault://env/${secretVariableName(instanceName, key).toLowerCase().replace(/_/g, "-")}}`;
}
