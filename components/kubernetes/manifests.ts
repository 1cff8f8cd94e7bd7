import { stableYaml, stableYamlDocuments } from "../core/canonical";
import { IssueCollector, joinPath, KongPluginsValidationError, REDACTED } from "../core/errors";
import { fitsKubernetesRule, KUBERNETES_NAME_RULES } from "../core/names";
import { gatewayIssues } from "../gateway/preflight";
import { vaultReferenceIssues } from "../gateway/vault-references";
import { DatabaseMode, PluginDelivery, PluginRetirement } from "../gateway/model";
import { renderPluginCrds } from "../plugin/crds";
import { PluginScope, type ResolvedPluginInstance } from "../plugin/instance-model";
import { MANAGED_BY_LABELS, type KubernetesObject } from "../plugin/kubernetes-object";
import { DEFAULT_INGRESS_CLASS, ingressControllerKind, pluginMetadataName, renderIngressControllerPlugin, renderKongPluginMetadata, renderOperatorKongPlugin, type IngressControllerPlugin } from "../plugin/resources";
import { adminApiForKnep, adminListenIssues, renderAdminNetworkPolicy, renderAdminService } from "./admin-api";
import { gatewayObjectNames, gatewayPodLabels, renderDeclarativeConfigMap, renderGatewayDeployment, renderGatewayService, renderPluginSecrets, runsIngressControllerSidecar } from "./gateway-workload";
import { renderControlPlane, renderDataPlane, renderKongPluginInstallation } from "./operator";
import { INGRESS_CONTROLLER_PREREQUISITES, OPERATOR_PREREQUISITES, renderIngressClass, renderIngressControllerRbac } from "./ingress-controller";
import { pluginsOnlyChartValues, pluginsOnlyDataPlanePatch } from "./chart-values";
import { installContainerNameIssues, renderArtifactInstallConfigMaps, withArtifactInstall } from "./artifact-install";
import { ARTIFACT_INSTALL_SPEC, artifactInstallIssues } from "../artifact/install-spec";
import { pluginConfigMapKey } from "./manifest-keys";
import { chartPluginValues, chartPluginValuesIssues, pluginConfigMapIssues, pluginConfigMapParts, renderPluginConfigMaps } from "./plugin-configmaps";
import { KongConfiguration, KongServiceType, KubernetesDelivery, type KubernetesManifestsSpec } from "./spec";
import { BOOLEAN, enumOf, INTEGER, JSON_OBJECT, mapOf, objectOf, STRING, withShape, type Shape } from "../core/shape";
import { isProducedGateway } from "../gateway/stack-inputs";
import { GATEWAY_SPEC } from "../gateway/shapes";

/** One rendered object and the stable key a component registers it under (`<role>` or `<role>:<index>`). */
export interface ManifestEntry {
  readonly key: string;
  readonly object: KubernetesObject;
}

/** The rendered manifests. */
export interface KubernetesManifests {
  /** In apply order: CRDs, Namespace, ConfigMaps, Secrets, workloads, Services, custom resources. */
  readonly entries: readonly ManifestEntry[];
  /** Every object, one document each, in that order. */
  readonly yaml: string;
  /** A kustomization of the rendered folder (`kubectl kustomize` builds it). */
  readonly kustomization: string;
  /** The folder: `manifests.yaml` and `kustomization.yaml`. */
  readonly files: readonly { path: string; content: string }[];
  /**
   * With the ConfigMap delivery, the values (YAML) that make Kong's Helm chart mount the rendered
   * plugin ConfigMaps (`plugins.configMaps`, see chartPluginValues); absent when the chart could
   * not mount them (a plugin name with `_`, see chartPluginValuesIssues) or with the operator.
   * With `pluginsOnly`, everything the chart must be given to run what is rendered (see
   * pluginsOnlyChartValues), for the image delivery too.
   */
  readonly chartValues?: string;
  /** With `pluginsOnly` and the operator delivery: the merge patch (YAML) that installs the plugins into an existing DataPlane. */
  readonly dataPlanePatch?: string;
  /** What must already exist in the cluster for the rendered objects to work (a controller's CRDs, Kong Operator), in words. */
  readonly prerequisites: readonly string[];
}

