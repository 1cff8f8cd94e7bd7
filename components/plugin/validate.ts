import { existsSync } from "node:fs";
import { join } from "node:path";
import { checkJsonSchema } from "../core/ajv";
import { IssueCollector, joinPath, KongPluginsValidationError } from "../core/errors";
import { withoutUndefined } from "../core/objects";
import { pluginArchiveName } from "./archive";
import { BUNDLED_PLUGINS } from "./bundled";
import { formatSyntaxError } from "./lua";
import type { JsonSchema, PluginSpec, ResolvedPlugin } from "./model";
import { readPluginSource } from "./source";
import { HANDLER_PHASES, PluginType, type PluginSource } from "./types";
import { readPluginFacts, type PluginFacts } from "./plugin-facts";
import { metaschemaIssues } from "../schema/metaschema";
import { configJsonSchema } from "../schema/json-schema";
import { readPluginSchema } from "../schema/model";
import { schemaDisagreements } from "../schema/schema-agreement";
import { withShape } from "../core/shape";
import { PLUGIN_SPEC } from "./shapes";

/**
 * Reads and checks a plugin, reporting every problem at once, and returns it with its
 * defaults filled in. Where Kong has words for a problem, the message uses them, so users
 * can search for what Kong would have printed at startup.
 * @throws KongPluginsValidationError listing every problem, with paths such as `name` or
 *   `source.files["handler.lua"]`.
 */
export function resolvePlugin(spec: PluginSpec): ResolvedPlugin {
  return withShape(spec, PLUGIN_SPEC, "the plugin", () => cachedResolvePlugin(spec));
}

/**
 * Plugins resolved in this process, by their files' digest and the rest of their spec: every
 * component and stack that takes a plugin resolves it, so a program of N instances would
 * otherwise read and check each plugin N times. A plugin with problems is not kept (its error
 * is thrown again each time); the resolved plugin is shared, and no one changes it.
 */
const resolvedPlugins = new Map<string, ResolvedPlugin>();
const RESOLVED_CACHE_SIZE = 256;

function cachedResolvePlugin(spec: PluginSpec): ResolvedPlugin {
  const key = resolvedKey(spec);
  const cached = key === undefined ? undefined : resolvedPlugins.get(key);
  if (cached !== undefined) return cached;
  const resolved = resolvePluginTyped(spec);
  if (key !== undefined) {
    if (resolvedPlugins.size >= RESOLVED_CACHE_SIZE) resolvedPlugins.delete(resolvedPlugins.keys().next().value as string);
    resolvedPlugins.set(key, resolved);
  }
  return resolved;
}

/**
 * What a resolution depends on: the spec itself when its files are inline (as every plugin
 * definition is: serializing it is cheaper than digesting it), else the files as read now (a
 * folder is read again: its files may have changed) and every other field of the spec.
 * Undefined when the source cannot be read, or when kongLuaTree is given (its files are
 * Kong's, read by the loader).
 */
function resolvedKey(spec: PluginSpec): string | undefined {
  if (spec.kongLuaTree !== undefined) return undefined;
  if (spec.source.directory === undefined) return `files\0${JSON.stringify(spec)}`;
  try {
    const { digest } = readPluginSource(spec.source, { name: spec.name, path: "source" });
    const { source: _source, ...rest } = spec;
    return `directory\0${digest}\0${JSON.stringify(rest)}`;
  } catch {
    return undefined;
  }
}

