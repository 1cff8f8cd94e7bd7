// What Kong's loader finds in a plugin, read by loading its files in the Lua sandbox as Kong's
// init phase does (lua/kong/load-plugin.ts), with the static analysis as the fallback when the
// sandbox cannot load a file (a fenced API, a module it lacks). Every problem Kong would stop
// on is reported in Kong's words.
import type { TextFile } from "../core/digest";
import type { IssueCollector } from "../core/errors";
import { loadPlugin, SUBSYSTEMS, type Loaded, type LoadedHandler, type PluginLoad, type Subsystem } from "../lua/kong/load-plugin";
import type { KongLoadOptions } from "../lua/kong/environment";
import { LuaFailureKind, type LuaFailure } from "../lua/protocol";
import type { LuaSandbox } from "../lua/runtime";
import { asList, asRecord } from "../core/objects";
import { checkRequires, type FilePath } from "./require-rules";
import { kongHandlerVersion, priorityProblem, responseClashProblem, versionProblem } from "./handler-rules";
import { HANDLER_PHASES, PluginType, type HandlerPhase, type LuaAnalysis } from "./types";

/** Handler methods Kong calls in each subsystem (kong/runloop/plugins_iterator.lua, kong/init.lua; `ws_*` in Kong Gateway Enterprise). */
export const SUBSYSTEM_PHASES: Readonly<Record<Subsystem, readonly HandlerPhase[]>> = {
  http: ["init_worker", "configure", "certificate", "rewrite", "access", "ws_handshake", "ws_client_frame", "ws_upstream_frame", "response", "header_filter", "body_filter", "ws_close", "log"],
  stream: ["init_worker", "configure", "certificate", "preread", "log"],
};

/** Protocols of each subsystem (kong/constants.lua PROTOCOLS_WITH_SUBSYSTEM; `ws`/`wss` in Enterprise). */
const PROTOCOL_SUBSYSTEM: Readonly<Record<string, Subsystem>> = {
  http: "http", https: "http", grpc: "http", grpcs: "http", ws: "http", wss: "http",
  tcp: "stream", tls: "stream", udp: "stream", tls_passthrough: "stream",
};

/** How a plugin's facts were read. */
export enum FactsSource {
  /** handler.lua and schema.lua were loaded in the sandbox, as Kong loads them. */
  LuaRuntime = "lua-runtime",
  /** The sandbox could not load them; the facts come from reading the source. */
  StaticAnalysis = "static-analysis",
}

/** What Kong's loader finds in a plugin. */
export interface PluginFacts {
  /** How the handler facts were read. */
  readonly readBy: FactsSource;
  /** Why the sandbox could not load the plugin, when the static analysis was used. */
  readonly fallbackReason?: string;
  /** The phases Kong calls in each subsystem, in Kong's order. */
  readonly phases: Readonly<Record<Subsystem, readonly HandlerPhase[]>>;
  /** The subsystems the plugin serves: it has phases there and its schema's protocols allow one of them. */
  readonly subsystems: readonly PluginType[];
  readonly priority?: number;
  /** handler.lua's VERSION as Kong keeps it (`"0.1"`, `"1.2.3"`). */
  readonly version?: string;
  /** The name schema.lua returns. */
  readonly schemaName?: string;
  /** schema.lua's table as JSON (functions as `{ $function: id }`), when the sandbox loaded it. */
  readonly schema?: unknown;
  /** Top-level config fields marked `referenceable = true` (the only ones Kong resolves vault references in). */
  readonly referenceableFields: readonly string[];
  /** Names of the DAO entities daos.lua defines. */
  readonly daoEntities: readonly string[];
  /** The migrations migrations/init.lua lists. */
  readonly migrations: readonly string[];
}

const loads = new Map<string, PluginLoad>();
const LOAD_CACHE_SIZE = 256;

/** Loads a plugin once per name, files digest and options in this process. */
function cachedLoad(name: string, files: readonly TextFile[], digest: string, options: KongLoadOptions): PluginLoad {
  const key = JSON.stringify([name, digest, options.kongLuaTree ?? null, options.kongVersion ?? null]);
  let load = loads.get(key);
  if (load === undefined) {
    load = loadPlugin(name, files, options);
    if (loads.size >= LOAD_CACHE_SIZE) {
      const oldest = loads.keys().next().value as string;
      loads.get(oldest)?.state.close();
      loads.delete(oldest);
    }
    loads.set(key, load);
  }
  return load;
}

/**
 * The Lua state schema.lua was loaded in, for calling its functions (validators, entity checks,
 * shorthand translations) by the ids `facts.schema` carries. Loads the plugin again if its
 * load left the cache: the same files load to the same ids.
 */
export function pluginLuaState(plugin: { readonly name: string; readonly files: readonly TextFile[]; readonly digest: string; readonly kongLuaTree?: string }): LuaSandbox {
  return cachedLoad(plugin.name, plugin.files, plugin.digest, plugin.kongLuaTree !== undefined ? { kongLuaTree: plugin.kongLuaTree } : {}).state;
}

