import type * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { reportArtifacts } from "../core/artifacts";
import { toKubernetesName } from "../core/names";
import { hold, withoutUndefined } from "../core/objects";
import { resolveInputs, SecretInputs } from "../core/secret-inputs";
import type { KongConsumerSpec, KongRouteSpec, KongServiceSpec } from "../gateway/model";
import { resolveStackGateway, type CheckedInstances, type StackGatewayInputs } from "../gateway/stack-inputs";
import { resolveImageReference, type GatewayImageReference } from "../image/image-facts";
import type { PluginImageReference } from "../image/plugin-image";
import { knepHasSecrets, renderKnep, type KnepDefinition } from "../knep/definition";
import { knepSecretChecksum } from "../knep/kubernetes";
import type { KnepResources } from "../knep/spec";
import type { PluginInstanceSpec } from "../plugin/instance-model";
import type { PluginSpec } from "../plugin/model";
import { readPluginSource } from "../plugin/source";
import { instanceShapeOf, manifestKeys } from "./manifest-keys";
import type { PluginArtifactsArgs } from "../artifact/plugin-artifact";
import { artifactInstallOf } from "../artifact/install-spec";
import type { PluginRetirement } from "../gateway/model";
import { registerPluginLifecycle } from "../gateway/plugin-lifecycle";
import { configurationOf, renderKubernetesManifests, renderKubernetesSecrets, type KubernetesManifests } from "./manifests";
import { registerManifestObjects, type RenderedObjects } from "./manifest-registration";
import { pluginSubfolders } from "./plugin-configmaps";
import { KongConfiguration, KubernetesDelivery, type KongServiceType, type KubernetesManifestsSpec } from "./spec";

/** Arguments of {@link KubernetesStack}. */
export interface KubernetesStackArgs {
  /** How plugins reach Kong: ConfigMaps (Kong's Helm chart layout), a custom image, Kong Operator, or signed artifacts installed by init containers. */
  readonly delivery: KubernetesDelivery;
  /**
   * Where Kong's configuration comes from: kong.yaml in a ConfigMap, or a controller reading custom resources.
   * @default KongConfiguration.Declarative (Controller with the operator delivery)
   */
  readonly configuration?: KongConfiguration;
  /**
   * Custom plugins, PluginMetadata `definition`s (ConfigMap, operator and artifact deliveries).
   * @default []
   */
  readonly plugins?: pulumi.Input<pulumi.Input<PluginSpec>[]>;
  /**
   * The custom image, a GatewayImage's `definition` (image delivery); run by digest once it is known.
   * @default - none
   */
  readonly gatewayImage?: pulumi.Input<GatewayImageReference>;
  /**
   * Each plugin's image, PluginImage `definition`s (operator delivery): one per plugin.
   * @default []
   */
  readonly pluginImages?: pulumi.Input<pulumi.Input<PluginImageReference>[]>;
  /**
   * Custom plugins on their way out, by name, at their step of Kong's removal order: `retiring`
   * (still installed and enabled; no instance may use it), then `disabled` (out of KONG_PLUGINS,
   * files kept), then drop it from `plugins`. An update that skips a step is refused, naming the
   * next one. See https://docs.konghq.com/gateway/latest/plugin-development/distribution/#remove-a-plugin
   * @default {}
   */
  readonly retirement?: pulumi.Input<Record<string, PluginRetirement>>;
  /**
   * Each plugin's signed artifact and the installer image (artifact delivery): init containers
   * verify each signature and unpack the plugin before Kong starts.
   * @default - none
   */
  readonly pluginArtifacts?: pulumi.Input<PluginArtifactsArgs>;
  /**
   * Secret to pull plugin images with (operator delivery).
   * @default - none
   */
  readonly imagePullSecret?: pulumi.Input<string>;
  /**
   * Kong's image for the ConfigMap and operator deliveries.
   * @default "kong/kong-gateway:3.10"
   */
  readonly baseImage?: pulumi.Input<string>;
  /**
   * Keep Kong's bundled plugins enabled.
   * @default true
   */
  readonly includeBundled?: pulumi.Input<boolean>;
  /**
   * Plugin instances, PluginInstance `definition`s.
   * @default []
   */
  readonly instances?: pulumi.Input<pulumi.Input<PluginInstanceSpec>[]>;
  /**
   * Kong services, each with its routes.
   * @default []
   */
  readonly services?: pulumi.Input<KongServiceSpec[]>;
  /**
   * Routes declared apart from their service (each names its `service`).
   * @default []
   */
  readonly routes?: pulumi.Input<KongRouteSpec[]>;
  /**
   * Kong consumers.
   * @default []
   */
  readonly consumers?: pulumi.Input<KongConsumerSpec[]>;
  /**
   * Also render the operator's KongPluginMetadata and KongPlugin (gateway.konghq.com/v1alpha1) and their CRDs.
   * @default false
   */
  readonly seedResources?: boolean;
  /**
   * A KNEP to deploy beside Kong, in the stack's namespace (a KnepDeployment's `definition`);
   * not registered again when the KnepDeployment registers its own objects.
   * @default - none
   */
  readonly knep?: pulumi.Input<KnepDefinition>;
  /**
   * Namespace of the gateway's objects. An instance scoped to a service, route or consumer keeps its
   * KongPlugin and config Secret in its own `namespace`, that of the objects it annotates.
   * @default "kong"
   */
  readonly namespace?: string;
  /**
   * The Ingress Controller's class, put on every KongClusterPlugin as `kubernetes.io/ingress.class`
   * (controller configuration); the controller ignores KongClusterPlugins of another class.
   * See https://developer.konghq.com/kubernetes-ingress-controller/class-annotations/
   * @default "kong"
   */
  readonly ingressClass?: string;
  /**
   * Controller configuration with the ConfigMap or image delivery: the Ingress Controller's image,
   * run beside Kong in its pod as Kong's Helm chart runs it.
   * @default "kong/kubernetes-ingress-controller:3.5"
   */
  readonly controllerImage?: string;
  /**
   * Controller configuration: also register the IngressClass the controller serves (cluster-wide;
   * set false when it already exists).
   * @default true
   */
  readonly createIngressClass?: boolean;
  /**
   * Register only what a Kong you already run (Kong's Helm chart or Kong Operator) needs for the
   * plugins: their ConfigMaps or KongPluginInstallations, the instances' KongPlugins (or kong.yaml)
   * and Secrets; `chartValues` or `dataPlanePatch` says what to add to that Kong.
   * @default false
   */
  readonly pluginsOnly?: boolean;
  /**
   * Register the Namespace too.
   * @default true (false with `pluginsOnly`)
   */
  readonly createNamespace?: boolean;
  /**
   * Replicas of Kong's Deployment (or DataPlane).
   * @default 1
   */
  readonly replicas?: pulumi.Input<number>;
  /**
   * Resource requests and limits of Kong's container.
   * @default - none
   */
  readonly resources?: pulumi.Input<KnepResources>;
  /**
   * Type of Kong's proxy Service.
   * @default KongServiceType.ClusterIP
   */
  readonly serviceType?: pulumi.Input<KongServiceType>;
  /**
   * Extra environment of Kong's container.
   * @default {}
   */
  readonly kongEnv?: pulumi.Input<Record<string, pulumi.Input<string>>>;
  /**
   * The Kubernetes provider every object is registered with (e.g. one with `renderYamlToDirectory`).
   * @default - the program's default Kubernetes provider
   */
  readonly provider?: k8s.Provider;
}

