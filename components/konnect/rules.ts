// The plugin as Konnect takes it: Kong's own checks (resolvePlugin), then Konnect's rules for
// the entity kind, all reported at once and before any request.
import { IssueCollector, joinPath, KongPluginsValidationError, type ValidationIssue } from "../core/errors";
import { konnectFileRuleIssues, konnectRuleIssues } from "../plugin/konnect-rules";
import type { PluginSpec, ResolvedPlugin } from "../plugin/model";
import { readPluginSource } from "../plugin/source";
import { resolvePlugin } from "../plugin/validate";
import { KonnectEntityKind } from "./requests";

/**
 * Files a hybrid control plane refuses: it keeps only the schema and cannot run Admin API
 * extensions, DAOs or migrations (https://developer.konghq.com/custom-plugins/konnect-hybrid-mode,
 * "File structure requirements").
 */
const HYBRID_REFUSED = /^(api\.lua|daos\.lua|migrations(\/.*)?|migrations\.lua)$/;

/**
 * The plugin checked by Kong's rules and Konnect's for `kind`, paths under `path`
 * (`plugin.source.files["handler.lua"]`). Konnect's file and name rules are reported even when
 * Kong's checks fail, so one run lists everything.
 * @throws KongPluginsValidationError
 */
export function resolveKonnectPlugin(spec: PluginSpec, kind: KonnectEntityKind, path: string): ResolvedPlugin {
  const issues = new IssueCollector();
  const filesPath = joinPath(joinPath(path, "source"), spec.source?.directory !== undefined ? "directory" : "files");
  const filePath = (file: string) => joinPath(filesPath, file);
  const plugin = issues.attempt(path, () => resolvePlugin(spec));
  if (plugin !== undefined) {
    issues.addAll(kind === KonnectEntityKind.CustomPlugin ? konnectRuleIssues(plugin, filePath) : hybridRuleIssues(plugin, filePath));
  } else {
    const found = sourceRuleIssues(spec, filePath);
    issues.addAll(kind === KonnectEntityKind.CustomPlugin ? found : found.filter((issue) => issue.path === filePath("schema.lua")));
  }
  issues.throwIfAny(`Konnect ${kind} ${JSON.stringify(spec.name)}`);
  return plugin as ResolvedPlugin;
}

/** Konnect's rules for a schema on a hybrid control plane. */
function hybridRuleIssues(plugin: ResolvedPlugin, filePath: (file: string) => string): ValidationIssue[] {
  const all = konnectRuleIssues(plugin, filePath);
  // The name and schema.lua's requires hold for both kinds; the rest of streaming's rules is
  // about running the plugin on Konnect's data planes, which hybrid mode leaves to the user's.
  const schemaRules = all.filter((issue) => issue.path === filePath("schema.lua"));
  const refusedFiles = plugin.files
    .filter((file) => HYBRID_REFUSED.test(file.path))
    .map((file) => ({ path: filePath(file.path), message: "Konnect: a hybrid control plane supports no Admin API extensions (api.lua), custom entities (daos.lua) or migrations" }));
  return [...refusedFiles, ...schemaRules];
}

/** Konnect's file and name rules from the source alone, when Kong's checks refused the plugin. */
function sourceRuleIssues(spec: PluginSpec, filePath: (file: string) => string): ValidationIssue[] {
  try {
    const source = readPluginSource(spec.source, { name: spec.name, path: "source" });
    return konnectFileRuleIssues(spec.name, source.files, source.analysis.schemaName, filePath);
  } catch (error) {
    if (error instanceof KongPluginsValidationError) return [];
    throw error;
  }
}
