import * as pulumi from "@pulumi/pulumi";
import { reportArtifacts } from "../core/artifacts";
import { stableYaml } from "../core/canonical";
import { compareStrings } from "../core/digest";
import { joinPath } from "../core/errors";
import { withoutUndefined } from "../core/objects";
import { defineLazyOutputs } from "../core/lazy-outputs";
import { SecretInputs } from "../core/secret-inputs";
import { pathKeys } from "../core/secret-paths";
import { rememberCheckedDefinition, resolvePluginInstance, withheldInstanceSpec } from "./instance";
import type { KongProtocol, PluginInstanceSpec, PluginOrdering, ResolvedPluginInstance, TargetRef } from "./instance-model";
import type { PluginSpec, ResolvedPlugin } from "./model";
import { resolvePlugin } from "./validate";
import { pluginMetadataName, renderDeclarativePlugin, renderIngressControllerPlugin, renderOperatorKongPlugin, type IngressControllerPlugin } from "./resources";
import type { KubernetesObject } from "./kubernetes-object";
import type { JsonValue } from "../core/canonical";

/** Arguments of {@link PluginInstance}. */
export interface PluginInstanceArgs {
  /**
   * The custom plugin this configures (a PluginMetadata's `definition`); `config` is validated
   * against its configSchema and `protocols` against its type.
   * @default - none; give `plugin` or `pluginName`
   */
  readonly plugin?: pulumi.Input<PluginSpec>;
  /**
   * The name of a plugin not described by a PluginMetadata, such as a bundled one (`key-auth`).
   * @default - none; give `plugin` or `pluginName`
   */
  readonly pluginName?: pulumi.Input<string>;
  /**
   * The plugin's configuration. See https://docs.konghq.com/gateway/latest/plugin-development/configuration/
   * @default {}
   */
  readonly config?: pulumi.Input<Record<string, any>>;
  /**
   * Configuration values that are secret (tokens, passwords), by top-level config key. They
   * stay Pulumi secrets and are rendered only as references: a Kubernetes Secret read through
   * `configFrom`, or `{vault://env/...}` in a kong.yaml. Values must be strings.
   * @default {}
   */
  readonly secretConfig?: pulumi.Input<Record<string, pulumi.Input<string>>>;
  /**
   * Apply to this Kong service only (by name).
   * @default - not limited to a service
   */
  readonly service?: pulumi.Input<string>;
  /**
   * Apply to this Kong route only (by name).
   * @default - not limited to a route
   */
  readonly route?: pulumi.Input<string>;
  /**
   * Apply to this consumer only (by username).
   * @default - not limited to a consumer
   */
  readonly consumer?: pulumi.Input<string>;
  /**
   * Apply to a Gateway API object, as the operator's KongPlugin does (`targetRef`). Cannot be
   * combined with service, route or consumer, nor with secretConfig.
   * @default - no Gateway API target; without any scope the instance is global
   */
  readonly targetRef?: pulumi.Input<TargetRef>;
  /**
   * Whether the instance is active (`enabled` in kong.yaml, `disabled` in the Ingress Controller's KongPlugin).
   * @default true
   */
  readonly enabled?: pulumi.Input<boolean>;
  /**
   * Protocols the instance runs on; they must belong to the plugin's subsystem.
   * @default - Kong's default for the plugin's schema
   */
  readonly protocols?: pulumi.Input<pulumi.Input<KongProtocol>[]>;
  /**
   * Dynamic plugin ordering (Kong Enterprise), e.g. `{ before: { access: ["key-auth"] } }`.
   * See https://docs.konghq.com/gateway/latest/kong-enterprise/plugin-ordering/
   * @default - Kong orders plugins by PRIORITY
   */
  readonly ordering?: pulumi.Input<PluginOrdering>;
  /**
   * Kong's `instance_name`, to tell apart several instances of one plugin.
   * @default - unnamed
   */
  readonly instanceName?: pulumi.Input<string>;
  /**
   * Kong tags (at most 20, each 1 to 128 characters, no `,` or `/`).
   * @default []
   */
  readonly tags?: pulumi.Input<pulumi.Input<string>[]>;
  /**
   * Namespace of the Services, Ingresses and KongConsumers the instance annotates: its KongPlugin and
   * config Secret live there, because the Ingress Controller looks a `konghq.com/plugins` name up in
   * the annotated object's own namespace. A KubernetesStack keeps the resources of global, cluster-wide
   * and `targetRef` instances in its own namespace.
   * @default "default"
   */
  readonly namespace?: pulumi.Input<string>;
  /**
   * Render the Ingress Controller form as a cluster-scoped KongClusterPlugin even when the
   * instance is scoped to a service, route or consumer. Global instances always are.
   * @default false
   */
  readonly clusterWide?: pulumi.Input<boolean>;
}

