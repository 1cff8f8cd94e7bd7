import { luaStringLiteral } from "./lua-literal";
import type { ResolvedPlugin } from "./model";

/** The LuaRocks revision of every rockspec this library renders (`<version>-1`). */
export const ROCKSPEC_REVISION = 1;

/** A rendered rockspec: its conventional file name and its text. */
export interface RenderedRockspec {
  /** `kong-plugin-<name>-<version>-1.rockspec`, the name LuaRocks expects for this package and version. */
  readonly fileName: string;
  /** The rockspec's Lua text. */
  readonly text: string;
  /** The LuaRocks package name, `kong-plugin-<name>`. */
  readonly packageName: string;
  /** The LuaRocks version, `<version>-1`. */
  readonly rockVersion: string;
}

/** The Lua module a plugin file provides: `migrations/init.lua` → `kong.plugins.<name>.migrations.init`. */
export function luaModuleName(pluginName: string, path: string): string {
  return `kong.plugins.${pluginName}.${path.replace(/\.lua$/, "").split("/").join(".")}`;
}

/**
 * Renders the plugin's LuaRocks rockspec (`build.type = "builtin"`), listing every Lua file
 * as a module under `kong/plugins/<name>/`, so `luarocks make` installs exactly what Kong
 * loads. Deterministic: modules in path order, no dates.
 */
export function renderRockspec(plugin: ResolvedPlugin): RenderedRockspec {
  const packageName = `kong-plugin-${plugin.name}`;
  const rockVersion = `${plugin.version}-${ROCKSPEC_REVISION}`;
  const { rockspec } = plugin;
  const ownArchive = rockspec.sourceUrl === `${plugin.name}-${plugin.version}.tar.gz`;

  const description = [
    field("summary", rockspec.summary),
    rockspec.detailed !== undefined ? field("detailed", rockspec.detailed) : undefined,
    rockspec.homepage !== undefined ? field("homepage", rockspec.homepage) : undefined,
    field("license", rockspec.license),
    rockspec.maintainer !== undefined ? field("maintainer", rockspec.maintainer) : undefined,
  ].filter((line): line is string => line !== undefined);

  const modules = plugin.files
    .filter((file) => file.path.endsWith(".lua"))
    .map((file) => `    [${luaStringLiteral(luaModuleName(plugin.name, file.path))}] = ${luaStringLiteral(`kong/plugins/${plugin.name}/${file.path}`)},`);

  const lines = [
    `package = ${luaStringLiteral(packageName)}`,
    `version = ${luaStringLiteral(rockVersion)}`,
    `supported_platforms = { "linux", "macosx" }`,
    "source = {",
    `  url = ${luaStringLiteral(rockspec.sourceUrl)},`,
    // The archive this library packs unpacks into a folder named after the plugin.
    ...(ownArchive ? [`  dir = ${luaStringLiteral(plugin.name)},`] : []),
    "}",
    "description = {",
    ...description.map((line) => `  ${line}`),
    "}",
    "dependencies = {",
    ...rockspec.dependencies.map((dependency) => `  ${luaStringLiteral(dependency)},`),
    "}",
    "build = {",
    '  type = "builtin",',
    "  modules = {",
    ...modules,
    "  },",
    "}",
  ];
  return { fileName: `${packageName}-${rockVersion}.rockspec`, text: `${lines.join("\n")}\n`, packageName, rockVersion };
}

function field(key: string, value: string): string {
  return `${key} = ${luaStringLiteral(value)},`;
}
