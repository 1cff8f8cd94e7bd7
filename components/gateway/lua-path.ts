import { KONG_LUA_ROOT } from "./kong-conventions";
import { PluginDelivery, type GatewaySpec } from "./model";

/** Where mounted plugins live: Kong's Helm chart layout, `/opt/kong/plugins/<name>`. */
export const MOUNT_ROOT = "/opt";

/** The Lua path that finds mounted plugins (and their `init.lua` packages), then Kong's default. */
export const MOUNT_LUA_PACKAGE_PATH = `${MOUNT_ROOT}/?.lua;${MOUNT_ROOT}/?/init.lua;;`;

/**
 * The part of Kong's Lua path that `;;` stands for, as OpenResty in Kong's images builds it:
 * the working folder, then LuaRocks' tree under /usr/local (where Kong and its plugins live).
 */
export const KONG_DEFAULT_LUA_PATH = [
  "./?.lua",
  "./?/init.lua",
  `${KONG_LUA_ROOT}/?.lua`,
  `${KONG_LUA_ROOT}/?/init.lua`,
  "/usr/local/openresty/site/lualib/?.lua",
  "/usr/local/openresty/lualib/?.lua",
];

/** The folder a custom plugin's files are in, inside Kong's container. */
export function pluginContainerDir(gateway: Pick<GatewaySpec, "delivery" | "image">, name: string): string {
  const root = gateway.delivery === PluginDelivery.Image ? (gateway.image?.luaRoot ?? KONG_LUA_ROOT) : MOUNT_ROOT;
  return `${root}/kong/plugins/${name}`;
}

/**
 * The Lua path templates Kong searches, in order: `;;` expanded to Kong's default. Kong's
 * nginx template always appends `;;` to KONG_LUA_PACKAGE_PATH (kong/templates/nginx_kong.lua:
 * `lua_package_path '${{LUA_PACKAGE_PATH}};;'`), so its default is searched after the value
 * whether the value ends with `;;` or not.
 */
export function luaSearchTemplates(luaPackagePath: string | undefined): string[] {
  if (luaPackagePath === undefined) return [...KONG_DEFAULT_LUA_PATH];
  return `${luaPackagePath};;`.split(";").flatMap((entry, index, entries) => {
    // An empty entry between two separators is where Lua inserts its default path.
    if (entry === "") return index > 0 && entries[index - 1] === "" ? [] : KONG_DEFAULT_LUA_PATH;
    return [entry];
  });
}

/**
 * Where Lua would load `module` from, as `package.searchpath` does: each template with `?`
 * replaced by the module's path (dots to slashes), the first that exists. Undefined when no
 * template finds it: for a handler, Kong says "plugin is enabled but not installed".
 */
export function searchModule(module: string, templates: readonly string[], exists: (path: string) => boolean): string | undefined {
  const relative = module.replace(/\./g, "/");
  return templates.map((template) => template.replace(/\?/g, relative)).find(exists);
}
