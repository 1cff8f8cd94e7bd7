import type { ArtifactInstallSpec } from "../artifact/install-spec";
import type { GatewaySpec } from "../gateway/model";
import type { KnepKubernetesObjects } from "../knep/kubernetes";
import type { KnepResources } from "../knep/spec";

/** How custom plugins reach Kong on Kubernetes. */
export enum KubernetesDelivery {
  /** One ConfigMap per plugin, mounted as Kong's Helm chart mounts them. */
  ConfigMap = "configMap",
  /** A custom image (GatewayImage) with the plugins inside. */
  Image = "image",
  /** Kong Operator: a KongPluginInstallation per plugin (its PluginImage) and a DataPlane. */
  Operator = "operator",
  /** Signed OCI artifacts (PluginArtifact), verified and unpacked by an init container per plugin. */
  Artifact = "artifact",
}

/** Where Kong's configuration comes from. */
export enum KongConfiguration {
  /** DB-less, from a kong.yaml ConfigMap: instances live in kong.yaml. */
  Declarative = "declarative",
  /** A controller (Kong Ingress Controller / Kong Operator) configures Kong from custom resources. */
  Controller = "controller",
}

/** What kind of Service exposes Kong's proxy. */
export enum KongServiceType {
  ClusterIP = "ClusterIP",
  NodePort = "NodePort",
  LoadBalancer = "LoadBalancer",
}

/** Everything a Kubernetes rendering needs, as plain values. */
export interface KubernetesManifestsSpec {
  /** Base name of the gateway's objects. @default "kong" */
  readonly name?: string;
  /** Namespace of the gateway's objects, and of every instance's resources but the KongPlugins and their config Secrets, which live in their instance's namespace. @default "kong" */
  readonly namespace?: string;
  /** Render the Namespace itself. @default true (false with `pluginsOnly`: the namespace is Kong's own) */
  readonly createNamespace?: boolean;
  readonly delivery: KubernetesDelivery;
  /** The gateway: plugins, instances, entities; its delivery follows `delivery`. */
  readonly gateway: GatewaySpec;
  /** @default KongConfiguration.Declarative (Controller in operator mode) */
  readonly configuration?: KongConfiguration;
  /** Operator mode: each plugin's image, by plugin name. */
  readonly pluginImages?: Readonly<Record<string, string>>;
  /** Artifact mode: each plugin's signed artifact and the installer image. @default - none */
  readonly artifactInstall?: ArtifactInstallSpec;
  /** Operator mode: a Secret to pull plugin images with. @default - none */
  readonly imagePullSecret?: string;
  /** Also render the operator's KongPluginMetadata and KongPlugin (gateway.konghq.com/v1alpha1) with their CRDs. @default false */
  readonly seedResources?: boolean;
  /** A KNEP's objects to include (when the KNEP does not register them itself). @default - none */
  readonly knep?: KnepKubernetesObjects;
  /** @default 1 */
  readonly replicas?: number;
  /** Kong container resources. @default - none */
  readonly resources?: KnepResources;
  /** @default KongServiceType.ClusterIP */
  readonly serviceType?: KongServiceType;
  /** The Ingress Controller's class, put on every KongClusterPlugin (controller configuration). @default "kong" */
  readonly ingressClass?: string;
  /**
   * Controller configuration with the ConfigMap or image delivery: the Ingress Controller's image,
   * run beside Kong in its pod as Kong's Helm chart runs it.
   * @default "kong/kubernetes-ingress-controller:3.5"
   */
  readonly controllerImage?: string;
  /**
   * Controller configuration: also render the IngressClass the controller serves (cluster-wide;
   * leave it to whoever already created it).
   * @default true
   */
  readonly createIngressClass?: boolean;
  /**
   * Render only what a Kong run by its Helm chart or Kong Operator needs for the plugins: plugin
   * ConfigMaps (or KongPluginInstallations), the instances' KongPlugins (or kong.yaml) and their
   * Secrets, with the chart values (`chartValues`) or DataPlane patch (`dataPlanePatch`) to add.
   * No Namespace, Deployment, Service, controller or DataPlane.
   * @default false
   */
  readonly pluginsOnly?: boolean;
}

/** The UID/GID Kong's images run as (user `kong`). */
export const KONG_UID = 1000;
/** Kong's status listener, for probes (Kong's chart: values.yaml `status.http.containerPort: 8100`). */
export const STATUS_PORT = 8100;
/** Where the kong.yaml ConfigMap is mounted. */
export const DECLARATIVE_DIR = "/kong_dbless";
/** Kong's prefix, a writable emptyDir under a read-only root filesystem. */
export const KONG_PREFIX = "/kong_prefix";