/** Reads a plugin's facts, adding to `issues` every problem that would stop Kong. */
export function readPluginFacts(
  name: string,
  files: readonly TextFile[],
  digest: string,
  analysis: LuaAnalysis,
  filePath: FilePath,
  issues: IssueCollector,
  options: KongLoadOptions = {},
): PluginFacts {
  const load = cachedLoad(name, files, digest, options);
  const handlers = SUBSYSTEMS.map((subsystem) => [subsystem, load.handler[subsystem]] as const);
  const failed = handlers.find(([, loaded]) => "failure" in loaded);

  let readBy = FactsSource.LuaRuntime;
  let fallbackReason: string | undefined;
  let phases: Record<Subsystem, HandlerPhase[]>;
  let priority: number | undefined;
  let version: string | undefined;
  if (failed !== undefined) {
    const failure = (failed[1] as { failure: LuaFailure }).failure;
    reportStop(failure, "handler.lua", filePath, issues);
    readBy = FactsSource.StaticAnalysis;
    fallbackReason = `loading handler.lua for the ${failed[0]} subsystem failed: ${describe(failure)}`;
    phases = staticPhases(analysis);
    ({ priority, version } = staticHandlerChecks(name, analysis, filePath("handler.lua"), issues));
  } else {
    const values = handlers.map(([subsystem, loaded]) => [subsystem, (loaded as { value: LoadedHandler }).value] as const);
    phases = Object.fromEntries(values.map(([subsystem, handler]) => [subsystem, HANDLER_PHASES.filter((phase) => phase in handler.methods && SUBSYSTEM_PHASES[subsystem].includes(phase))])) as Record<Subsystem, HandlerPhase[]>;
    const messages = new Set<string>();
    for (const [, handler] of values) for (const message of handlerProblems(name, handler)) messages.add(message);
    for (const message of messages) issues.add(filePath("handler.lua"), message);
    const first = values[0][1];
    if (typeof first.priority === "number") priority = first.priority;
    version = kongHandlerVersion(first.version);
  }

  const schema = readSchema(load.schema, analysis, filePath, issues);
  checkRequires(name, files, analysis, load.required, filePath, issues);
  if (schema.fallbackReason !== undefined && fallbackReason === undefined) {
    readBy = FactsSource.StaticAnalysis;
    fallbackReason = schema.fallbackReason;
  }
  return {
    readBy,
    ...(fallbackReason !== undefined ? { fallbackReason } : {}),
    phases,
    subsystems: servedSubsystems(phases, schema.value),
    ...(priority !== undefined ? { priority } : {}),
    ...(version !== undefined ? { version } : {}),
    ...(schema.name !== undefined ? { schemaName: schema.name } : {}),
    ...(schema.value !== undefined ? { schema: schema.value } : {}),
    referenceableFields: schema.referenceableFields,
    daoEntities: readDaos(name, load.daos, filePath, issues),
    migrations: readMigrations(name, load.migrations, filePath, issues),
  };
}

/** The problems Kong's loader reports for one subsystem's handler value. */
function handlerProblems(name: string, handler: LoadedHandler): string[] {
  if (handler.type !== "table") {
    // Kong checks nothing on a non-table, then indexes it for PRIORITY and each phase and fails.
    return [`returns a ${handler.type}, not a table: Kong reads PRIORITY, VERSION and the phase methods from the table handler.lua returns`];
  }
  const functions = new Set(Object.entries(handler.methods).filter(([, type]) => type === "function").map(([method]) => method));
  return [
    priorityProblem(name, handler.priority, handler.priorityText ?? "nil"),
    versionProblem(name, handler.version, handler.versionText ?? "nil"),
    responseClashProblem(name, functions),
  ].filter((message): message is string => message !== undefined);
}

/**
 * The static fallback checks only what reading the source shows for certain: a PRIORITY or
 * VERSION literal Kong would refuse, and both `response` and a filter method defined.
 */
function staticHandlerChecks(name: string, analysis: LuaAnalysis, path: string, issues: IssueCollector): { priority?: number; version?: string } {
  if (analysis.priority !== undefined) {
    const problem = priorityProblem(name, analysis.priority, String(analysis.priority));
    if (problem) issues.add(path, problem);
  }
  if (analysis.handlerVersion !== undefined) {
    const problem = versionProblem(name, analysis.handlerVersion, analysis.handlerVersion);
    if (problem) issues.add(path, problem);
  }
  const problem = responseClashProblem(name, new Set(analysis.phases));
  if (problem) issues.add(path, problem);
  const version = kongHandlerVersion(analysis.handlerVersion);
  return {
    ...(analysis.priority !== undefined && Number.isInteger(analysis.priority) ? { priority: analysis.priority } : {}),
    ...(version !== undefined ? { version } : {}),
  };
}

function staticPhases(analysis: LuaAnalysis): Record<Subsystem, HandlerPhase[]> {
  return {
    http: analysis.phases.filter((phase) => SUBSYSTEM_PHASES.http.includes(phase)),
    stream: analysis.phases.filter((phase) => SUBSYSTEM_PHASES.stream.includes(phase)),
  };
}

