// An instance's config checked by the plugin's own schema.lua, as Kong checks it: the schema
// loaded in the sandbox, its functions called in the plugin's Lua state.
import { readPluginSchema, type PluginSchema } from "../schema/model";
import { jsonValue } from "../schema/record";
import { validatePluginEntity, type PluginEntityInput, type PluginEntityResult } from "../schema/validate-plugin";
import type { SchemaRuntime } from "../schema/validate-field";
import type { ResolvedPlugin } from "./model";
import { pluginLuaState } from "./plugin-facts";

/** Schemas read once per loaded schema.lua table (one per plugin digest in the process). */
const schemas = new WeakMap<object, PluginSchema>();

function schemaOf(table: object): PluginSchema {
  let schema = schemas.get(table);
  if (schema === undefined) {
    schema = readPluginSchema(table);
    schemas.set(table, schema);
  }
  return schema;
}

/**
 * Validates an instance against the plugin's schema.lua; undefined when the sandbox could not
 * load schema.lua (then only a hand-written configSchema can check the config).
 */
export function kongConfigCheck(plugin: ResolvedPlugin, input: PluginEntityInput): PluginEntityResult | undefined {
  if (plugin.facts.schema === undefined) return undefined;
  const runtime: SchemaRuntime = {
    call: (fn, args) => pluginLuaState(plugin).call(fn.$function, args).map(jsonValue),
  };
  return validatePluginEntity(schemaOf(plugin.facts.schema as object), input, runtime);
}