/** The configuration a spec ends up with: operator mode is always configured by a controller. */
export function configurationOf(spec: Pick<KubernetesManifestsSpec, "delivery" | "configuration">): KongConfiguration {
  return spec.configuration ?? (spec.delivery === KubernetesDelivery.Operator ? KongConfiguration.Controller : KongConfiguration.Declarative);
}

/** A Secret with every value replaced by `[secret]`, for what previews show. */
export function redactSecret(secret: KubernetesObject): KubernetesObject {
  const values = (secret.stringData ?? {}) as Record<string, string>;
  return { ...secret, stringData: Object.fromEntries(Object.keys(values).map((key) => [key, REDACTED])) };
}

function issuesOf(spec: KubernetesManifestsSpec): IssueCollector {
  const issues = new IssueCollector();
  issues.oneOf("delivery", spec.delivery, KubernetesDelivery);
  issues.oneOf("configuration", spec.configuration, KongConfiguration);
  issues.oneOf("serviceType", spec.serviceType, KongServiceType);
  const expectedDelivery = spec.delivery === KubernetesDelivery.Image ? PluginDelivery.Image : PluginDelivery.Mount;
  if (spec.gateway.delivery !== expectedDelivery) issues.add("gateway.delivery", `must be ${expectedDelivery} for the ${spec.delivery} delivery`, { received: spec.gateway.delivery });
  issues.addAll(gatewayIssues(spec.gateway), "gateway");
  issues.addAll(adminListenIssues(spec.gateway.kongEnv));
  if (spec.gateway.database === DatabaseMode.Postgres) {
    // Kong with a database needs pg_host and its password, and `kong migrations bootstrap/up/finish`
    // run before it starts (Kong's chart renders them as Jobs: charts/kong templates/migrations*.yaml);
    // none is rendered here, so Kong could not start.
    issues.add("gateway.database", "postgres is not rendered on Kubernetes: Kong would start without a PostgreSQL host, its credentials or the migrations Jobs that must run first", {
      received: spec.gateway.database,
      expected: "off (DB-less, the default), or ComposeStack for PostgreSQL, or Kong's Helm chart with postgresql and its migrations Jobs",
    });
  }
  if (configurationOf(spec) === KongConfiguration.Declarative) issues.addAll(vaultReferenceIssues(spec.gateway), "gateway");
  checkNames(spec.name ?? "kong", spec.namespace ?? "kong", issues);
  if (spec.ingressClass !== undefined && !fitsKubernetesRule(spec.ingressClass, KUBERNETES_NAME_RULES.subdomain)) {
    issues.add("ingressClass", "is not an IngressClass name", { received: spec.ingressClass, expected: KUBERNETES_NAME_RULES.subdomain.expected });
  }
  if (spec.delivery === KubernetesDelivery.ConfigMap) {
    spec.gateway.plugins.forEach((plugin, index) => issues.addAll(pluginConfigMapIssues(plugin, joinPath("gateway.plugins", index))));
  }
  if (spec.delivery === KubernetesDelivery.Image && !spec.gateway.image) issues.add("gateway.image", "is required for the image delivery");
  // With pluginsOnly, Kong's chart is what mounts the plugin ConfigMaps: a name it cannot mount is an error, not a missing output.
  if (spec.pluginsOnly && spec.delivery === KubernetesDelivery.ConfigMap) issues.addAll(chartPluginValuesIssues(spec.gateway.plugins, "gateway.plugins"));
  if (spec.pluginsOnly && spec.knep) {
    issues.add("knep", "cannot be rendered with pluginsOnly: KNEP reads Kong's Admin API, which only a rendered Kong exposes to it (see admin-api.ts)", { expected: "a KNEP deployed on its own (KnepDeployment), pointed at your Kong's Admin API" });
  }
  if (spec.controllerImage !== undefined && !runsIngressControllerSidecar({ ...spec, configuration: configurationOf(spec) })) {
    issues.add("controllerImage", "is used only when the Ingress Controller runs beside Kong: controller configuration with the ConfigMap or image delivery, without pluginsOnly", { received: spec.controllerImage });
  }
  if (spec.pluginsOnly && spec.delivery === KubernetesDelivery.Artifact) {
    issues.add("pluginsOnly", "cannot be used with the artifact delivery: the plugins are installed by init containers in Kong's own pod, which pluginsOnly does not render", { expected: "the ConfigMap, image or operator delivery" });
  }
  if (spec.delivery === KubernetesDelivery.Artifact) {
    issues.addAll(artifactInstallIssues(spec.artifactInstall, spec.gateway.plugins, "artifactInstall"));
    issues.addAll(installContainerNameIssues(spec.gateway.plugins, "gateway.plugins"));
  }
  if (spec.delivery === KubernetesDelivery.Operator) {
    // Kong Operator enables every KongPluginInstallation it installs: it has no installed-but-disabled step.
    for (const [plugin, stage] of Object.entries(spec.gateway.retirement ?? {})) {
      if (stage === PluginRetirement.Disabled) issues.add(joinPath("gateway.retirement", plugin), "cannot be disabled with the operator delivery: Kong Operator enables every plugin it installs; switch the gateway to the ConfigMap or artifact delivery for the removal steps", { received: stage });
    }
  }
  if (spec.delivery === KubernetesDelivery.Operator) {
    if (configurationOf(spec) !== KongConfiguration.Controller) {
      issues.add("configuration", "must be controller with the operator delivery: a DataPlane is configured by its ControlPlane, not by a kong.yaml");
    }
    spec.gateway.plugins.forEach((plugin, index) => {
      if (!spec.pluginImages?.[plugin.name]) issues.add(joinPath("pluginImages", plugin.name), "is required: Kong Operator installs each plugin from its image (a PluginImage)");
      // The operator names the plugin, its volume and its mount after the KongPluginInstallation.
      if (!fitsKubernetesRule(plugin.name, KUBERNETES_NAME_RULES.label)) {
        issues.add(joinPath(joinPath("gateway.plugins", index), "name"), "cannot name a KongPluginInstallation, whose name Kong Operator gives the plugin (KONG_PLUGINS), its volume and its mount; renaming it would leave the plugin not enabled, so deliver it by ConfigMap or image instead, or rename the plugin", {
          received: plugin.name,
          expected: KUBERNETES_NAME_RULES.label.expected,
        });
      }
    });
  }
  return issues;
}

