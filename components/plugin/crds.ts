import type { JsonValue } from "../core/canonical";
import { MANAGED_BY_LABELS, type KubernetesObject } from "./kubernetes-object";
import { OPERATOR_API_VERSION } from "./resources";

const GROUP = OPERATOR_API_VERSION.split("/")[0] as string;
const VERSION = OPERATOR_API_VERSION.split("/")[1] as string;

/** What the operator reports once it has acted on a resource (seed 000: `status.phase: Ready`). */
const STATUS_SCHEMA = {
  type: "object",
  description: "Observed state, written by the operator.",
  properties: {
    phase: { type: "string", enum: ["Pending", "Ready", "Failed"], description: "Ready once the plugin is distributed to its target." },
    message: { type: "string", description: "Why the resource is in this phase." },
    observedGeneration: { type: "integer", format: "int64", minimum: 0 },
  },
};

const OBJECT_BASICS = {
  apiVersion: { type: "string", description: "APIVersion defines the versioned schema of this representation of an object." },
  kind: { type: "string", description: "Kind is a string value representing the REST resource this object represents." },
  metadata: { type: "object" },
};

const KUBERNETES_NAME = "^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$";

function crd(kind: string, plural: string, description: string, spec: JsonValue, printerColumns: JsonValue[]): KubernetesObject {
  return {
    apiVersion: "apiextensions.k8s.io/v1",
    kind: "CustomResourceDefinition",
    metadata: { name: `${plural}.${GROUP}`, labels: MANAGED_BY_LABELS },
    spec: {
      group: GROUP,
      names: { kind, listKind: `${kind}List`, plural, singular: kind.toLowerCase(), categories: ["kong"] },
      scope: "Namespaced",
      versions: [
        {
          name: VERSION,
          served: true,
          storage: true,
          subresources: { status: {} },
          additionalPrinterColumns: [
            ...printerColumns,
            { name: "Phase", type: "string", jsonPath: ".status.phase" },
            { name: "Age", type: "date", jsonPath: ".metadata.creationTimestamp" },
          ],
          schema: {
            openAPIV3Schema: {
              type: "object",
              description,
              required: ["spec"],
              properties: { ...OBJECT_BASICS, spec, status: STATUS_SCHEMA },
            },
          },
        },
      ],
    },
  };
}

/**
 * CustomResourceDefinitions for the operator's plugin distribution kinds,
 * `KongPluginMetadata` and `KongPlugin` in `gateway.konghq.com/v1alpha1` (seed 000).
 * Kong publishes no CRDs for them, so this library authors them: apply these before any
 * resource of these kinds, or the API server answers "the server could not find the
 * requested resource".
 */
export function renderPluginCrds(): KubernetesObject[] {
  const metadata = crd(
    "KongPluginMetadata",
    "kongpluginmetadatas",
    "KongPluginMetadata describes a custom Kong plugin that the operator distributes: its name, version, type and config schema.",
    {
      type: "object",
      required: ["name", "version", "type"],
      properties: {
        name: { type: "string", minLength: 1, maxLength: 128, pattern: "^[a-z0-9][a-z0-9_-]*$", description: "The plugin's name; must equal its directory name under kong/plugins/." },
        version: { type: "string", pattern: "^\\d+(\\.\\d+)*$", description: "The plugin's version (handler.lua's VERSION as Kong reads it, e.g. 1.0.0 or 0.1)." },
        type: { type: "string", enum: ["http", "stream"], default: "http", description: "The subsystem the plugin serves: http unless it serves the stream subsystem only." },
        configSchema: { type: "object", "x-kubernetes-preserve-unknown-fields": true, description: "JSON Schema that every KongPlugin config of this plugin must conform to." },
      },
    },
    [
      { name: "Plugin", type: "string", jsonPath: ".spec.name" },
      { name: "Version", type: "string", jsonPath: ".spec.version" },
      { name: "Type", type: "string", jsonPath: ".spec.type" },
    ],
  );
  const plugin = crd(
    "KongPlugin",
    "kongplugins",
    "KongPlugin configures a distributed custom plugin and the Gateway API object it applies to.",
    {
      type: "object",
      required: ["pluginRef", "targetRef"],
      properties: {
        pluginRef: { type: "string", minLength: 1, maxLength: 253, pattern: KUBERNETES_NAME, description: "Name of the KongPluginMetadata, in the same namespace, that describes the plugin." },
        config: { type: "object", "x-kubernetes-preserve-unknown-fields": true, description: "The plugin's configuration; must conform to the metadata's configSchema." },
        targetRef: {
          type: "object",
          required: ["group", "kind", "name"],
          description: "The Gateway API object the plugin is distributed to.",
          properties: {
            group: { type: "string", minLength: 1, description: "API group of the target, e.g. gateway.networking.k8s.io." },
            kind: { type: "string", minLength: 1, description: "Kind of the target, e.g. Gateway." },
            name: { type: "string", minLength: 1, maxLength: 253, description: "Name of the target." },
            namespace: { type: "string", maxLength: 63, description: "Namespace of the target; defaults to the KongPlugin's." },
          },
        },
      },
    },
    [
      { name: "Plugin", type: "string", jsonPath: ".spec.pluginRef" },
      { name: "Target", type: "string", jsonPath: ".spec.targetRef.name" },
    ],
  );
  return [metadata, plugin];
}