/**
 * A gateway and its custom plugins on Kubernetes, in any of three deliveries from the same
 * typed inputs. Each object is its own typed `@pulumi/kubernetes` resource (a preview shows
 * each), custom resources depend on their CRDs and everything namespaced on the Namespace.
 */
export class KubernetesStack extends pulumi.ComponentResource {
  /** The rendered objects in apply order (Secrets with their values as `[secret]`). */
  readonly manifests: pulumi.Output<Record<string, any>[]>;
  /** Every object as one multi-document YAML (Secrets' values as `[secret]`). */
  readonly yaml: pulumi.Output<string>;
  /** A kustomization of `manifests.yaml`. */
  readonly kustomization: pulumi.Output<string>;
  /**
   * With the ConfigMap delivery, the Helm values (YAML) for Kong's chart (`charts/kong`) that
   * mount the plugin ConfigMaps this stack renders: `plugins.configMaps`, from which the chart
   * also sets KONG_PLUGINS. Empty with another delivery, or when a plugin name holds `_` (the
   * chart would name its volume `kong-plugin-<name>`, which Kubernetes refuses). With
   * `pluginsOnly`, every value the chart needs to run the rendered plugins and instances (image
   * delivery included).
   */
  readonly chartValues: pulumi.Output<string>;
  /** With `pluginsOnly` and the operator delivery, the merge patch (YAML) that installs the plugins into your DataPlane; empty otherwise. */
  readonly dataPlanePatch: pulumi.Output<string>;
  /** What must already exist in the cluster (a controller's CRDs, Kong Operator), in words; empty for DB-less Kong. */
  readonly prerequisites: pulumi.Output<string[]>;

