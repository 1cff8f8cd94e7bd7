import type { TextFile } from "../core/digest";
import type { PluginSourceInput } from "./source";
import type { RockspecOptions } from "./rockspec-options";
import type { PluginFacts } from "./plugin-facts";
import type { HandlerPhase, LuaAnalysis, PluginType } from "./types";

/** A JSON Schema object (any dialect Ajv knows; draft-07 when `$schema` names none). */
// `any`, not `unknown`: other Pulumi languages see it as a JSON object (the SDK's schema has no `unknown`).
export type JsonSchema = Record<string, any>;

/**
 * One custom plugin as plain values: what PluginMetadata takes and outputs (`definition`, its
 * files then inline), and what images and stacks take for each plugin.
 */
export interface PluginSpec {
  /** The plugin's name: its folder under `kong/plugins/` and its entry in `KONG_PLUGINS`. */
  readonly name: string;
  /**
   * The plugin's version, numbers separated by dots (`1.2.3`, `0.1`): its rockspec's and
   * archive's version.
   * @default - handler.lua's VERSION as Kong reads it
   */
  readonly version?: string;
  /** Where the plugin's files come from: a folder, or the files inline. */
  readonly source: PluginSourceInput;
  /**
   * A folder holding Kong's own Lua tree (the folder that contains `kong/`, as copied from
   * `/usr/local/share/lua/5.1` of the gateway image). The plugin's files are then loaded
   * against Kong's real `kong.*` modules, for exact results.
   * @default - this project's versions of the Kong modules plugin files use at load time
   */
  readonly kongLuaTree?: string;
  /**
   * JSON Schema of the plugin's `config`, used to validate every instance.
   * @default - instances' config is not checked against a schema
   */
  readonly configSchema?: JsonSchema;
  /**
   * LuaRocks metadata for the rendered rockspec.
   * @default - summary "Kong Gateway plugin <name>", license "UNLICENSED", no dependencies
   */
  readonly rockspec?: RockspecOptions;
}

/** A plugin that passed every check, with its files read and its defaults filled in. */
export interface ResolvedPlugin {
  readonly name: string;
  readonly version: string;
  /**
   * The subsystem the operator's KongPluginMetadata names: `http` unless the plugin serves
   * the stream subsystem only.
   */
  readonly type: PluginType;
  /** The subsystems the plugin serves (Kong calls its methods there and its protocols allow them). */
  readonly subsystems: readonly PluginType[];
  /** Files relative to `kong/plugins/<name>/`, sorted by path. */
  readonly files: readonly TextFile[];
  /** `sha256:` digest of the files' paths and contents. */
  readonly digest: string;
  /** Handler phases Kong calls in any subsystem, in Kong's execution order. */
  readonly phases: readonly HandlerPhase[];
  /** The handler's PRIORITY. */
  readonly priority?: number;
  /**
   * Whether the plugin defines DAO entities (daos.lua). DB-less Kong loads them too: their
   * entities are then declared in kong.yaml.
   */
  readonly requiresDatabase: boolean;
  /** The config JSON Schema, when one was given. */
  readonly configSchema?: JsonSchema;
  /** Rockspec metadata with its defaults applied. */
  readonly rockspec: Required<Omit<RockspecOptions, "detailed" | "homepage" | "maintainer">> &
    Pick<RockspecOptions, "detailed" | "homepage" | "maintainer">;
  /** The Kong Lua tree the plugin was loaded against, when one was given. */
  readonly kongLuaTree?: string;
  /** What Kong's loader finds in the plugin (phases per subsystem, schema, DAO entities, migrations). */
  readonly facts: PluginFacts;
  /** The static analysis (locations of requires and timers; the fallback for facts). */
  readonly analysis: LuaAnalysis;
}