/**
 * The names the API server would refuse: the namespace must be an RFC 1123 label; the base name
 * names the Deployment (or DataPlane) and is its pods' `app.kubernetes.io/instance` label value,
 * so it is an RFC 1123 label too, and the Service `<name>-proxy` an RFC 1035 label (a letter
 * first). At most 63 characters, the base name keeps the ConfigMap and Secret names valid subdomains.
 */
function checkNames(name: string, namespace: string, issues: IssueCollector): void {
  const { label, service } = KUBERNETES_NAME_RULES;
  if (!fitsKubernetesRule(namespace, label)) issues.add("namespace", "is not a Kubernetes namespace name", { received: namespace, expected: label.expected });
  if (!fitsKubernetesRule(name, label)) {
    issues.add("name", "is not a name Kubernetes accepts for the gateway's Deployment and its label", { received: name, expected: label.expected });
    return;
  }
  const serviceName = gatewayObjectNames(name).service;
  if (!fitsKubernetesRule(serviceName, service)) {
    const room = service.maxLength - (serviceName.length - name.length);
    issues.add("name", `makes the Service name ${JSON.stringify(serviceName)}, which Kubernetes refuses`, { received: name, expected: `a name that starts with a letter, at most ${room} characters` });
  }
}

const QUANTITIES = objectOf({ cpu: STRING, memory: STRING });