  constructor(name: string, args: KubernetesStackArgs, opts?: pulumi.ComponentResourceOptions) {
    super("kong-plugins:index:KubernetesStack", name, {}, opts);
    const knepInput = pulumi.output(args.knep) as pulumi.Output<KnepDefinition | undefined>;
    // A KNEP that registers its own objects is not registered twice.
    const knep = knepInput.apply((definition) => (definition && !definition.registersKubernetes ? definition : undefined));
    const base: ManifestsBase = {
      name: toKubernetesName(name),
      namespace: args.namespace ?? "kong",
      createNamespace: args.createNamespace ?? !args.pluginsOnly,
      delivery: args.delivery,
      seedResources: args.seedResources ?? false,
      pluginsOnly: args.pluginsOnly ?? false,
      createIngressClass: args.createIngressClass ?? true,
      ...(args.controllerImage !== undefined ? { controllerImage: args.controllerImage } : {}),
      ...(args.configuration !== undefined ? { configuration: args.configuration } : {}),
      ...(args.ingressClass !== undefined ? { ingressClass: args.ingressClass } : {}),
    };

    // Secret config and KNEP's secrets reach the cluster as Secrets; a secret given anywhere else
    // keeps the rendered manifests secret.
    const inputs = new SecretInputs(this, { ...renderedArgs(args), knep }, ["instances[*].secretConfig", "knep.spec.rabbitmq.url", "knep.spec.secretEnv"]);
    // Everything is rendered once, with the instances' and KNEP's secret values withheld; the
    // Secrets alone are rendered again with the values, checked after the public render so that
    // a problem is reported once.
    const checked: CheckedInstances = new WeakMap();
    const withheld = inputs.checked((values) => hold(renderPublicly(base, values, checked)));
    // After the public render (nested: `pulumi.all` would copy both values): only the Secrets.
    const withSecrets = pulumi.secret(withheld.apply(() => inputs.checked((values) => hold(renderSecrets(base, values, checked)))));
    const publicManifests = inputs.publish(withheld);
    const secretManifests = withSecrets.apply((rendered) => hold(rendered().secrets));
    const knepChecksum = withSecrets.apply((rendered) => rendered().knepSecretChecksum);
    const manifests = <U>(pick: (rendered: KubernetesManifests) => U) => publicManifests.apply((rendered) => pick(rendered()));
    this.manifests = manifests((rendered) => rendered.entries.map((entry): Record<string, any> => entry.object));
    this.yaml = manifests((rendered) => rendered.yaml);
    this.kustomization = manifests((rendered) => rendered.kustomization);
    this.chartValues = manifests((rendered) => rendered.chartValues ?? "");
    this.dataPlanePatch = manifests((rendered) => rendered.dataPlanePatch ?? "");
    this.prerequisites = manifests((rendered) => [...rendered.prerequisites]);

    // Which objects exist depends on names and keys only, which a preview knows even while an
    // image digest is still unknown.
    const shape = pulumi.unsecret(
      resolveInputs({ plugins: args.plugins ?? [], instances: args.instances ?? [], knep }, ({ values: { plugins: pluginSpecs, instances: instanceSpecs, knep: knepDefinition } }) => ({
        pluginNames: pluginSpecs.map((plugin) => plugin.name),
        instanceNames: instanceSpecs.map((instance) => instance.name),
        keys: manifestKeys({
          delivery: args.delivery,
          configuration: configurationOf(args),
          seedResources: base.seedResources,
          createNamespace: base.createNamespace,
          pluginsOnly: base.pluginsOnly,
          createIngressClass: base.createIngressClass,
          pluginCount: args.delivery === KubernetesDelivery.Image ? 0 : pluginSpecs.length,
          pluginSubfolders: pluginSpecs.map(subfoldersOf),
          instances: instanceSpecs.map(instanceShapeOf),
          ...(knepDefinition ? { knep: { hasSecret: knepHasSecrets(knepDefinition.spec) } } : {}),
        }),
      })),
    );
    const lifecycle = registerPluginLifecycle(this, name, args.plugins, args.retirement);
    const sources = { publicManifests, secretManifests, knepSecretChecksum: knepChecksum, lifecycle };
    shape.apply(({ keys, pluginNames, instanceNames }) => registerManifestObjects(this, keys, sources, args.provider, (key) => childName(name, key, pluginNames, instanceNames)));
    reportArtifacts(() => ({ type: "kong-plugins:index:KubernetesStack", name, files: manifests((rendered) => Object.fromEntries(rendered.files.map((file) => [file.path, file.content]))) }));
    this.registerOutputs({ manifests: this.manifests, yaml: this.yaml, kustomization: this.kustomization, chartValues: this.chartValues, dataPlanePatch: this.dataPlanePatch, prerequisites: this.prerequisites });
  }
}

