import type { TextFile } from "../core/digest";
import type { PluginSourceInput } from "./source";
import type { RockspecOptions } from "./rockspec-options";
import type { HandlerPhase, LuaAnalysis, PluginType } from "./types";

/** A JSON Schema object (any dialect Ajv knows; draft-07 when `$schema` names none). */
export type JsonSchema = Readonly<Record<string, unknown>>;

/** Everything that describes one custom plugin, as plain values. */
export interface PluginSpec {
  /** The plugin's name: its folder under `kong/plugins/` and its entry in `KONG_PLUGINS`. */
  readonly name: string;
  /** The plugin's version, strict semver (`1.2.3`). */
  readonly version: string;
  /** The subsystem the plugin runs in. Defaults to `http`. */
  readonly type?: PluginType;
  /** Where the plugin's files come from. */
  readonly source: PluginSourceInput;
  /** JSON Schema of the plugin's `config`, used to validate every instance. */
  readonly configSchema?: JsonSchema;
  /** LuaRocks metadata for the rendered rockspec. */
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
