// Loads a plugin's files in the sandbox the way Kong's init phase does (kong/db/dao/plugins.lua
// load_plugin, kong/db/schema/plugin_loader.lua, kong/db/migrations/state.lua) and reports the
// raw values it found. Judging them is plugin/loaded-facts.ts's work.
import type { TextFile } from "../../core/digest";
import { asList, asRecord } from "../../core/objects";
import { LuaSandbox, LuaSandboxError, type LuaRequired } from "../runtime";
import type { LuaFailure } from "../protocol";
import { pluginModuleTable, type KongLoadOptions } from "./environment";
import { kongGlobals } from "./runtime-shims";

/** The subsystems Kong runs plugins in, each its own Lua VM that loads handler.lua anew. */
export const SUBSYSTEMS = ["http", "stream"] as const;
export type Subsystem = (typeof SUBSYSTEMS)[number];

/** Handler methods Kong may call, in any subsystem (kong/runloop/plugins_iterator.lua, kong/init.lua). */
const HANDLER_METHODS = [
  "init_worker", "configure", "certificate", "rewrite", "access", "preread", "ws_handshake", "ws_client_frame",
  "ws_upstream_frame", "response", "header_filter", "body_filter", "ws_close", "log",
];

/** What handler.lua returned in one subsystem. */
export interface LoadedHandler {
  /** Lua type of the module's value (Kong checks only tables). */
  readonly type: string;
  readonly priority?: unknown;
  readonly priorityType?: string;
  /** `tostring(PRIORITY)`, as Kong's message quotes it. */
  readonly priorityText?: string;
  readonly version?: unknown;
  readonly versionType?: string;
  readonly versionText?: string;
  /** Each handler method present (truthy, through metatables too), with its Lua type. */
  readonly methods: Readonly<Record<string, string>>;
}

/** A value or the failure that stopped its load. */
export type Loaded<T> = { readonly value: T } | { readonly failure: LuaFailure };

export interface PluginLoad {
  readonly handler: Readonly<Record<Subsystem, Loaded<LoadedHandler>>>;
  /** schema.lua's returned value as JSON (functions as `{ $function: id }`), when it has one. */
  readonly schema?: Loaded<unknown>;
  /** daos.lua: whether it is a strict array (Kong requires one) and its entities' names. */
  readonly daos?: Loaded<{ readonly strictArray: boolean; readonly names: readonly string[] }>;
  /** migrations/init.lua's index, and the names in it whose module is missing. */
  readonly migrations?: Loaded<{ readonly names: readonly string[]; readonly missing: readonly string[] }>;
  /** Every require the loads made, in order, http first. */
  readonly required: readonly LuaRequired[];
  /**
   * The http Lua state, kept open: schema.lua's functions (custom validators, entity checks,
   * shorthand translations) are called in it by the ids the schema carries. Close it when the
   * load is dropped.
   */
  readonly state: LuaSandbox;
}

const HANDLER_FACTS = String.raw`
local handler = require(MODULE)
local facts = { type = type(handler), methods = {} }
if type(handler) == "table" then
  facts.priority, facts.priorityType, facts.priorityText = handler.PRIORITY, type(handler.PRIORITY), tostring(handler.PRIORITY)
  facts.version, facts.versionType, facts.versionText = handler.VERSION, type(handler.VERSION), tostring(handler.VERSION)
  for _, method in ipairs(METHODS) do
    local value = handler[method]
    if value then facts.methods[method] = type(value) end
  end
end
return facts
`;

const DAOS_FACTS = String.raw`
local daos = require(MODULE)
local count, names = 0, {}
if type(daos) == "table" then for _ in pairs(daos) do count = count + 1 end end
local strict = type(daos) == "table" and count == #daos
if type(daos) == "table" then
  for key, entity in pairs(daos) do
    names[#names + 1] = type(entity) == "table" and type(entity.name) == "string" and entity.name or tostring(key)
  end
end
table.sort(names)
return { strictArray = strict, names = names }
`;

const MIGRATIONS_FACTS = String.raw`
local index = require(MODULE)
local names, missing = {}, {}
if type(index) == "table" then
  for _, name in ipairs(index) do
    names[#names + 1] = name
    local ok, message = pcall(require, MODULE .. "." .. tostring(name))
    if not ok then
      if string.find(tostring(message), "not found", 1, true) then missing[#missing + 1] = name else error(message, 0) end
    end
  end
end
return { names = names, missing = missing }
`;

/** Runs one loader chunk with its module name bound; a failure is returned, not thrown. */
function loadInto<T>(sandbox: LuaSandbox, chunk: string, module: string, lists: readonly string[] = []): Loaded<T> {
  const source = `local MODULE, METHODS = ${JSON.stringify(module)}, { ${HANDLER_METHODS.map((name) => JSON.stringify(name)).join(", ")} }\n${chunk}`;
  try {
    const value = sandbox.run(source, "kong-loader")[0];
    // An empty Lua table exports as `{}`: the facts that are lists become arrays again.
    const record = asRecord(value);
    return { value: (record ? { ...record, ...Object.fromEntries(lists.map((key) => [key, asList(record[key]) ?? []])) } : value) as T };
  } catch (error) {
    if (error instanceof LuaSandboxError) return { failure: error.failure };
    throw error;
  }
}

/**
 * Loads handler.lua once per subsystem (http, stream: each with its own `ngx.config.subsystem`,
 * as Kong's two Lua VMs do), and schema.lua, daos.lua and the migrations index in the http one.
 */
export function loadPlugin(pluginName: string, files: readonly TextFile[], options: KongLoadOptions = {}): PluginLoad {
  const table = pluginModuleTable(pluginName, files, options);
  const paths = new Set(files.map((file) => file.path));
  const prefix = `kong.plugins.${pluginName}.`;
  const handler = {} as Record<Subsystem, Loaded<LoadedHandler>>;
  const required: LuaRequired[] = [];
  let schema: Loaded<unknown> | undefined;
  let daos: PluginLoad["daos"];
  let migrations: PluginLoad["migrations"];

  let state: LuaSandbox | undefined;
  for (const subsystem of SUBSYSTEMS) {
    const sandbox = LuaSandbox.open(table);
    let keep = false;
    try {
      sandbox.run(kongGlobals(subsystem), "kong-globals");
      handler[subsystem] = loadInto(sandbox, HANDLER_FACTS, `${prefix}handler`);
      if (subsystem === "http") {
        if (paths.has("schema.lua")) schema = loadInto(sandbox, "local schema = require(MODULE)\nreturn schema", `${prefix}schema`);
        if (paths.has("daos.lua")) daos = loadInto(sandbox, DAOS_FACTS, `${prefix}daos`, ["names"]);
        if (paths.has("migrations/init.lua") || paths.has("migrations.lua")) migrations = loadInto(sandbox, MIGRATIONS_FACTS, `${prefix}migrations`, ["names", "missing"]);
        state = sandbox;
        keep = true;
      }
      required.push(...sandbox.required());
    } finally {
      if (!keep) sandbox.close();
    }
  }
  return {
    handler,
    ...(schema !== undefined ? { schema } : {}),
    ...(daos !== undefined ? { daos } : {}),
    ...(migrations !== undefined ? { migrations } : {}),
    required,
    state: state as LuaSandbox,
  };
}