function resolvePluginTyped(spec: PluginSpec): ResolvedPlugin {
  const issues = new IssueCollector();
  checkPluginName(spec.name, "name", issues);
  if (spec.version !== undefined) checkVersion(spec.version, issues);
  if (spec.kongLuaTree !== undefined && !existsSync(join(spec.kongLuaTree, "kong"))) {
    issues.add("kongLuaTree", "holds no kong/ folder", { received: spec.kongLuaTree, expected: "the folder that contains kong/, e.g. a copy of /usr/local/share/lua/5.1 from the gateway image" });
  }

  let source: PluginSource | undefined;
  try {
    source = readPluginSource(spec.source, { name: spec.name, path: "source" });
  } catch (error) {
    if (!(error instanceof KongPluginsValidationError)) throw error;
    issues.addAll(error.issues);
  }
  const facts = source && checkSource(spec, source, issues);
  if (facts && spec.version === undefined && facts.version === undefined) {
    issues.add("version", "is required: handler.lua has no VERSION Kong accepts to take it from", { expected: 'e.g. "1.0.0"' });
  }
  if (spec.configSchema !== undefined) issues.addAll(checkJsonSchema(spec.configSchema, "configSchema"));
  const derivedSchema = facts?.schema !== undefined ? configJsonSchema(readPluginSchema(facts.schema)) : undefined;
  if (derivedSchema !== undefined && spec.configSchema !== undefined) issues.addAll(schemaDisagreements(spec.configSchema, derivedSchema, "configSchema"));
  checkRockspecOptions(spec, issues);

  issues.throwIfAny(`plugin ${JSON.stringify(spec.name)}`);
  const { files, digest, analysis } = source as PluginSource;
  const loaded = facts as PluginFacts;
  const version = spec.version ?? (loaded.version as string);
  return {
    name: spec.name,
    version,
    type: loaded.subsystems.includes(PluginType.Stream) && !loaded.subsystems.includes(PluginType.Http) ? PluginType.Stream : PluginType.Http,
    subsystems: loaded.subsystems,
    files,
    digest,
    phases: HANDLER_PHASES.filter((phase) => loaded.phases.http.includes(phase) || loaded.phases.stream.includes(phase)),
    ...(loaded.priority !== undefined ? { priority: loaded.priority } : {}),
    requiresDatabase: loaded.daoEntities.length > 0,
    ...(derivedSchema !== undefined ? { configSchema: derivedSchema } : spec.configSchema !== undefined ? { configSchema: spec.configSchema as JsonSchema } : {}),
    rockspec: {
      summary: spec.rockspec?.summary ?? `Kong Gateway plugin ${spec.name}`,
      sourceUrl: spec.rockspec?.sourceUrl ?? pluginArchiveName({ name: spec.name, version }),
      license: spec.rockspec?.license ?? "UNLICENSED",
      dependencies: spec.rockspec?.dependencies ?? [],
      ...pickDefined(spec.rockspec ?? {}, ["detailed", "homepage", "maintainer"]),
    },
    facts: loaded,
    ...(spec.kongLuaTree !== undefined ? { kongLuaTree: spec.kongLuaTree } : {}),
    analysis,
  };
}

/**
 * Resolves the plugin specs that a component received, every problem of every plugin
 * reported at once under `<path>[i]`: thrown, or recorded in `into` when given.
 * @throws KongPluginsValidationError
 */
export function resolvePlugins(specs: readonly PluginSpec[], path: string, into?: IssueCollector): ResolvedPlugin[] {
  const issues = into ?? new IssueCollector();
  const resolved = specs.map((spec, index) => issues.attempt(joinPath(path, index), () => resolvePlugin(spec)));
  if (!into) issues.throwIfAny(path);
  return resolved.filter((plugin) => plugin !== undefined);
}

/**
 * A checked plugin as a spec with its files inline: what PluginMetadata outputs and what the
 * other components take, so that a plugin crosses language and process boundaries as data.
 * Resolving it again gives the same plugin.
 */
export function pluginSpecOf(plugin: ResolvedPlugin): PluginSpec {
  return {
    name: plugin.name,
    version: plugin.version,
    source: { files: Object.fromEntries(plugin.files.map((file) => [file.path, file.content])) },
    ...(plugin.kongLuaTree !== undefined ? { kongLuaTree: plugin.kongLuaTree } : {}),
    ...(plugin.configSchema !== undefined ? { configSchema: plugin.configSchema } : {}),
    rockspec: withoutUndefined({
      ...plugin.rockspec,
      dependencies: [...plugin.rockspec.dependencies],
      // The default points next to the rockspec, which only the default may do.
      sourceUrl: plugin.rockspec.sourceUrl === pluginArchiveName(plugin) ? undefined : plugin.rockspec.sourceUrl,
    }),
  };
}

const PLUGIN_NAME = /^[a-z0-9][a-z0-9_-]*$/;

/**
 * Checks a custom plugin name. The name becomes a folder (`kong/plugins/<name>`), a Lua
 * module path (`kong.plugins.<name>.handler`) and an entry of a comma list (KONG_PLUGINS),
 * so separators, dots, spaces and commas would each break one of them.
 */
export function checkPluginName(name: unknown, path: string, issues: IssueCollector): void {
  if (typeof name !== "string" || name.length === 0) {
    issues.add(path, "must be a non-empty string", { received: name, expected: "a plugin name such as rate-limit-example" });
    return;
  }
  const expected = "lower-case letters, digits, '-' and '_', starting with a letter or digit";
  if (/[/\\]/.test(name)) issues.add(path, "must not contain path separators", { received: name, expected });
  else if (name.includes("..")) issues.add(path, "must not contain '..'", { received: name, expected });
  else if (/\s/.test(name)) issues.add(path, "must not contain spaces", { received: name, expected });
  else if (/[A-Z]/.test(name)) issues.add(path, "must be lower case", { received: name, expected });
  else if (!PLUGIN_NAME.test(name)) issues.add(path, "is not a valid plugin name", { received: name, expected });
  else if (BUNDLED_PLUGINS.has(name) || name === "bundled") {
    issues.add(path, "is the name of a plugin bundled with Kong Gateway; a custom plugin needs a name of its own", {
      received: name,
      expected: "a name no bundled plugin uses",
    });
  }
}

