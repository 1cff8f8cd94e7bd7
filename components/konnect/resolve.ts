// A Konnect plugin's inputs checked and resolved to what is sent and rendered, with no network:
// the plugin by Kong's and Konnect's rules, the target, the instances by the plugin's schema.lua.
import { IssueCollector, joinPath } from "../core/errors";
import type { FieldPaths } from "./api-errors";
import { resolvePluginInstance } from "../plugin/instance";
import type { PluginInstanceSpec, ResolvedPluginInstance } from "../plugin/instance-model";
import type { PluginSpec, ResolvedPlugin } from "../plugin/model";
import { konnectBodyDigest, konnectRequestBody, type KonnectEntityKind, type KonnectRequestBody } from "./requests";
import { resolveKonnectPlugin } from "./rules";
import { resolveKonnectTarget, type KonnectTargetSpec, type ResolvedKonnectTarget } from "./target";

/** A plugin for Konnect, as plain values. */
export interface KonnectPluginSpec extends KonnectTargetSpec {
  /** The plugin (a PluginMetadata's `definition`). */
  readonly plugin: PluginSpec;
  /**
   * The control plane's name, which decK's `_konnect.control_plane_name` selects it by.
   * @default - no decK file is rendered
   */
  readonly controlPlaneName?: string;
  /**
   * Instances of the plugin to configure on the control plane (PluginInstance definitions), rendered as a decK file.
   * @default []
   */
  readonly instances?: readonly PluginInstanceSpec[];
  /**
   * The id or name of a plugin already in Konnect to take over instead of creating one (its
   * content is then replaced by this plugin's).
   * @default - the plugin is created, or taken over when Konnect says its name exists
   */
  readonly existing?: string;
}

/** Everything a Konnect plugin sends and renders, checked. */
export interface ResolvedKonnectPlugin {
  readonly kind: KonnectEntityKind;
  readonly plugin: ResolvedPlugin;
  readonly target: ResolvedKonnectTarget;
  readonly body: KonnectRequestBody;
  readonly digest: string;
  readonly controlPlaneName?: string;
  /** The instances, checked with their secret values withheld (they render as references). */
  readonly instances: readonly ResolvedPluginInstance[];
  readonly existing?: string;
  /** Where each request field comes from in the spec, for Konnect's errors. */
  readonly fieldPaths: FieldPaths;
}

/** Where each request field comes from in the spec (`handler` → `plugin.source.files["handler.lua"]`). */
function konnectFieldPaths(spec: KonnectPluginSpec): FieldPaths {
  const files = joinPath(joinPath("plugin", "source"), spec.plugin?.source?.directory !== undefined ? "directory" : "files");
  return { name: "plugin.name", handler: joinPath(files, "handler.lua"), schema: joinPath(files, "schema.lua"), lua_schema: joinPath(files, "schema.lua") };
}

/**
 * Checks a Konnect plugin, every problem at once, paths in the spec's terms (`controlPlaneId`,
 * `plugin.source.files["handler.lua"]`, `instances[0].config.limit`).
 * @throws KongPluginsValidationError
 */
export function resolveKonnectPluginSpec(spec: KonnectPluginSpec, kind: KonnectEntityKind): ResolvedKonnectPlugin {
  const issues = new IssueCollector();
  const target = resolveKonnectTarget(spec, issues);
  const plugin = issues.attempt("", () => resolveKonnectPlugin(spec.plugin, kind, "plugin"));
  if (spec.controlPlaneName !== undefined && (typeof spec.controlPlaneName !== "string" || spec.controlPlaneName.trim() === "")) {
    issues.add("controlPlaneName", "must be the control plane's name", { received: spec.controlPlaneName });
  }
  if (spec.existing !== undefined && (typeof spec.existing !== "string" || spec.existing === "" || /[/?#]/.test(spec.existing))) {
    issues.add("existing", "must be the id or name of a plugin in Konnect", { received: spec.existing, expected: "a UUID or a plugin name" });
  }
  const instances = (spec.instances ?? []).flatMap((instance, index) => {
    const path = joinPath("instances", index);
    if (plugin !== undefined && instance.plugin !== plugin.name) {
      issues.add(joinPath(path, "plugin"), "configures another plugin", { received: instance.plugin, expected: JSON.stringify(plugin.name) });
      return [];
    }
    if (instance.targetRef !== undefined) {
      issues.add(joinPath(path, "targetRef"), "applies to a Gateway API object, which a Konnect control plane does not have", { expected: "a global instance, or one scoped to a service, route or consumer" });
      return [];
    }
    const resolved = issues.attempt(path, () => resolvePluginInstance(instance, { secretValuesWithheld: true, ...(plugin ? { plugin } : {}) }));
    return resolved ? [resolved] : [];
  });
  if ((spec.instances ?? []).length > 0 && spec.controlPlaneName === undefined) {
    issues.add("controlPlaneName", "is required with instances: decK selects the control plane by name", { expected: "the control plane's name, as Gateway Manager shows it" });
  }
  issues.throwIfAny(`Konnect ${kind} ${JSON.stringify(spec.plugin?.name)}`);
  const resolvedPlugin = plugin as ResolvedPlugin;
  const body = konnectRequestBody(kind, resolvedPlugin);
  return {
    kind,
    plugin: resolvedPlugin,
    target: target as ResolvedKonnectTarget,
    body,
    digest: konnectBodyDigest(body),
    ...(spec.controlPlaneName !== undefined ? { controlPlaneName: spec.controlPlaneName } : {}),
    instances,
    ...(spec.existing !== undefined ? { existing: spec.existing } : {}),
    fieldPaths: konnectFieldPaths(spec),
  };
}
