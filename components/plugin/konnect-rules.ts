// Rules that only Konnect applies to a custom plugin it streams to Dedicated Cloud Gateways or
// keeps the schema of for hybrid data planes. Kong Gateway itself loads plugins that break
// them, so they are not plugin errors: they are checked where a plugin goes to Konnect.
// Sources: https://developer.konghq.com/custom-plugins/streaming-plugins/ and
// https://docs.konghq.com/konnect/gateway-manager/dedicated-cloud-gateways/custom-plugins/
import type { TextFile } from "../core/digest";
import type { ValidationIssue } from "../core/errors";
import type { ResolvedPlugin } from "./model";

/** Where a plugin's file is reported, e.g. `plugin.source.files["handler.lua"]`. */
type FilePath = (file: string) => string;

/** A Konnect rule broken, in words that say it is Konnect's. */
function konnectIssue(path: string, message: string, received?: unknown): ValidationIssue {
  return { path, message: `Konnect: ${message}`, ...(received !== undefined ? { received } : {}) };
}

/**
 * The Konnect rules that read only the files and the name schema.lua returns: they hold even
 * for a plugin Kong would refuse to load, so a caller can report them beside Kong's problems.
 */
export function konnectFileRuleIssues(name: string, files: readonly TextFile[], schemaName: string | undefined, filePath: FilePath): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  for (const file of files) {
    if (!file.path.endsWith(".lua")) {
      issues.push(konnectIssue(filePath(file.path), "a custom plugin is written in Lua only, in handler.lua and schema.lua"));
    } else if (file.path !== "handler.lua" && file.path !== "schema.lua") {
      issues.push(konnectIssue(filePath(file.path), "a custom plugin has exactly one handler.lua and one schema.lua, and no other files (no DAOs, APIs, migrations or other modules)"));
    }
  }
  if (schemaName !== undefined && schemaName !== name) {
    issues.push(konnectIssue(filePath("schema.lua"), `the plugin's name must be identical to the name in schema.lua (${JSON.stringify(schemaName)}, the plugin is ${JSON.stringify(name)})`, schemaName));
  }
  return issues;
}

/** Every Konnect rule the plugin breaks, each saying it is Konnect's rule. */
export function konnectRuleIssues(plugin: ResolvedPlugin, filePath: FilePath): ValidationIssue[] {
  const issues = konnectFileRuleIssues(plugin.name, plugin.files, plugin.facts.schemaName, filePath);
  const add = (path: string, message: string, received?: unknown) => issues.push(konnectIssue(path, message, received));

  const initWorker = [plugin.facts.phases.http, plugin.facts.phases.stream].some((phases) => phases.includes("init_worker"));
  if (initWorker) add(filePath("handler.lua"), "a custom plugin cannot run in the init_worker phase");
  for (const timer of plugin.analysis.timers) {
    add(filePath(timer.file), `a custom plugin cannot create timers: ${timer.expression} at line ${timer.line}`, timer.expression);
  }
  for (const use of plugin.analysis.requires) {
    if (use.file === "schema.lua" && (use.module === null || !use.module.startsWith("kong."))) {
      add(filePath("schema.lua"), `schema.lua may require only Kong's own modules: ${use.module ?? "a computed module name"} at line ${use.line}`, use.module);
    }
  }
  return issues;
}
