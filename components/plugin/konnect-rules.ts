// Rules that only Konnect applies to a custom plugin it streams to Dedicated Cloud Gateways or
// keeps the schema of for hybrid data planes. Kong Gateway itself loads plugins that break
// them, so they are not plugin errors: they are checked where a plugin goes to Konnect.
// Sources: https://developer.konghq.com/custom-plugins/streaming-plugins/ and
// https://docs.konghq.com/konnect/gateway-manager/dedicated-cloud-gateways/custom-plugins/
import type { ValidationIssue } from "../core/errors";
import type { ResolvedPlugin } from "./model";

/** Where a plugin's file is reported, e.g. `plugin.source.files["handler.lua"]`. */
type FilePath = (file: string) => string;

/** Every Konnect rule the plugin breaks, each saying it is Konnect's rule. */
export function konnectRuleIssues(plugin: ResolvedPlugin, filePath: FilePath): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  const add = (path: string, message: string, received?: unknown) => issues.push({ path, message: `Konnect: ${message}`, ...(received !== undefined ? { received } : {}) });

  for (const file of plugin.files) {
    if (file.path !== "handler.lua" && file.path !== "schema.lua") {
      add(filePath(file.path), "a custom plugin has exactly one handler.lua and one schema.lua, and no other files (no DAOs, APIs, migrations or other modules)");
    }
  }
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
