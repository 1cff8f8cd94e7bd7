import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { reportArtifacts } from "../core/artifacts";
import { rethrowValidationAs } from "../core/errors";
import { toKubernetesName } from "../core/names";
import { fieldOutputs, withoutUndefined } from "../core/objects";
import { PluginDelivery, type GatewaySpec, type KongConsumerSpec, type KongRouteSpec, type KongServiceSpec } from "../gateway/model";
import { imageFacts } from "../image/image-facts";
import type { GatewayImage } from "../image/gateway-image";
import type { PluginImage } from "../image/plugin-image";
import type { KnepDeployment } from "../knep/knep-deployment";
import type { KnepResources } from "../knep/spec";
import type { KubernetesObject } from "../plugin/kubernetes-object";
import type { PluginInstance } from "../plugin/plugin-instance";
import type { PluginMetadata } from "../plugin/plugin-metadata";
import { manifestKeys, type ManifestKey } from "./manifest-keys";
import { configurationOf, redactSecret, renderKubernetesManifests, type KubernetesManifests } from "./manifests";
import { KongConfiguration, KubernetesDelivery, type KongServiceType, type KubernetesManifestsSpec } from "./spec";

/** Arguments of {@link KubernetesStack}. */
export interface KubernetesStackArgs {
  /** How plugins reach Kong: ConfigMaps (Kong's Helm chart layout), a custom image, or Kong Operator. */
  readonly delivery: KubernetesDelivery;
  /**
   * Where Kong's configuration comes from: kong.yaml in a ConfigMap, or a controller reading custom resources.
   * @default KongConfiguration.Declarative (Controller with the operator delivery)
   */
  readonly configuration?: KongConfiguration;
  /**
   * Custom plugins (ConfigMap and operator deliveries).
   * @default []
   */
  readonly plugins?: PluginMetadata[];
  /**
   * The custom image (image delivery); run by digest once it is known.
   * @default - none
   */
  readonly gatewayImage?: GatewayImage;
  /**
   * Each plugin's image (operator delivery): one PluginImage per plugin.
   * @default []
   */
  readonly pluginImages?: PluginImage[];
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
  /** @default [] */
  readonly instances?: PluginInstance[];
  /** @default [] */
  readonly services?: pulumi.Input<KongServiceSpec[]>;
  /** @default [] */
  readonly routes?: pulumi.Input<KongRouteSpec[]>;
  /** @default [] */
  readonly consumers?: pulumi.Input<KongConsumerSpec[]>;
  /**
   * Also render the operator's KongPluginMetadata and KongPlugin (gateway.konghq.com/v1alpha1) and their CRDs.
   * @default false
   */
  readonly seedResources?: boolean;
  /**
   * A KNEP to deploy beside Kong; not registered again when it registers its own objects.
   * @default - none
   */
  readonly knep?: KnepDeployment;
  /**
   * Namespace of every namespaced object (instances' resources included).
   * @default "kong"
   */
  readonly namespace?: string;
  /**
   * Register the Namespace too.
   * @default true
   */
  readonly createNamespace?: boolean;
  /** @default 1 */
  readonly replicas?: pulumi.Input<number>;
  /** @default - none */
  readonly resources?: pulumi.Input<KnepResources>;
  /** @default KongServiceType.ClusterIP */
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
  readonly manifests: pulumi.Output<KubernetesObject[]>;
  /** Every object as one multi-document YAML (Secrets' values as `[secret]`). */
  readonly yaml: pulumi.Output<string>;
  /** A kustomization of `manifests.yaml`. */
  readonly kustomization: pulumi.Output<string>;
  /** The registered resources, in apply order. */
  readonly kubernetesResources: pulumi.CustomResource[];