/** The types of {@link KubernetesManifestsSpec} but the gateway (see ../core/shape.ts). */
const MANIFESTS_FIELDS: Record<string, Shape> = {
  name: STRING,
  namespace: STRING,
  createNamespace: BOOLEAN,
  delivery: enumOf(KubernetesDelivery),
  configuration: enumOf(KongConfiguration),
  pluginImages: mapOf(STRING),
  imagePullSecret: STRING,
  artifactInstall: ARTIFACT_INSTALL_SPEC,
  seedResources: BOOLEAN,
  knep: objectOf({ configMap: JSON_OBJECT, secret: JSON_OBJECT, deployment: JSON_OBJECT }, ["configMap", "deployment"]),
  replicas: INTEGER,
  resources: objectOf({ requests: QUANTITIES, limits: QUANTITIES }),
  serviceType: enumOf(KongServiceType),
  ingressClass: STRING,
  controllerImage: STRING,
  createIngressClass: BOOLEAN,
  pluginsOnly: BOOLEAN,
};
const KUBERNETES_MANIFESTS_SPEC: Shape = objectOf({ ...MANIFESTS_FIELDS, gateway: GATEWAY_SPEC }, ["delivery", "gateway"]);
/** The same for a spec whose gateway resolveStackGateway produced (see isProducedGateway): not walked again. */
const KUBERNETES_MANIFESTS_SPEC_OF_PRODUCED_GATEWAY: Shape = objectOf(MANIFESTS_FIELDS, ["delivery"]);

/**
 * Renders a gateway and its custom plugins for Kubernetes, in one of three deliveries:
 * ConfigMaps mounted as Kong's Helm chart mounts them, a custom image, or Kong Operator
 * KongPluginInstallations with a DataPlane. Plugin configuration is rendered as the cluster
 * expects it: in kong.yaml (declarative), or as Ingress Controller KongPlugin/KongClusterPlugin
 * (controller), optionally with the operator's KongPluginMetadata/KongPlugin and their CRDs.
 * The gateway preflight runs first; every problem is reported at once.
 * @throws KongPluginsValidationError
 */
export function renderKubernetesManifests(spec: KubernetesManifestsSpec): KubernetesManifests {
  return withShape(spec, manifestsShapeOf(spec), "the Kubernetes manifests", () => renderKubernetesManifestsTyped(spec));
}

/** The types a spec is checked against: its gateway is not walked again when resolveStackGateway produced it. */
function manifestsShapeOf(spec: KubernetesManifestsSpec): Shape {
  return isProducedGateway(spec?.gateway) ? KUBERNETES_MANIFESTS_SPEC_OF_PRODUCED_GATEWAY : KUBERNETES_MANIFESTS_SPEC;
}

