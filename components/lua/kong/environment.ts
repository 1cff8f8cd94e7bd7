// How `require` answers inside a plugin's sandbox, as Kong's package path would: the plugin's
// own modules under `kong.plugins.<name>.`, Kong's modules (this project's shims, or the files
// of a Kong Lua tree when one is given), `ffi` fenced, anything else inert and recorded.
import { existsSync } from "node:fs";
import { join } from "node:path";
import type { TextFile } from "../../core/digest";
import type { LuaModule, LuaModuleTable } from "../protocol";
import { runtimeShims } from "./runtime-shims";
import { SCHEMA_SHIMS } from "./schema-shims";

/** Options for loading a plugin's Lua. */
export interface KongLoadOptions {
  /**
   * A folder holding Kong's own Lua tree (the folder that contains `kong/`, as copied from
   * `/usr/local/share/lua/5.1` of the gateway image): requires of `kong.*` modules then load
   * Kong's real files instead of this project's shims.
   * @default - this project's shims of the Kong modules plugin files use at load time
   */
  readonly kongLuaTree?: string;
  /** The Kong version `kong.meta` reports. @default "3.10.0" */
  readonly kongVersion?: string;
}

/** The Kong version `kong.meta` reports by default: that of the default gateway image. */
export const DEFAULT_KONG_VERSION = "3.10.0";

/** The module a plugin file at `path` is (`migrations/init.lua` is also `…migrations`), or none for non-Lua files. */
export function pluginModuleNames(pluginName: string, path: string): string[] {
  if (!path.endsWith(".lua")) return [];
  const dotted = `kong.plugins.${pluginName}.${path.slice(0, -".lua".length).replace(/\//g, ".")}`;
  return dotted.endsWith(".init") ? [dotted, dotted.slice(0, -".init".length)] : [dotted];
}

/** The module table for a plugin's files. */
export function pluginModuleTable(pluginName: string, files: readonly TextFile[], options: KongLoadOptions = {}): LuaModuleTable {
  const modules: Record<string, LuaModule> = {};
  const tree = options.kongLuaTree;
  const shims = { ...SCHEMA_SHIMS, ...runtimeShims(options.kongVersion ?? DEFAULT_KONG_VERSION) };
  for (const [name, source] of Object.entries(shims)) {
    if (tree !== undefined && existsSync(join(tree, `${name.replace(/\./g, "/")}.lua`))) continue;
    modules[name] = { kind: "source", chunkname: `kong-shim/${name.replace(/\./g, "/")}.lua`, source };
  }
  // A plugin's modules all sit under its own kong.plugins.<name>. prefix, which no Kong module uses.
  for (const file of files) {
    for (const name of pluginModuleNames(pluginName, file.path)) {
      if (!(name in modules)) modules[name] = { kind: "source", chunkname: file.path, source: file.content };
    }
  }
  modules["ffi"] = { kind: "fenced" };
  return {
    modules,
    missingUnder: [`kong.plugins.${pluginName}.`],
    ...(tree !== undefined ? { tree, treePrefixes: ["kong"] } : {}),
  };
}