/**
 * Failures that would stop Kong whatever the sandbox lacks: a loop that never ends and a
 * memory bomb hang or kill Kong's init the same way. A syntax error is reported from the
 * parser, which reads LuaJIT's syntax (the sandbox's Lua 5.4 differs in a few places).
 */
function reportStop(failure: LuaFailure, file: string, filePath: FilePath, issues: IssueCollector): void {
  if (failure.kind === LuaFailureKind.Budget || failure.kind === LuaFailureKind.Memory || failure.kind === LuaFailureKind.Timeout) {
    issues.add(filePath(failure.file ?? file), `${describe(failure)}: Kong's init would not finish loading it`);
  }
}

function describe(failure: LuaFailure): string {
  const where = failure.file !== undefined ? `${failure.file}${failure.line !== undefined ? `:${failure.line}` : ""}: ` : "";
  return `${where}${failure.message} (${failure.kind})`;
}

interface SchemaFacts {
  readonly value?: unknown;
  readonly name?: string;
  readonly referenceableFields: readonly string[];
  readonly fallbackReason?: string;
}

function readSchema(loaded: Loaded<unknown> | undefined, analysis: LuaAnalysis, filePath: FilePath, issues: IssueCollector): SchemaFacts {
  const fallback = { ...(analysis.schemaName !== undefined ? { name: analysis.schemaName } : {}), referenceableFields: analysis.referenceableFields };
  if (loaded === undefined) return fallback;
  if ("failure" in loaded) {
    reportStop(loaded.failure, "schema.lua", filePath, issues);
    return { ...fallback, fallbackReason: `loading schema.lua failed: ${describe(loaded.failure)}` };
  }
  const value = loaded.value;
  const table = isRecord(value) ? value : undefined;
  return {
    value,
    ...(typeof table?.["name"] === "string" ? { name: table["name"] } : {}),
    referenceableFields: configFields(table)
      .filter(([, definition]) => definition["referenceable"] === true)
      .map(([field]) => field)
      .sort(),
  };
}

/** The `{ name = definition }` entries of a schema's `config` record. */
function configFields(schema: Record<string, unknown> | undefined): [string, Record<string, unknown>][] {
  const config = fieldEntries(schema).find(([field]) => field === "config")?.[1];
  return fieldEntries(config);
}

function fieldEntries(record: Record<string, unknown> | undefined): [string, Record<string, unknown>][] {
  const fields = asList(record?.["fields"]) ?? [];
  return fields.flatMap((entry) => (isRecord(entry) ? Object.entries(entry).filter((pair): pair is [string, Record<string, unknown>] => isRecord(pair[1])) : []));
}

/**
 * The subsystems a plugin serves: those where Kong calls at least one of its methods, kept
 * only when the schema's `protocols` allow a protocol of that subsystem (without a `protocols`
 * field, the plugins entity allows every protocol).
 */
function servedSubsystems(phases: Readonly<Record<Subsystem, readonly HandlerPhase[]>>, schema: unknown): PluginType[] {
  const protocols = fieldEntries(isRecord(schema) ? schema : undefined).find(([field]) => field === "protocols")?.[1];
  const elements = protocols?.["elements"];
  const allowed = isRecord(elements) && Array.isArray(elements["one_of"]) ? (elements["one_of"] as unknown[]) : undefined;
  const allows = (subsystem: Subsystem) => allowed === undefined || allowed.some((protocol) => PROTOCOL_SUBSYSTEM[String(protocol)] === subsystem);
  return SUBSYSTEMS.filter((subsystem) => phases[subsystem].length > 0 && allows(subsystem)).map((subsystem) => (subsystem === "http" ? PluginType.Http : PluginType.Stream));
}

/** daos.lua must return a strict array of entity schemas (kong/db/schema/plugin_loader.lua load_entities). */
function readDaos(name: string, loaded: PluginLoad["daos"], filePath: FilePath, issues: IssueCollector): string[] {
  if (loaded === undefined) return [];
  if ("failure" in loaded) {
    reportStop(loaded.failure, "daos.lua", filePath, issues);
    return [];
  }
  if (!loaded.value.strictArray) issues.add(filePath("daos.lua"), `custom plugin '${name}' returned non-array daos definition table`, { expected: "return { <entity schema>, ... }" });
  return [...loaded.value.names];
}

/**
 * migrations/init.lua lists the plugin's migrations; each must be a module of the plugin
 * (kong/db/migrations/state.lua load_subsystems). Without init.lua the plugin has none.
 */
function readMigrations(name: string, loaded: PluginLoad["migrations"], filePath: FilePath, issues: IssueCollector): string[] {
  if (loaded === undefined) return [];
  if ("failure" in loaded) {
    reportStop(loaded.failure, "migrations/init.lua", filePath, issues);
    return [];
  }
  for (const missing of loaded.value.missing) {
    issues.add(filePath("migrations/init.lua"), `failed to load migration 'kong.plugins.${name}.migrations.${missing}' of '${name}' subsystem: there is no migrations/${missing}.lua`);
  }
  return [...loaded.value.names];
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return asRecord(value) !== undefined;
}
