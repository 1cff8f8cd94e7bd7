import { IssueCollector, joinPath } from "../core/errors";
import { withoutUndefined } from "../core/objects";
import { checkedDefinition, resolveTypedPluginInstance, withheldInstanceSpec } from "../plugin/instance";
import type { PluginInstanceSpec, ResolvedPluginInstance } from "../plugin/instance-model";
import type { PluginSpec, ResolvedPlugin } from "../plugin/model";
import { resolvePlugins } from "../plugin/validate";
import { kongEnvIssues } from "./environment";
import { PluginDelivery, type GatewayImageFacts, type GatewaySpec } from "./model";
import { arrayOf, JSON_OBJECT, objectOf, withShape, type Shape } from "../core/shape";
import { PLUGIN_INSTANCE_SPEC, PLUGIN_SPEC, RESOLVED_PLUGIN } from "../plugin/shapes";
import { GATEWAY_ENTITIES } from "./shapes";

/** What a stack receives for its gateway, as data (other components' `definition`s). */
export interface StackGatewayInputs extends Omit<GatewaySpec, "plugins" | "delivery" | "image" | "instances"> {
  /** Custom plugins to mount. */
  readonly plugins?: readonly PluginSpec[];
  /** A custom image with its plugins inside, already resolved by the caller. */
  readonly image?: { readonly facts: GatewayImageFacts; readonly plugins: readonly ResolvedPlugin[] };
  /** Plugin instances. */
  readonly instances?: readonly PluginInstanceSpec[];
}

/** Options of {@link resolveStackGateway}. */
export interface StackGatewayOptions {
  /** Check and keep the instances with their secret values replaced by placeholders. */
  readonly secretValuesWithheld: boolean;
  /**
   * Instances checked by an earlier call with the same inputs (a stack renders them with their
   * secret values withheld, then with them): an instance without secret config is checked once.
   * @default - every instance is checked
   */
  readonly checked?: CheckedInstances;
}

/** Instances already checked, by their spec (see StackGatewayOptions.checked). */
export type CheckedInstances = WeakMap<PluginInstanceSpec, { readonly plugin: ResolvedPlugin | undefined; readonly instance: ResolvedPluginInstance }>;

/**
 * The gateway model of a stack's inputs: every plugin and instance and kongEnv checked, every
 * problem of every one reported at once under `plugins[i]`, `instances[i]` and `kongEnv`.
 * @throws KongPluginsValidationError
 */
/** The types of {@link StackGatewayInputs} (see ../core/shape.ts). */
const STACK_GATEWAY_INPUTS: Shape = objectOf({
  ...GATEWAY_ENTITIES,
  plugins: arrayOf(PLUGIN_SPEC),
  image: objectOf({ facts: JSON_OBJECT, plugins: arrayOf(RESOLVED_PLUGIN) }, ["facts", "plugins"]),
  instances: arrayOf(PLUGIN_INSTANCE_SPEC),
});

export function resolveStackGateway(inputs: StackGatewayInputs, options: StackGatewayOptions): GatewaySpec {
  return withShape(inputs, STACK_GATEWAY_INPUTS, "the gateway", () => resolveStackGatewayTyped(inputs, options));
}

function resolveStackGatewayTyped(inputs: StackGatewayInputs, options: StackGatewayOptions): GatewaySpec {
  const issues = new IssueCollector();
  const { plugins = [], image, instances = [], ...rest } = inputs;
  if (image && plugins.length > 0) {
    issues.add("plugins", "cannot be combined with gatewayImage: the image already holds its plugins", { received: `${plugins.length} plugins` });
  }
  // Checked here too, so that a stack names the problem by its own argument (`kongEnv`).
  issues.addAll(kongEnvIssues(rest.kongEnv));
  const resolvedPlugins = resolvePlugins(plugins, "plugins", issues);
  const byName = new Map((image ? image.plugins : resolvedPlugins).map((plugin) => [plugin.name, plugin]));
  const resolvedInstances = instances.map((spec, index) =>
    issues.attempt(joinPath("instances", index), () => {
      const plugin = byName.get(spec.plugin);
      const withPlugin = plugin?.facts !== undefined ? { plugin } : {};
      // Without secret config, the instance is the same with its secret values withheld or not.
      const reusable = options.checked !== undefined && Object.keys(spec.secretConfig ?? {}).length === 0;
      const earlier = reusable ? options.checked?.get(spec) : undefined;
      if (earlier !== undefined && earlier.plugin === withPlugin.plugin) return earlier.instance;
      const checkedByComponent = checkedDefinition(spec, withPlugin.plugin);
      if (checkedByComponent !== undefined) return checkedByComponent;
      // Types checked with the stack's inputs (STACK_GATEWAY_INPUTS).
      const instance = options.secretValuesWithheld ? resolveTypedPluginInstance(withheldInstanceSpec(spec), { secretValuesWithheld: true, ...withPlugin }) : resolveTypedPluginInstance(spec, withPlugin);
      if (reusable) options.checked?.set(spec, { plugin: withPlugin.plugin, instance });
      return instance;
    }),
  );
  issues.throwIfAny("the stack's gateway");
  return produced({
    ...rest,
    plugins: image ? image.plugins : resolvedPlugins,
    delivery: image ? PluginDelivery.Image : PluginDelivery.Mount,
    image: image?.facts,
    instances: resolvedInstances as ResolvedPluginInstance[],
  });
}

/**
 * Gateways resolveStackGateway produced: well-formed by construction (their types are the
 * resolver's own), so a renderer given one does not walk it again to check them. A renderer
 * given any other gateway checks it.
 */
const producedGateways = new WeakSet<GatewaySpec>();

function produced(fields: GatewaySpec): GatewaySpec {
  const gateway = withoutUndefined(fields);
  producedGateways.add(gateway);
  return gateway;
}

/** Whether resolveStackGateway produced this very gateway (see producedGateways). */
export function isProducedGateway(gateway: unknown): boolean {
  return typeof gateway === "object" && gateway !== null && producedGateways.has(gateway as GatewaySpec);
}
