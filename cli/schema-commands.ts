// `kong-plugins schema` and `kong-plugins types`: a plugin folder's config schema, derived from
// its schema.lua, as JSON Schema (for YAML language servers and other tools) or as a
// TypeScript declaration (for editors).
import { existsSync, statSync } from "node:fs";
import { basename, resolve } from "node:path";
import { stableJson } from "../components/core/canonical";
import type { JsonValue } from "../components/core/canonical";
import { readPluginSource } from "../components/plugin/source";
import { resolvePlugin } from "../components/plugin/validate";
import { readPluginSchema } from "../components/schema/model";
import { configTypeScript } from "../components/schema/typescript";
import { UsageError } from "./usage-error";

/** Which plugin folder, and its name when the folder does not say it. */
export interface PluginFolderOptions {
  readonly directory: string;
  readonly name?: string;
}

function loadedPlugin(options: PluginFolderOptions) {
  const directory = resolve(options.directory);
  if (!existsSync(directory) || !statSync(directory).isDirectory()) throw new UsageError(`${options.directory} is not a folder`);
  const { analysis } = readPluginSource({ directory }, options.name !== undefined ? { name: options.name } : {});
  const plugin = resolvePlugin({ name: options.name ?? analysis.schemaName ?? basename(directory), source: { directory } });
  if (plugin.facts.schema === undefined) {
    throw new UsageError(`schema.lua of ${plugin.name} could not be loaded (${plugin.facts.fallbackReason ?? "no schema"}), so nothing can be derived from it`);
  }
  return plugin;
}

/** The JSON Schema of the plugin's config, as stable JSON text. */
export function pluginConfigSchemaText(options: PluginFolderOptions): string {
  return stableJson(loadedPlugin(options).configSchema as JsonValue);
}

/** The TypeScript declaration of the plugin's config. */
export function pluginConfigTypes(options: PluginFolderOptions): string {
  return configTypeScript(readPluginSchema(loadedPlugin(options).facts.schema));
}