  constructor(name: string, args: KubernetesStackArgs, opts?: pulumi.ComponentResourceOptions) {
    super("kong-plugins:index:KubernetesStack", name, {}, opts);
    const toResourceError = (error: Error) => new pulumi.ResourceError(error.message, this);
    const plugins = args.plugins ?? [];
    const instances = args.instances ?? [];
    const knep = args.knep && !args.knep.registersKubernetes ? args.knep : undefined;
    const base = {
      name: toKubernetesName(name),
      namespace: args.namespace ?? "kong",
      createNamespace: args.createNamespace ?? true,
      delivery: args.delivery,
      seedResources: args.seedResources ?? false,
      ...(args.configuration !== undefined ? { configuration: args.configuration } : {}),
    };

    const gateway = this.gatewayOf(args);
    const common = pulumi.output({
      gateway,
      // By digest once the image is pushed, by name until then.
      pluginImages: pulumi.all(args.pluginImages?.map((image) => pulumi.all([image.pluginName, image.repoDigest, image.imageName]).apply(([plugin, digest, imageName]) => [plugin, digest || imageName])) ?? []),
      imagePullSecret: args.imagePullSecret,
      replicas: args.replicas,
      resources: args.resources,
      serviceType: args.serviceType,
    });
    // The public render sees KNEP's Secret with its values already replaced, so nothing secret flows into it.
    const knepPublicSecret = knep && pulumi.unsecret(knep.secret.apply((secret) => secret && redactSecret(secret)));
    const spec = (withSecrets: boolean): pulumi.Output<KubernetesManifests> =>
      pulumi
        .all([common, withSecrets ? pulumi.all(instances.map((instance) => instance.secretConfigValues)) : [], knep?.configMap, knep?.deployment, withSecrets ? knep?.secret : knepPublicSecret])
        .apply(([values, secretValues, knepConfigMap, knepDeployment, knepSecret]) => {
          const { pluginImages, ...rest } = withoutUndefined(values);
          const realInstances = values.gateway.instances.map((instance, index) => ({ ...instance, secretConfig: secretValues[index] ?? instance.secretConfig }));
          const manifestsSpec = {
            ...base,
            ...rest,
            gateway: { ...values.gateway, instances: withSecrets ? realInstances : values.gateway.instances },
            pluginImages: Object.fromEntries(pluginImages as [string, string][]),
            ...(knepConfigMap && knepDeployment
              ? { knep: { configMap: knepConfigMap, deployment: knepDeployment, ...(knepSecret ? { secret: knepSecret } : {}) } }
              : {}),
          } as KubernetesManifestsSpec;
          return rethrowValidationAs(toResourceError, () => renderKubernetesManifests(manifestsSpec));
        });

    const publicManifests = spec(false);
    const secretManifests = pulumi.secret(spec(true));
    this.manifests = publicManifests.apply((rendered) => rendered.entries.map((entry) => entry.object));
    this.yaml = publicManifests.yaml;
    this.kustomization = publicManifests.kustomization;

    const keys = manifestKeys({
      delivery: args.delivery,
      configuration: configurationOf(args),
      seedResources: base.seedResources,
      createNamespace: base.createNamespace,
      pluginCount: args.delivery === KubernetesDelivery.Image ? 0 : plugins.length,
      instances: instances.map((instance) => ({ hasSecrets: instance.shape.secretKeys.length > 0, targetsGateway: instance.shape.targetsGateway, ingressControllerKind: instance.shape.ingressControllerKind })),
      ...(knep ? { knep: { hasSecret: knep.hasSecrets } } : {}),
    });
    this.kubernetesResources = this.register(name, keys, publicManifests, secretManifests, args.provider, plugins, instances);
    reportArtifacts({ type: "kong-plugins:index:KubernetesStack", name, files: publicManifests.apply((rendered) => Object.fromEntries(rendered.files.map((file) => [file.path, file.content]))) });
    this.registerOutputs({ manifests: this.manifests, yaml: this.yaml, kustomization: this.kustomization });
  }

  /** The gateway model of the stack's arguments, secret values withheld. */
  private gatewayOf(args: KubernetesStackArgs): pulumi.Output<GatewaySpec> {
    return pulumi
      .output({
        plugins: pulumi.all((args.plugins ?? []).map((plugin) => plugin.resolved)),
        image: args.gatewayImage ? pulumi.all([args.gatewayImage.imageName, args.gatewayImage.repoDigest, args.gatewayImage.resolved]) : undefined,
        instances: pulumi.all((args.instances ?? []).map((instance) => instance.resolved)),
        baseImage: args.baseImage,
        includeBundled: args.includeBundled,
        services: args.services,
        routes: args.routes,
        consumers: args.consumers,
        kongEnv: args.kongEnv,
      })
      .apply(({ plugins, image, ...rest }): GatewaySpec => {
        if (!image) return withoutUndefined({ ...(rest as Omit<GatewaySpec, "plugins" | "delivery">), plugins, delivery: PluginDelivery.Mount });
        const [imageName, repoDigest, resolved] = image;
        return withoutUndefined({
          ...(rest as Omit<GatewaySpec, "plugins" | "delivery">),
          plugins: resolved.plugins,
          delivery: PluginDelivery.Image,
          // By digest once the image is pushed, so pods run exactly the image that was built.
          image: imageFacts(repoDigest && repoDigest.includes("@sha256:") ? repoDigest : imageName, resolved),
        });
      });
  }

