import { joinPath, type ValidationIssue } from "../core/errors";
import { secretReference } from "../plugin/resources";
import type { GatewaySpec } from "./model";

/**
 * Secret config reaches Kong from a kong.yaml as `{vault://env/<name>}`, and Kong resolves
 * such references only in fields its schema marks `referenceable = true`; in any other field
 * the plugin would get the reference text itself (as its password, say). Reports the secret
 * keys of custom plugins that schema.lua does not mark. Bundled plugins' schemas are Kong's
 * own and are not known here.
 */
export function vaultReferenceIssues(gateway: Pick<GatewaySpec, "plugins" | "instances">): ValidationIssue[] {
  const plugins = new Map(gateway.plugins.map((plugin) => [plugin.name, plugin]));
  return gateway.instances.flatMap((instance, index) => {
    const plugin = plugins.get(instance.plugin);
    if (!plugin) return [];
    const referenceable = new Set(plugin.facts.referenceableFields);
    return Object.keys(instance.secretConfig)
      .filter((key) => !referenceable.has(key))
      .map((key) => ({
        path: joinPath(joinPath(joinPath("instances", index), "secretConfig"), key),
        message: `reaches Kong as ${secretReference(instance.name, key)}, but ${plugin.name}'s schema.lua does not mark ${key} referenceable, so Kong would pass the reference text itself to the plugin`,
        expected: `referenceable = true on config.${key} in schema.lua, or the value in config`,
      }));
  });
}