/**
 * One configured use of a plugin: validated against the plugin's schema before anything is
 * deployed, and rendered in every form Kong reads: the operator's KongPlugin, the Ingress
 * Controller's KongPlugin/KongClusterPlugin (with a Secret for secret config), and a
 * declarative kong.yaml entry. It registers no cloud resources; stacks consume it.
 *
 * Its outputs are data for the stacks, which render them into resources of their own; they are
 * not kept again in the Pulumi state (for thousands of instances, that would be every rendered
 * form of each in every checkpoint). The component is complete once its inputs are checked, and
 * a problem with them fails the program even when no output is read.
 */
export class PluginInstance extends pulumi.ComponentResource {
  /**
   * The checked instance as data, for the stacks (`instances: [instance.definition]`), from any
   * Pulumi language. A Pulumi secret when it holds one (secret config, or a secret given in any
   * other argument), and then its `secretPaths` say where.
   */
  declare readonly definition: pulumi.Output<PluginInstanceSpec>;
  /** The configured plugin's name. */
  declare readonly pluginName: pulumi.Output<string>;
  /** The operator's KongPlugin (gateway.konghq.com/v1alpha1), for instances with a targetRef. */
  declare readonly operatorKongPlugin: pulumi.Output<Record<string, any> | undefined>;
  /** The Ingress Controller's KongPlugin or KongClusterPlugin (configuration.konghq.com/v1). */
  declare readonly ingressControllerPlugin: pulumi.Output<Record<string, any>>;
  /** The Secret its `configFrom` reads, when there is secret config. Always a Pulumi secret. */
  declare readonly ingressControllerSecret: pulumi.Output<Record<string, any> | undefined>;
  /** Annotations that attach the Ingress Controller plugin to Services, routes and consumers. */
  declare readonly annotations: pulumi.Output<Record<string, string>>;
  /** The `plugins[]` entry of a declarative kong.yaml; secrets appear as vault references. */
  declare readonly declarativeEntry: pulumi.Output<Record<string, any>>;
  /** Environment variables the vault references need. Always a Pulumi secret. */
  declare readonly secretEnvironment: pulumi.Output<Record<string, string>>;
  /**
   * The config as Kong stores it, checked by the plugin's schema.lua: defaults filled, shorthand
   * fields translated, absent optional fields null, secret keys as vault references. Undefined
   * for a bundled plugin (`pluginName`), whose schema.lua is Kong's.
   */
  declare readonly effectiveConfig: pulumi.Output<Record<string, any> | undefined>;

  constructor(name: string, args: PluginInstanceArgs, opts?: pulumi.ComponentResourceOptions) {
    super("kong-plugins:index:PluginInstance", name, {}, opts);
    // Secret config values are secrets however they are given; any other argument is one if given as one.
    const inputs = new SecretInputs(this, args, ["secretConfig"]);
    // Everything is checked and rendered in this one step; each output picks its part.
    const checked = inputs.checked((values, paths) => checkInstance(name, values as PluginInstanceInputs, paths, (message) => new pulumi.ResourceError(`${name}: ${message}`, this)));
    // The definition carries the secret values and says where they are.
    const definition: pulumi.Output<PluginInstanceSpec> = checked.apply(({ definition: spec }): pulumi.Output<PluginInstanceSpec> | PluginInstanceSpec => (spec.secretPaths.length > 0 ? pulumi.secret(spec) : spec)) as pulumi.Output<PluginInstanceSpec>;
    // Rendered when an output is first read: a stack renders the definition itself.
    let rendered: pulumi.Output<RenderedInstance> | undefined;
    const publicRender = () => (rendered ??= inputs.publish(checked.apply(({ withheld }) => renderPublicly(withheld))));
    defineLazyOutputs<PluginInstance>(this, {
      definition: () => definition,
      pluginName: () => publicRender().apply((instance) => instance.plugin),
      operatorKongPlugin: () => publicRender().apply((instance) => instance.operatorPlugin),
      ingressControllerPlugin: () => publicRender().apply((instance) => instance.ingress.resource),
      annotations: () => publicRender().apply((instance) => ({ ...instance.ingress.annotations })),
      declarativeEntry: () => publicRender().apply((instance) => instance.entry),
      effectiveConfig: () => publicRender().apply((instance) => instance.effectiveConfig),
      ingressControllerSecret: () => pulumi.secret(checked.apply(({ instance }) => renderIngressControllerPlugin(instance).secret)),
      secretEnvironment: () => pulumi.secret(checked.apply(({ instance }) => ({ ...renderDeclarativePlugin(instance).secretEnvironment }))),
    });

    // Rendered from the instance with its secret values withheld: a Secret shows `[secret]`.
    reportArtifacts(() => ({
      type: "kong-plugins:index:PluginInstance",
      name,
      files: publicRender().apply(({ ingress, entry, operatorPlugin, effectiveConfig }) => ({
        "ingress-controller.yaml": stableYaml([ingress.resource, ...(ingress.secret ? [ingress.secret] : [])]),
        "annotations.yaml": stableYaml(ingress.annotations),
        "kong-yaml-entry.yaml": stableYaml(entry),
        ...(effectiveConfig ? { "effective-config.yaml": stableYaml(effectiveConfig) } : {}),
        ...(operatorPlugin ? { "operator-kongplugin.yaml": stableYaml(operatorPlugin) } : {}),
      })),
    }));
    // Complete once checked: a problem fails the program. The definition is the instance's state
    // for the engine to wait on, not to keep (see the class's comment); the empty state is
    // public even when the definition is a secret.
    this.registerOutputs(pulumi.unsecret(definition.apply(() => ({}))));
  }
}