/** The rendering of everything but the stack's inputs. */
type ManifestsBase = Pick<KubernetesManifestsSpec, "delivery" | "configuration" | "ingressClass" | "controllerImage"> & {
  readonly name: string;
  readonly namespace: string;
  readonly createNamespace: boolean;
  readonly seedResources: boolean;
  readonly pluginsOnly: boolean;
  readonly createIngressClass: boolean;
};

/** The arguments whose values are rendered; the others choose what is rendered, or where it is registered. */
function renderedArgs(args: KubernetesStackArgs) {
  const { delivery, configuration, seedResources, namespace, createNamespace, ingressClass, controllerImage, createIngressClass, pluginsOnly, provider, ...rendered } = args;
  return rendered;
}

type StackInputs = pulumi.Unwrap<ReturnType<typeof renderedArgs>>;

/** What the stack renders, from the instances and KNEP with their secret values withheld or not, and the KNEP that holds them. */
function manifestsSpecOf(base: ManifestsBase, inputs: StackInputs, secretValuesWithheld: boolean, checked: CheckedInstances): { spec: KubernetesManifestsSpec; knep?: ReturnType<typeof renderKnep> } {
  const { gatewayImage, pluginImages, pluginArtifacts, knep, imagePullSecret, replicas, resources, serviceType, ...gateway } = inputs;
  const image = gatewayImage && resolveImageReference(gatewayImage, "gatewayImage");
  const knepRendered = knep && renderKnep(knep, { namespace: base.namespace, secretValuesWithheld, onKubernetes: true });
  const spec: KubernetesManifestsSpec = {
    ...base,
    ...withoutUndefined({ imagePullSecret, replicas, resources, serviceType }),
    pluginImages: Object.fromEntries((pluginImages ?? []).map((reference) => [reference.pluginName, reference.image])),
    gateway: resolveStackGateway(withoutUndefined({ ...gateway, image }) as StackGatewayInputs, { secretValuesWithheld, checked }),
    ...(knepRendered?.kubernetes ? { knep: knepRendered.kubernetes } : {}),
    ...(pluginArtifacts ? { artifactInstall: artifactInstallOf(withoutUndefined(pluginArtifacts) as Parameters<typeof artifactInstallOf>[0]) } : {}),
  };
  return knepRendered ? { spec, knep: knepRendered } : { spec };
}

/** Everything the stack renders, its secret values withheld. */
function renderPublicly(base: ManifestsBase, inputs: StackInputs, checked: CheckedInstances): KubernetesManifests {
  return renderKubernetesManifests(manifestsSpecOf(base, inputs, true, checked).spec);
}

/** The Secrets the stack renders, with their values, and KNEP's secret checksum. */
function renderSecrets(base: ManifestsBase, inputs: StackInputs, checked: CheckedInstances): { secrets: RenderedObjects; knepSecretChecksum: string } {
  const { spec, knep } = manifestsSpecOf(base, inputs, false, checked);
  return { secrets: { entries: renderKubernetesSecrets(spec) }, knepSecretChecksum: knep ? knepSecretChecksum(knep.resolved) : "" };
}

/**
 * A plugin's subfolders with files, read from its source to know its ConfigMaps before the render;
 * a source that cannot be read is reported by the render.
 */
function subfoldersOf(spec: PluginSpec): string[] {
  try {
    return pluginSubfolders(readPluginSource(spec.source, { name: spec.name }).files);
  } catch {
    return [];
  }
}

/** Child names are API: they derive from the stack's name and the plugins' and instances' own names. */
function childName(stack: string, key: string, plugins: readonly string[], instances: readonly string[]): string {
  const [role, index, ...folder] = key.split(":");
  const plugin = () => plugins[Number(index)];
  const instance = () => instances[Number(index)];
  switch (role) {
    case "crd":
      return `${stack}-crd-${index}`;
    case "plugin-configmap":
      return folder.length === 0 ? `${stack}-plugin-${plugin()}` : `${stack}-plugin-${plugin()}/${folder.join(":")}`;
    case "instance-secret":
      return `${stack}-config-${instance()}`;
    case "instance-plugin":
      return `${stack}-kongplugin-${instance()}`;
    case "seed-metadata":
      return `${stack}-metadata-${plugin()}`;
    case "seed-plugin":
      return `${stack}-seed-kongplugin-${instance()}`;
    case "plugin-installation":
      return `${stack}-installation-${plugin()}`;
    case "deployment":
      return stack;
    default:
      return `${stack}-${role}`;
  }
}
