/**
 * How a KubernetesStack registers what it rendered: one typed `@pulumi/kubernetes` resource per
 * object, as a child of the stack's component, in apply order.
 */
import type * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { kubernetes } from "../core/lazy-sdk";
import { fieldOutputs, type Held } from "../core/objects";
import { registerKnepDeployment } from "../knep/deployment-resource";
import type { KubernetesObject } from "../plugin/kubernetes-object";
import type { ManifestKey } from "./manifest-keys";
import type { KubernetesManifests } from "./manifests";

/** Rendered objects by key, in apply order: a whole render, or its Secrets alone. */
export type RenderedObjects = Pick<KubernetesManifests, "entries">;

/** What the registered objects are taken from. */
export interface RegistrationSources {
  /** Every object but the Secrets (secret values withheld). */
  readonly publicManifests: pulumi.Output<Held<RenderedObjects>>;
  /** The Secrets, with their values. */
  readonly secretManifests: pulumi.Output<Held<RenderedObjects>>;
  /** KNEP's secret checksum annotation, a Pulumi secret: see KNEP_SECRET_CHECKSUM_ANNOTATION. */
  readonly knepSecretChecksum: pulumi.Output<string>;
  /** The plugins' removal stages: every object waits for it, so a refused step changes nothing. */
  readonly lifecycle: pulumi.Resource;
}

/**
 * One typed resource per rendered object, children of `stack`; Secrets take their values from
 * the secret render. Custom resources depend on the CRDs, everything namespaced on the Namespace.
 */
export function registerManifestObjects(stack: pulumi.ComponentResource, keys: readonly ManifestKey[], sources: RegistrationSources, provider: k8s.Provider | undefined, nameOf: (key: string) => string): void {
  const crds: pulumi.CustomResource[] = [];
  let namespace: pulumi.CustomResource | undefined;
  for (const key of keys) {
    const source = key.kind === "Secret" ? sources.secretManifests : sources.publicManifests;
    const object = source.apply((rendered) => {
      const found = objectsByKey(rendered()).get(key.key);
      if (!found) throw new pulumi.ResourceError(`internal: no rendered object for ${key.key}`, stack);
      return found;
    });
    const dependsOn = [sources.lifecycle, ...(key.kind === "CustomResourceDefinition" ? [] : crds), ...(namespace && key.kind !== "CustomResourceDefinition" ? [namespace] : [])];
    const options: pulumi.CustomResourceOptions = { parent: stack, ...(provider ? { provider } : {}), ...(dependsOn.length > 0 ? { dependsOn } : {}) };
    // KNEP's Deployment takes the roll trigger of its secret values as a secret of its own.
    const resource =
      key.key === "knep-deployment"
        ? registerKnepDeployment(stack, nameOf(key.key), object, sources.knepSecretChecksum, options)
        : createResource(nameOf(key.key), key, object, options);
    if (key.kind === "CustomResourceDefinition") crds.push(resource);
    if (key.kind === "Namespace") namespace = resource;
  }
}

/** Each render's objects by key, indexed once: a stack of N instances registers 2N objects. */
const indexedRenders = new WeakMap<RenderedObjects, ReadonlyMap<string, KubernetesObject>>();

function objectsByKey(rendered: RenderedObjects): ReadonlyMap<string, KubernetesObject> {
  let index = indexedRenders.get(rendered);
  if (index === undefined) {
    index = new Map(rendered.entries.map((entry) => [entry.key, entry.object]));
    indexedRenders.set(rendered, index);
  }
  return index;
}

type ObjectOutput = pulumi.Output<KubernetesObject>;

/** Every top-level field, besides apiVersion and kind, of the custom resources a stack renders. */
const CUSTOM_RESOURCE_FIELDS = ["metadata", "spec", "plugin", "config", "configFrom", "disabled", "instance_name", "protocols", "ordering", "consumerRef", "tags"];

/** The typed `@pulumi/kubernetes` resource of a rendered object, by its kind; custom resources as CustomResource. */
function createResource(name: string, key: ManifestKey, object: ObjectOutput, options: pulumi.CustomResourceOptions): pulumi.CustomResource {
  switch (key.kind) {
    case "CustomResourceDefinition":
      return new (kubernetes().apiextensions.v1.CustomResourceDefinition)(name, fieldOutputs<k8s.apiextensions.v1.CustomResourceDefinitionArgs>(object, ["metadata", "spec"]), options);
    case "Namespace":
      return new (kubernetes().core.v1.Namespace)(name, fieldOutputs<k8s.core.v1.NamespaceArgs>(object, ["metadata"]), options);
    case "ConfigMap":
      return new (kubernetes().core.v1.ConfigMap)(name, fieldOutputs<k8s.core.v1.ConfigMapArgs>(object, ["metadata", "data"]), options);
    case "Secret":
      return new (kubernetes().core.v1.Secret)(name, fieldOutputs<k8s.core.v1.SecretArgs>(object, ["metadata", "type", "stringData"]), options);
    case "Deployment":
      return new (kubernetes().apps.v1.Deployment)(name, fieldOutputs<k8s.apps.v1.DeploymentArgs>(object, ["metadata", "spec"]), options);
    case "Service":
      return new (kubernetes().core.v1.Service)(name, fieldOutputs<k8s.core.v1.ServiceArgs>(object, ["metadata", "spec"]), options);
    case "NetworkPolicy":
      return new (kubernetes().networking.v1.NetworkPolicy)(name, fieldOutputs<k8s.networking.v1.NetworkPolicyArgs>(object, ["metadata", "spec"]), options);
    case "IngressClass":
      return new (kubernetes().networking.v1.IngressClass)(name, fieldOutputs<k8s.networking.v1.IngressClassArgs>(object, ["metadata", "spec"]), options);
    case "ServiceAccount":
      return new (kubernetes().core.v1.ServiceAccount)(name, fieldOutputs<k8s.core.v1.ServiceAccountArgs>(object, ["metadata"]), options);
    case "ClusterRole":
      return new (kubernetes().rbac.v1.ClusterRole)(name, fieldOutputs<k8s.rbac.v1.ClusterRoleArgs>(object, ["metadata", "rules"]), options);
    case "ClusterRoleBinding":
      return new (kubernetes().rbac.v1.ClusterRoleBinding)(name, fieldOutputs<k8s.rbac.v1.ClusterRoleBindingArgs>(object, ["metadata", "roleRef", "subjects"]), options);
    case "Role":
      return new (kubernetes().rbac.v1.Role)(name, fieldOutputs<k8s.rbac.v1.RoleArgs>(object, ["metadata", "rules"]), options);
    case "RoleBinding":
      return new (kubernetes().rbac.v1.RoleBinding)(name, fieldOutputs<k8s.rbac.v1.RoleBindingArgs>(object, ["metadata", "roleRef", "subjects"]), options);
    default: {
      // Custom resources: their fields are whatever the object has besides apiVersion and kind,
      // as its key says, or any a custom resource of ours may have (an absent one is undefined).
      const fields = key.fields ?? CUSTOM_RESOURCE_FIELDS;
      return new (kubernetes().apiextensions.CustomResource)(name, { apiVersion: key.apiVersion, kind: key.kind, ...fieldOutputs<Record<string, unknown>>(object, fields) }, options);
    }
  }
}