  /** One typed resource per rendered object; Secrets take their values from the secret render. */
  private register(
    name: string,
    keys: ManifestKey[],
    publicManifests: pulumi.Output<KubernetesManifests>,
    secretManifests: pulumi.Output<KubernetesManifests>,
    provider: k8s.Provider | undefined,
    plugins: PluginMetadata[],
    instances: PluginInstance[],
  ): pulumi.CustomResource[] {
    const crds: pulumi.CustomResource[] = [];
    let namespace: pulumi.CustomResource | undefined;
    const registered: pulumi.CustomResource[] = [];
    for (const key of keys) {
      const source = key.kind === "Secret" ? secretManifests : publicManifests;
      const object = source.apply((rendered) => {
        const found = rendered.entries.find((entry) => entry.key === key.key);
        if (!found) throw new pulumi.ResourceError(`internal: no rendered object for ${key.key}`, this);
        return found.object;
      });
      const dependsOn = [...(key.kind === "CustomResourceDefinition" ? [] : crds), ...(namespace && key.kind !== "CustomResourceDefinition" ? [namespace] : [])];
      const options: pulumi.CustomResourceOptions = { parent: this, ...(provider ? { provider } : {}), ...(dependsOn.length > 0 ? { dependsOn } : {}) };
      const resource = createResource(childName(name, key.key, plugins, instances), key, object, options);
      if (key.kind === "CustomResourceDefinition") crds.push(resource);
      if (key.kind === "Namespace") namespace = resource;
      registered.push(resource);
    }
    return registered;
  }
}

/** Child names are API: they derive from the stack's name and the plugins' and instances' own names. */
function childName(stack: string, key: string, plugins: PluginMetadata[], instances: PluginInstance[]): string {
  const [role, index] = key.split(":");
  const plugin = () => plugins[Number(index)]?.resourceName;
  const instance = () => instances[Number(index)]?.resourceName;
  switch (role) {
    case "crd":
      return `${stack}-crd-${index}`;
    case "plugin-configmap":
      return `${stack}-plugin-${plugin()}`;
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

type ObjectOutput = pulumi.Output<KubernetesObject>;

/** The typed resource of a rendered object. */
function createResource(name: string, key: ManifestKey, object: ObjectOutput, options: pulumi.CustomResourceOptions): pulumi.CustomResource {
  switch (key.kind) {
    case "CustomResourceDefinition":
      return new k8s.apiextensions.v1.CustomResourceDefinition(name, fieldOutputs<k8s.apiextensions.v1.CustomResourceDefinitionArgs>(object, ["metadata", "spec"]), options);
    case "Namespace":
      return new k8s.core.v1.Namespace(name, fieldOutputs<k8s.core.v1.NamespaceArgs>(object, ["metadata"]), options);
    case "ConfigMap":
      return new k8s.core.v1.ConfigMap(name, fieldOutputs<k8s.core.v1.ConfigMapArgs>(object, ["metadata", "data"]), options);
    case "Secret":
      return new k8s.core.v1.Secret(name, fieldOutputs<k8s.core.v1.SecretArgs>(object, ["metadata", "type", "stringData"]), options);
    case "Deployment":
      return new k8s.apps.v1.Deployment(name, fieldOutputs<k8s.apps.v1.DeploymentArgs>(object, ["metadata", "spec"]), options);
    case "Service":
      return new k8s.core.v1.Service(name, fieldOutputs<k8s.core.v1.ServiceArgs>(object, ["metadata", "spec"]), options);
    default: {
      // Custom resources: their fields are whatever the object has besides apiVersion and kind.
      const rest = object.apply(({ apiVersion: _apiVersion, kind: _kind, ...other }) => other);
      const others = ["metadata", "spec", "plugin", "config", "configFrom", "disabled", "instance_name", "protocols", "ordering", "consumerRef", "tags"];
      return new k8s.apiextensions.CustomResource(name, { apiVersion: key.apiVersion, kind: key.kind, ...fieldOutputs<Record<string, unknown>>(rest, others) }, options);
    }
  }
}