/**
 * The plugin's version names its rockspec and rock (`<name>-<version>-1`), so it must be a
 * version LuaRocks reads: numbers separated by dots, as Kong's own VERSION values are.
 */
function checkVersion(version: unknown, issues: IssueCollector): void {
  if (typeof version !== "string" || !/^\d+(\.\d+)*$/.test(version)) {
    issues.add("version", "must be numbers separated by dots (LuaRocks reads the version from the rockspec's name)", { received: version, expected: 'e.g. "1.0.0" or "0.1"' });
  }
}

/** Checks the plugin's files as Kong would load them; returns what Kong's loader finds. */
function checkSource(spec: PluginSpec, source: PluginSource, issues: IssueCollector): PluginFacts | undefined {
  const filesPath = spec.source.directory !== undefined ? "source.directory" : "source.files";
  const filePath = (file: string) => joinPath(filesPath, file);
  const paths = new Set(source.files.map((file) => file.path));
  const { analysis } = source;
  const name = spec.name;

  if (!paths.has("handler.lua")) {
    issues.add(filePath("handler.lua"), `${name} plugin is enabled but not installed: there is no handler.lua, so Kong cannot load kong.plugins.${name}.handler`, {
      expected: "handler.lua in the plugin folder",
    });
  }
  if (!paths.has("schema.lua")) {
    issues.add(filePath("schema.lua"), `no configuration schema found for plugin: ${name} (schema.lua must sit next to handler.lua)`, {
      expected: "schema.lua in the plugin folder",
    });
  }
  for (const error of analysis.syntaxErrors) {
    issues.add(filePath(error.file), `Lua syntax error: ${formatSyntaxError(error)}`);
  }
  if (!paths.has("handler.lua") || !paths.has("schema.lua") || analysis.syntaxErrors.length > 0 || !PLUGIN_NAME.test(name)) return undefined;

  const facts = readPluginFacts(name, source.files, source.digest, analysis, filePath, issues, spec.kongLuaTree !== undefined ? { kongLuaTree: spec.kongLuaTree } : {});
  if (facts.schema !== undefined) metaschemaIssues(name, facts.schema, filePath("schema.lua"), issues);
  if (facts.schemaName !== undefined && facts.schemaName !== name) {
    issues.add(filePath("schema.lua"), "returns a name that differs from the plugin's name; Kong keys the schema by that name", {
      received: facts.schemaName,
      expected: JSON.stringify(name),
    });
  }
  return facts;
}

const DEPENDENCY = /^[a-z0-9][a-z0-9_.-]*(\s*(==|~=|>=|<=|>|<|~>)\s*[0-9][0-9a-z.-]*)?(\s*,\s*(==|~=|>=|<=|>|<|~>)\s*[0-9][0-9a-z.-]*)*$/;
const URL = /^(https?|git\+https|git\+ssh|git|file):\/\/\S+$/;

function checkRockspecOptions(spec: PluginSpec, issues: IssueCollector): void {
  const options = spec.rockspec ?? {};
  (options.dependencies ?? []).forEach((dependency, index) => {
    if (typeof dependency !== "string" || !DEPENDENCY.test(dependency)) {
      issues.add(joinPath("rockspec.dependencies", index), "is not a LuaRocks dependency", { received: dependency, expected: 'e.g. "lua-resty-http >= 0.17"' });
    }
  });
  if (options.homepage !== undefined && !/^https?:\/\/\S+$/.test(options.homepage)) {
    issues.add("rockspec.homepage", "is not an http(s) URL", { received: options.homepage });
  }
  if (options.sourceUrl !== undefined && !URL.test(options.sourceUrl)) {
    issues.add("rockspec.sourceUrl", "is not a URL LuaRocks can fetch", { received: options.sourceUrl, expected: "https://, git+https://, git:// or file:// URL" });
  }
  for (const key of ["summary", "license", "maintainer"] as const) {
    const value = options[key];
    if (value !== undefined && (typeof value !== "string" || /[\r\n]/.test(value))) {
      issues.add(joinPath("rockspec", key), "must be a single line of text", { received: value });
    }
  }
}

function pickDefined<T extends object, K extends keyof T>(object: T, keys: readonly K[]): Partial<Pick<T, K>> {
  const picked: Partial<Pick<T, K>> = {};
  for (const key of keys) if (object[key] !== undefined) picked[key] = object[key];
  return picked;
}
