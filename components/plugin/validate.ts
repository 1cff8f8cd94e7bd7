import { valid as validSemver } from "semver";
import { checkJsonSchema } from "../core/ajv";
import { IssueCollector, joinPath, KongPluginsValidationError } from "../core/errors";
import { withoutUndefined } from "../core/objects";
import { pluginArchiveName } from "./archive";
import { BUNDLED_PLUGINS } from "./bundled";
import { formatSyntaxError } from "./lua";
import type { JsonSchema, PluginSpec, ResolvedPlugin } from "./model";
import { readPluginSource } from "./source";
import { HTTP_ONLY_PHASES, PluginType, STREAM_ONLY_PHASES, type LuaAnalysis, type PluginSource } from "./types";
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
  return withShape(spec, PLUGIN_SPEC, "the plugin", () => resolvePluginTyped(spec));
}

function resolvePluginTyped(spec: PluginSpec): ResolvedPlugin {
  const issues = new IssueCollector();
  const type = spec.type ?? PluginType.Http;
  checkPluginName(spec.name, "name", issues);
  checkVersion(spec.version, issues);
  if (!Object.values(PluginType).includes(type)) {
    issues.add("type", "is not a plugin type", { received: type, expected: `one of ${Object.values(PluginType).join(", ")}` });
  }

  let source: PluginSource | undefined;
  try {
    source = readPluginSource(spec.source, { name: spec.name, path: "source" });
  } catch (error) {
    if (!(error instanceof KongPluginsValidationError)) throw error;
    issues.addAll(error.issues);
  }
  if (source) checkSource(spec, type, source, issues);
  if (spec.configSchema !== undefined) issues.addAll(checkJsonSchema(spec.configSchema, "configSchema"));
  checkRockspecOptions(spec, issues);

  issues.throwIfAny(`plugin ${JSON.stringify(spec.name)}`);
  const { files, digest, analysis } = source as PluginSource;
  return {
    name: spec.name,
    version: spec.version,
    type,
    files,
    digest,
    phases: analysis.phases,
    ...(analysis.priority !== undefined ? { priority: analysis.priority } : {}),
    requiresDatabase: files.some((file) => file.path === "daos.lua" || file.path.startsWith("migrations/")),
    ...(spec.configSchema !== undefined ? { configSchema: spec.configSchema as JsonSchema } : {}),
    rockspec: {
      summary: spec.rockspec?.summary ?? `Kong Gateway plugin ${spec.name}`,
      sourceUrl: spec.rockspec?.sourceUrl ?? pluginArchiveName(spec),
      license: spec.rockspec?.license ?? "UNLICENSED",
      dependencies: spec.rockspec?.dependencies ?? [],
      ...pickDefined(spec.rockspec ?? {}, ["detailed", "homepage", "maintainer"]),
    },
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
    type: plugin.type,
    source: { files: Object.fromEntries(plugin.files.map((file) => [file.path, file.content])) },
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

function checkVersion(version: unknown, issues: IssueCollector): void {
  if (typeof version !== "string" || validSemver(version) !== version) {
    issues.add("version", "must be a semantic version", { received: version, expected: "MAJOR.MINOR.PATCH, e.g. 1.0.0" });
  } else if (version.includes("-") || version.includes("+")) {
    // LuaRocks versions are `<version>-<revision>`: a semver pre-release dash would be read
    // as the revision separator, and `luarocks` would reject the rockspec.
    issues.add("version", "must not have a pre-release or build suffix (LuaRocks cannot express it)", {
      received: version,
      expected: "MAJOR.MINOR.PATCH, e.g. 1.0.0",
    });
  }
}

function checkSource(spec: PluginSpec, type: PluginType, source: PluginSource, issues: IssueCollector): void {
  const filesPath = spec.source.directory !== undefined ? "source.directory" : "source.files";
  const paths = new Set(source.files.map((file) => file.path));
  const { analysis } = source;
  const name = spec.name;

  if (!paths.has("handler.lua")) {
    issues.add(joinPath(filesPath, "handler.lua"), `${name} plugin is enabled but not installed: there is no handler.lua, so Kong cannot load kong.plugins.${name}.handler`, {
      expected: "handler.lua in the plugin folder",
    });
  }
  if (!paths.has("schema.lua")) {
    issues.add(joinPath(filesPath, "schema.lua"), `no configuration schema found for plugin: ${name} (schema.lua must sit next to handler.lua)`, {
      expected: "schema.lua in the plugin folder",
    });
  }
  if ([...paths].some((path) => path.startsWith("migrations/")) && !paths.has("migrations/init.lua")) {
    issues.add(joinPath(filesPath, "migrations/init.lua"), "is missing: Kong finds a plugin's migrations through migrations/init.lua, which returns their names", {
      expected: 'migrations/init.lua returning e.g. { "000_base_' + name.replace(/-/g, "_") + '" }',
    });
  }
  for (const error of analysis.syntaxErrors) {
    issues.add(joinPath(filesPath, error.file), `Lua syntax error: ${formatSyntaxError(error)}`);
  }
  for (const required of analysis.requires) {
    if (required.module === "kong.plugins.base_plugin") {
      issues.add(joinPath(filesPath, required.file), `requires kong.plugins.base_plugin (line ${required.line}), which Kong 3.0 removed; return a plain table from handler.lua instead`);
    }
  }

  if (paths.has("schema.lua") && analysis.schemaName !== undefined && analysis.schemaName !== name) {
    issues.add(joinPath(filesPath, "schema.lua"), "returns a name that differs from the plugin's name; Kong keys the schema by that name", {
      received: analysis.schemaName,
      expected: JSON.stringify(name),
    });
  }
  if (paths.has("handler.lua") && !analysis.syntaxErrors.some((error) => error.file === "handler.lua")) {
    checkHandler(spec, analysis, joinPath(filesPath, "handler.lua"), issues);
  }
  checkPhasesMatchType(type, analysis.phases, issues);
}

/** The handler checks Kong's plugin loader makes (kong/db/dao/plugins.lua), in its words. */
function checkHandler(spec: PluginSpec, analysis: LuaAnalysis, path: string, issues: IssueCollector): void {
  const fields = new Set(analysis.handlerFields);
  const quoted = JSON.stringify(spec.name);
  if (!fields.has("PRIORITY")) {
    issues.add(path, `Plugin ${quoted} cannot be loaded because its PRIORITY field is not a valid integer number, got: "nil"`, { expected: "Handler.PRIORITY = <integer>" });
  } else if (analysis.priority !== undefined && !Number.isInteger(analysis.priority)) {
    issues.add(path, `Plugin ${quoted} cannot be loaded because its PRIORITY field is not a valid integer number, got: "${analysis.priority}"`);
  }
  if (!fields.has("VERSION")) {
    issues.add(path, `Plugin ${quoted} cannot be loaded because its VERSION field does not follow the "x.y.z" format, got: "nil"`, { expected: `Handler.VERSION = "${spec.version}"` });
  } else if (analysis.handlerVersion !== undefined && analysis.handlerVersion !== spec.version) {
    issues.add(path, "declares a VERSION that differs from the plugin's version", { received: analysis.handlerVersion, expected: JSON.stringify(spec.version) });
  }
  if (fields.has("response") && (fields.has("header_filter") || fields.has("body_filter"))) {
    issues.add(path, `Plugin ${quoted} can't be loaded because it implements both \`response\` and \`header_filter\` or \`body_filter\` methods`);
  }
}

function checkPhasesMatchType(type: PluginType, phases: readonly string[], issues: IssueCollector): void {
  const foreign = type === PluginType.Stream ? HTTP_ONLY_PHASES : STREAM_ONLY_PHASES;
  const wrong = phases.filter((phase) => (foreign as readonly string[]).includes(phase));
  if (wrong.length === 0) return;
  const subsystem = type === PluginType.Stream ? "HTTP" : "stream";
  issues.add("type", `is "${type}" but handler.lua implements ${subsystem}-only phases (${wrong.join(", ")}), which Kong never calls for a ${type} plugin`, {
    received: type,
    expected: type === PluginType.Stream ? `"http", or a handler without ${wrong.join(", ")}` : `"stream", or a handler without ${wrong.join(", ")}`,
  });
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
