import { compareStrings } from "../core/digest";
import { formatIssues, joinPath, type ValidationIssue } from "../core/errors";
import { PluginRetirement, type GatewaySpec } from "./model";

/**
 * A custom plugin's stage in Kong's removal order
 * (https://docs.konghq.com/gateway/latest/plugin-development/distribution/#remove-a-plugin),
 * as a stack remembers it between updates: in use, retiring (step 1 done: no instance, still
 * enabled), disabled (step 2 done: out of KONG_PLUGINS, files kept). A plugin out of the
 * plugin list has had its files removed (step 3).
 */
export enum PluginStage {
  InUse = "in-use",
  Retiring = "retiring",
  Disabled = "disabled",
}

/** Each custom plugin's stage, by name, sorted: what a stack records of its gateway. */
export function pluginStages(gateway: { readonly plugins: readonly { readonly name: string }[]; readonly retirement?: GatewaySpec["retirement"] }): Record<string, PluginStage> {
  const stageOf = (name: string): PluginStage => {
    switch (gateway.retirement?.[name]) {
      case undefined:
        return PluginStage.InUse;
      case PluginRetirement.Retiring:
        return PluginStage.Retiring;
      case PluginRetirement.Disabled:
        return PluginStage.Disabled;
      default: {
        const unknown: never = gateway.retirement?.[name] as never;
        throw new Error(`unknown retirement ${String(unknown)}`);
      }
    }
  };
  return Object.fromEntries(gateway.plugins.map((plugin) => plugin.name).sort(compareStrings).map((name) => [name, stageOf(name)]));
}

/** What the next step of a plugin's removal is, from the stage it is at. */
function nextStep(plugin: string, stage: PluginStage): string {
  switch (stage) {
    case PluginStage.InUse:
      return `next step: mark it retiring (retirement: { "${plugin}": "retiring" }) and remove its instances; Kong keeps it enabled and installed`;
    case PluginStage.Retiring:
      return `next step: mark it disabled (retirement: { "${plugin}": "disabled" }): Kong restarts without it in KONG_PLUGINS and its files stay`;
    case PluginStage.Disabled:
      return "next step: drop it from the plugin list, which removes its files";
  }
}

/**
 * The steps an update would skip, comparing each plugin's stage before and after, each with the
 * step that comes next. Kong's order is in use → retiring → disabled → files removed: taking a
 * plugin out of KONG_PLUGINS while it is in use, or removing its files while it is enabled,
 * makes nodes fail to start ("<name> plugin is in use but not enabled", "<name> plugin is
 * enabled but not installed"). Going back (a retiring plugin in use again) and adding a plugin
 * at any stage are allowed: neither can leave Kong without a plugin it needs.
 */
export function skippedRetirementSteps(previous: Readonly<Record<string, PluginStage>>, next: Readonly<Record<string, PluginStage>>): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  for (const plugin of Object.keys(previous).sort(compareStrings)) {
    const before = previous[plugin]!;
    const after = next[plugin];
    const path = after === undefined ? joinPath("plugins", plugin) : joinPath("retirement", plugin);
    if (before === PluginStage.InUse && after === PluginStage.Disabled) {
      issues.push({ path, message: `${plugin} goes from in use to disabled, skipping step 1 of Kong's removal order (a node whose configuration still uses it fails with "${plugin} plugin is in use but not enabled"); ${nextStep(plugin, before)}`, received: after, expected: PluginStage.Retiring });
    } else if (after === undefined && before !== PluginStage.Disabled) {
      issues.push({
        path,
        message: `${plugin} is dropped from the plugin list while ${before}, skipping ${before === PluginStage.InUse ? "steps 1 and 2" : "step 2"} of Kong's removal order (nodes still enabling it fail with "${plugin} plugin is enabled but not installed"); ${nextStep(plugin, before)}`,
        received: "removed",
        expected: before === PluginStage.InUse ? PluginStage.Retiring : PluginStage.Disabled,
      });
    }
  }
  return issues;
}

/**
 * Why an update from `previous` to `next` is refused, every skipped step with the next one, or
 * undefined when it skips none: the one function the lifecycle provider calls, so that Pulumi
 * serializes it with a single module of this package (package.json `./internal/lifecycle`).
 */
export function removalOrderRefusal(previous: Readonly<Record<string, PluginStage>>, next: Readonly<Record<string, PluginStage>>): string | undefined {
  const skipped = skippedRetirementSteps(previous, next);
  return skipped.length > 0 ? formatIssues(skipped, "the plugin removal order") : undefined;
}