function renderKubernetesManifestsTyped(spec: KubernetesManifestsSpec): KubernetesManifests {
  const issues = issuesOf(spec);
  if (!issues.isEmpty) throw new KongPluginsValidationError([...issues.issues], "the Kubernetes manifests");

  const name = spec.name ?? "kong";
  const namespace = spec.namespace ?? "kong";
  const configuration = configurationOf(spec);
  const declarative = configuration === KongConfiguration.Declarative;
  const operator = spec.delivery === KubernetesDelivery.Operator;
  const pluginsOnly = spec.pluginsOnly === true;
  // The gateway's own workload: Kong (Deployment or DataPlane), its Services and its controller.
  const workload = !pluginsOnly;
  const sidecar = runsIngressControllerSidecar({ ...spec, configuration });
  const gateway = spec.gateway;
  const instances = ingressControllerInstances(gateway.instances, namespace);
  const ingressClass = spec.ingressClass ?? DEFAULT_INGRESS_CLASS;
  const ingress = declarative ? [] : instances.map((instance) => renderIngressControllerPlugin(instance, { ingressClass }));
  const declarativeConfig = declarative ? renderDeclarativeConfigMap(spec, name, namespace) : undefined;
  const knepAdmin = adminApiForKnep(spec) ? spec.knep : undefined;
  const controllerRbac = sidecar ? renderIngressControllerRbac(name, namespace) : [];
  const artifactInstall = spec.delivery === KubernetesDelivery.Artifact ? renderArtifactInstallConfigMaps(spec.artifactInstall!, name, namespace) : undefined;

  const entry = (key: string, object: KubernetesObject | undefined): ManifestEntry[] => (object ? [{ key, object }] : []);
  const entries: ManifestEntry[] = [
    ...(spec.seedResources ? renderPluginCrds().map((crd) => ({ key: `crd:${crd.metadata.name}`, object: crd })) : []),
    ...entry("namespace", (spec.createNamespace ?? !pluginsOnly) ? { apiVersion: "v1", kind: "Namespace", metadata: { name: namespace, labels: MANAGED_BY_LABELS } } : undefined),
    ...entry("ingress-class", sidecar && spec.createIngressClass !== false ? renderIngressClass(ingressClass) : undefined),
    ...controllerRbac.map((object) => ({ key: `controller-${kebab(object.kind)}`, object })),
    ...(spec.delivery === KubernetesDelivery.ConfigMap ? gateway.plugins.flatMap((plugin, index) => pluginConfigMapParts(plugin).map((part, at) => ({ key: pluginConfigMapKey(index, part.folder), object: renderPluginConfigMaps(plugin, namespace)[at] as KubernetesObject }))) : []),
    ...entry("plugin-installer", artifactInstall?.installer),
    ...entry("plugin-keys", artifactInstall?.keys),
    ...entry("declarative-config", declarativeConfig),
    ...entry("knep-configmap", spec.knep?.configMap),
    ...secretEntries(spec, ingress),
    ...entry("deployment", workload && !operator ? withArtifactInstallIf(artifactInstall !== undefined, spec, name, renderGatewayDeployment(spec, name, namespace, declarativeConfig)) : undefined),
    ...entry("knep-deployment", spec.knep?.deployment),
    ...entry("service", workload && !operator ? renderGatewayService(spec, name, namespace) : undefined),
    ...entry("admin-service", knepAdmin && renderAdminService(name, namespace, gatewayPodLabels(name))),
    ...entry("admin-network-policy", knepAdmin && renderAdminNetworkPolicy(name, namespace, gatewayPodLabels(name), knepAdmin.deployment)),
    ...ingress.flatMap((rendered, index) => entry(`instance-plugin:${index}`, rendered.resource)),
    ...(spec.seedResources ? gateway.plugins.flatMap((plugin, index) => entry(`seed-metadata:${index}`, renderKongPluginMetadata(plugin, { namespace }))) : []),
    ...(spec.seedResources
      ? instances.flatMap((instance, index) =>
          instance.scope === PluginScope.GatewayTarget ? entry(`seed-plugin:${index}`, renderOperatorKongPlugin(instance, pluginMetadataName({ name: instance.plugin }))) : [],
        )
      : []),
    ...(operator
      ? gateway.plugins.flatMap((plugin, index) => entry(`plugin-installation:${index}`, renderKongPluginInstallation(plugin.name, spec.pluginImages?.[plugin.name] as string, namespace, spec.imagePullSecret)))
      : []),
    ...entry("dataplane", workload && operator ? renderDataPlane(spec, name, namespace) : undefined),
    ...entry("controlplane", workload && operator ? renderControlPlane(name, namespace, ingressClass) : undefined),
  ];

  const yaml = stableYamlDocuments(entries.map((item) => item.object));
  const kustomization = stableYaml({ apiVersion: "kustomize.config.k8s.io/v1beta1", kind: "Kustomization", resources: ["manifests.yaml"] });
  const chartValues = chartValuesOf(spec, name);
  const dataPlanePatch = pluginsOnly && operator ? stableYaml(pluginsOnlyDataPlanePatch(spec, namespace)) : undefined;
  return {
    entries,
    yaml,
    kustomization,
    files: [{ path: "kustomization.yaml", content: kustomization }, { path: "manifests.yaml", content: yaml }],
    ...(chartValues !== undefined ? { chartValues } : {}),
    ...(dataPlanePatch !== undefined ? { dataPlanePatch } : {}),
    prerequisites: declarative ? [] : operator ? [...OPERATOR_PREREQUISITES] : [...INGRESS_CONTROLLER_PREREQUISITES],
  };
}