/** An instance checked: its definition, and the instance resolved without and with its secret values. */
interface CheckedInstance {
  readonly definition: PluginInstanceSpec & { readonly secretPaths: readonly string[] };
  /** Resolved with its secret values withheld: what is rendered publicly. */
  readonly withheld: ResolvedPluginInstance;
  /** Resolved with its secret values: what its Secret and secret environment are rendered from. */
  readonly instance: ResolvedPluginInstance;
}

/**
 * Checks the instance with its secret values withheld first, so that a problem is reported once
 * and without them; what is rendered publicly is rendered from that withheld instance. Without
 * secret config, both are one instance, checked once.
 */
function checkInstance(name: string, values: PluginInstanceInputs, paths: readonly string[], toError: (message: string) => Error): CheckedInstance {
  const { spec, plugin } = instanceSpecOf(name, values, toError);
  const withPlugin = plugin ? { plugin } : {};
  const hasSecretConfig = Object.keys(spec.secretConfig ?? {}).length > 0;
  const withheld = resolvePluginInstance(withheldInstanceSpec(spec), { secretValuesWithheld: true, ...withPlugin });
  const instance = hasSecretConfig ? resolvePluginInstance(spec, withPlugin) : withheld;
  // A list of definitions from another language arrives as one secret when any of them holds
  // one: a definition says where its secrets are, none included.
  const secretPaths = [...new Set([...paths.flatMap(definitionPaths), ...Object.keys(spec.secretConfig ?? {}).map((key) => joinPath("secretConfig", key))])].sort(compareStrings);
  const definition = { ...spec, secretPaths };
  rememberCheckedDefinition(definition, plugin, withheld);
  return { definition, withheld, instance };
}

/** What an instance renders publicly, from the instance with its secret values withheld. */
function renderPublicly(withheld: ResolvedPluginInstance): RenderedInstance {
  return {
    plugin: withheld.plugin,
    ingress: renderIngressControllerPlugin(withheld),
    entry: renderDeclarativePlugin(withheld).entry,
    operatorPlugin: withheld.targetRef === undefined ? undefined : renderOperatorKongPlugin(withheld, pluginMetadataName({ name: withheld.plugin })),
    effectiveConfig: withheld.effectiveConfig,
  };
}

/** What an instance renders publicly (its secret values withheld). */
interface RenderedInstance {
  readonly plugin: string;
  readonly ingress: IngressControllerPlugin;
  readonly entry: Readonly<Record<string, JsonValue>>;
  readonly operatorPlugin: KubernetesObject | undefined;
  readonly effectiveConfig: Record<string, JsonValue> | undefined;
}

/** {@link PluginInstanceArgs} resolved to plain values. */
type PluginInstanceInputs = Omit<PluginInstanceSpec, "name" | "plugin" | "pluginSubsystems" | "configSchema" | "secretPaths"> & { readonly plugin?: PluginSpec; readonly pluginName?: string };

/** The instance as data (the plugin reduced to what an instance needs of it), and the plugin when given. */
function instanceSpecOf(name: string, inputs: PluginInstanceInputs, toError: (message: string) => Error): { spec: PluginInstanceSpec; plugin?: ResolvedPlugin } {
  const { plugin, pluginName, secretConfig, ...rest } = inputs;
  if ((plugin === undefined) === (pluginName === undefined)) throw toError("give exactly one of plugin (a PluginMetadata's definition) or pluginName");
  const resolved = plugin && resolvePlugin(plugin);
  const spec: PluginInstanceSpec = withoutUndefined({
    ...rest,
    name,
    plugin: resolved?.name ?? (pluginName as string),
    pluginSubsystems: resolved && [...resolved.subsystems],
    configSchema: resolved?.configSchema,
    secretConfig: secretConfig ?? {},
  });
  return resolved ? { spec, plugin: resolved } : { spec };
}

/** Where a secret given at an argument's path ends up in the definition: the plugin's parts come from `plugin` or `pluginName`. */
function definitionPaths(path: string): string[] {
  const [first] = pathKeys(path);
  if (first === "plugin") return ["plugin", "pluginSubsystems", "configSchema"];
  if (first === "pluginName") return ["plugin"];
  return [path];
}
