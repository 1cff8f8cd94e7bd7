import type { TextFile } from "../core/digest";
import type { PluginSourceInput } from "./source";
import type { RockspecOptions } from "./rockspec-options";
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
  /** The plugin's version, strict semver (`1.2.3`); handler.lua's VERSION must match it. */
  readonly version: string;
  /**
   * The subsystem the plugin runs in.
   * @default PluginType.Http
   */
  readonly type?: PluginType;
  /** Where the plugin's files come from: a folder, or the files inline. */
  readonly source: PluginSourceInput;
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
  readonly type: PluginType;
  /** Files relative to `kong/plugins/<name>/`, sorted by path. */
  readonly files: readonly TextFile[];
  /** `sha256:` digest of the files' paths and contents. */
  readonly digest: string;
  /** Handler phases, in Kong's execution order. */
  readonly phases: readonly HandlerPhase[];
  /** The handler's PRIORITY. */
  readonly priority?: number;
  /** Whether the plugin has DAOs or migrations and so needs PostgreSQL to keep its data. */
  readonly requiresDatabase: boolean;
  /** The config JSON Schema, when one was given. */
  readonly configSchema?: JsonSchema;
  /** Rockspec metadata with its defaults applied. */
  readonly rockspec: Required<Omit<RockspecOptions, "detailed" | "homepage" | "maintainer">> &
    Pick<RockspecOptions, "detailed" | "homepage" | "maintainer">;
  /** The full static analysis. */
  readonly analysis: LuaAnalysis;
}
