import * as pulumi from "@pulumi/pulumi";
import { pluginStages, removalOrderRefusal, type PluginStage } from "./lifecycle";
import type { PluginRetirement } from "./model";

/** State of the lifecycle resource: each custom plugin's stage, by name. */
export interface PluginLifecycleState {
  readonly stages: Readonly<Record<string, PluginStage>>;
}

const sameStages = (a: Readonly<Record<string, PluginStage>>, b: Readonly<Record<string, PluginStage>>) =>
  JSON.stringify(Object.entries(a).sort()) === JSON.stringify(Object.entries(b).sort());

/**
 * The dynamic provider that remembers each plugin's stage in Kong's removal order and refuses, in
 * its diff (which sees the stages of the last update), an update that skips a step (lifecycle.ts).
 * A stack's objects depend on it, so a refused update changes nothing. It keeps no other state
 * and touches nothing outside Pulumi's state: delete forgets.
 */
export const pluginLifecycleProvider: pulumi.dynamic.ResourceProvider = {
  async diff(_id: string, olds: PluginLifecycleState, news: PluginLifecycleState): Promise<pulumi.dynamic.DiffResult> {
    const refusal = removalOrderRefusal(olds.stages ?? {}, news.stages);
    // A plain Error: Pulumi serializes this provider, and its message is what the engine shows.
    if (refusal !== undefined) throw new Error(refusal);
    return { changes: !sameStages(olds.stages ?? {}, news.stages) };
  },
  async create(inputs: PluginLifecycleState): Promise<pulumi.dynamic.CreateResult> {
    return { id: "plugin-lifecycle", outs: { stages: inputs.stages } satisfies PluginLifecycleState };
  },
  async update(_id: string, _olds: PluginLifecycleState, news: PluginLifecycleState): Promise<pulumi.dynamic.UpdateResult> {
    return { outs: { stages: news.stages } satisfies PluginLifecycleState };
  },
};

/** A stack's record of its plugins' removal stages, kept by {@link pluginLifecycleProvider}. */
export class PluginLifecycle extends pulumi.dynamic.Resource {
  /** Each custom plugin's stage, by name. */
  declare readonly stages: pulumi.Output<Record<string, PluginStage>>;

  constructor(name: string, args: { stages: pulumi.Input<Record<string, PluginStage>> }, opts?: pulumi.CustomResourceOptions) {
    super(pluginLifecycleProvider, name, args, opts);
  }
}

/**
 * The lifecycle record of a stack (child `<stack>-plugin-lifecycle`), from its plugin list and
 * retirement: what the stack's objects depend on.
 */
export function registerPluginLifecycle(
  parent: pulumi.ComponentResource,
  stack: string,
  plugins: pulumi.Input<pulumi.Input<{ readonly name: pulumi.Input<string> }>[]> | undefined,
  retirement: pulumi.Input<Record<string, PluginRetirement>> | undefined,
): PluginLifecycle {
  // Names and stages only: a plugin's files, or a secret anywhere in its definition, are not recorded.
  const stages = pulumi.unsecret(
    pulumi.all([pulumi.output(plugins ?? []), pulumi.output(retirement)]).apply(([list, stagesByName]) =>
      pluginStages({ plugins: (list as { name: string }[]).map((plugin) => ({ name: plugin.name })), ...(stagesByName ? { retirement: stagesByName } : {}) }),
    ),
  );
  return new PluginLifecycle(`${stack}-plugin-lifecycle`, { stages }, { parent });
}