/**
 * The Secrets of a rendering, exactly as {@link renderKubernetesManifests} renders them among
 * everything else, and nothing else. A stack renders everything once, with the secret values
 * withheld, and then only these with the values: the one place they reach the cluster.
 * @throws KongPluginsValidationError
 */
export function renderKubernetesSecrets(spec: KubernetesManifestsSpec): readonly ManifestEntry[] {
  return withShape(spec, manifestsShapeOf(spec), "the Kubernetes manifests", () => {
    const namespace = spec.namespace ?? "kong";
    const declarative = configurationOf(spec) === KongConfiguration.Declarative;
    const ingressClass = spec.ingressClass ?? DEFAULT_INGRESS_CLASS;
    return secretEntries(spec, declarative ? [] : ingressControllerInstances(spec.gateway.instances, namespace).map((instance) => renderIngressControllerPlugin(instance, { ingressClass })));
  });
}

/** The Secret entries, in apply order: kong.yaml's vault values, each instance's config, KNEP's. */
function secretEntries(spec: KubernetesManifestsSpec, ingress: readonly IngressControllerPlugin[]): ManifestEntry[] {
  const declarative = configurationOf(spec) === KongConfiguration.Declarative;
  const pluginSecrets = declarative ? renderPluginSecrets(spec, spec.name ?? "kong", spec.namespace ?? "kong") : undefined;
  return [
    ...(pluginSecrets ? [{ key: "plugin-secrets", object: pluginSecrets }] : []),
    ...ingress.flatMap((rendered, index) => (rendered.secret ? [{ key: `instance-secret:${index}`, object: rendered.secret }] : [])),
    ...(spec.knep?.secret ? [{ key: "knep-secret", object: spec.knep.secret }] : []),
  ];
}

/**
 * The instances as their Ingress Controller objects are rendered: a KongPlugin stays in its
 * instance's namespace, that of the objects it annotates (the controller resolves
 * `konghq.com/plugins: <name>` there); the rest live with the gateway.
 */
function ingressControllerInstances(instances: readonly ResolvedPluginInstance[], namespace: string): ResolvedPluginInstance[] {
  return instances.map((instance) => (ingressControllerKind(instance.scope === PluginScope.Scoped, instance.clusterWide) === "KongPlugin" ? instance : { ...instance, namespace }));
}

/** The chart values of a rendering (see {@link KubernetesManifests.chartValues}). */
function chartValuesOf(spec: KubernetesManifestsSpec, name: string): string | undefined {
  const chartMountable = spec.delivery !== KubernetesDelivery.ConfigMap || chartPluginValuesIssues(spec.gateway.plugins, "plugins").length === 0;
  if (spec.delivery === KubernetesDelivery.Operator || spec.delivery === KubernetesDelivery.Artifact || !chartMountable) return undefined;
  if (spec.pluginsOnly) return stableYaml(pluginsOnlyChartValues(spec, name));
  // The chart enables every plugin it mounts, so the mount-only snippet cannot run a disabled one
  // (files kept, out of KONG_PLUGINS); pluginsOnly's values say KONG_PLUGINS themselves.
  const disabled = Object.values(spec.gateway.retirement ?? {}).includes(PluginRetirement.Disabled);
  return spec.delivery === KubernetesDelivery.ConfigMap && !disabled ? stableYaml(chartPluginValues(spec.gateway.plugins)) : undefined;
}

/** The Deployment with the artifact delivery's init containers, when it has them. */
function withArtifactInstallIf(install: boolean, spec: KubernetesManifestsSpec, name: string, deployment: KubernetesObject): KubernetesObject {
  return install ? withArtifactInstall(spec, name, deployment) : deployment;
}

/** `ClusterRoleBinding` -> `cluster-role-binding`. */
function kebab(kind: string): string {
  return kind.replace(/[A-Z]/g, (letter, at: number) => (at === 0 ? "" : "-") + letter.toLowerCase());
}
