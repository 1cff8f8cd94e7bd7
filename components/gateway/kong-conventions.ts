/**
 * Kong Gateway 3.10, the current long-term-support release line.
 * See https://docs.konghq.com/gateway/latest/support-policy/
 */
export const DEFAULT_BASE_IMAGE = "kong/kong-gateway:3.10";

/** Where Kong's image keeps Lua modules, and so where plugins land by default. */
export const KONG_LUA_ROOT = "/usr/local/share/lua/5.1";

/** The value of KONG_PLUGINS: `bundled` (unless left out) then the custom plugins, in the order given. */
export function kongPluginsValue(gateway: { readonly includeBundled: boolean; readonly plugins: readonly { readonly name: string }[] }): string {
  return [...(gateway.includeBundled ? ["bundled"] : []), ...gateway.plugins.map((plugin) => plugin.name)].join(",");
}

/** The Lua package path for a Lua root of one's own: its modules, its packages' init.lua, then Kong's default (`;;`). */
export function luaPackagePath(luaRoot: string): string {
  return `${luaRoot}/?.lua;${luaRoot}/?/init.lua;;`;
}
