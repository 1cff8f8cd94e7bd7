// Kong's globals and small modules as a plugin file sees them while Kong loads it (during
// `Kong.init`, kong/init.lua): `ngx` with `ngx.config.subsystem` and `ngx.null`, the `kong`
// PDK table, `kong.constants`, `kong.meta` and the `kong.tools` helpers schemas call. Written
// for this project from Kong 3.x's documented values; whatever is not modelled is inert.
import { BUNDLED_PLUGINS } from "../../plugin/bundled";

/**
 * `kong.constants`: the bundled plugin set, the protocols and the subsystem each belongs to
 * (kong/constants.lua, Enterprise's `ws`/`wss` included) and the DAO TTL limit.
 */
const CONSTANTS = String.raw`
local bundled = {}
for name in string.gmatch("${[...BUNDLED_PLUGINS].join(",")}", "[^,]+") do bundled[name] = true end
local protocols_with_subsystem = { http = "http", https = "http", grpc = "http", grpcs = "http", ws = "http", wss = "http",
  tcp = "stream", tls = "stream", udp = "stream", tls_passthrough = "stream" }
local protocols = {}
for protocol in pairs(protocols_with_subsystem) do protocols[#protocols + 1] = protocol end
table.sort(protocols)
return setmetatable({
  BUNDLED_PLUGINS = bundled,
  DEPRECATED_PLUGINS = {},
  PROTOCOLS = protocols,
  PROTOCOLS_WITH_SUBSYSTEM = protocols_with_subsystem,
  DATABASE = setmetatable({ DAO_MAX_TTL = 100000000 }, { __index = __kp_inert("kong.constants.DATABASE") }),
}, { __index = __kp_inert("kong.constants") })
`;

/** `kong.meta`: the Kong version the plugin is loaded for; `version` is always x.y.z. */
function meta(version: string): string {
  const [major, minor, patch] = version.split(".").map(Number);
  return String.raw`
local version = setmetatable({ major = ${major}, minor = ${minor}, patch = ${patch} }, {
  __tostring = function(t) return string.format("%d.%d.%d", t.major, t.minor, t.patch) end })
return { _NAME = "kong", _VERSION = "${version}", _VERSION_TABLE = version, _SERVER_TOKENS = "kong/${version}",
  version = "${version}", core_version = "${version}", _DEPENDENCIES = {} }
`;
}

/** `kong.tools.ip`: address syntax checks (the ones typedefs' validators call). */
const TOOLS_IP = String.raw`
local ip = {}
function ip.is_valid_ipv4(value)
  local a, b, c, d = string.match(value, "^(%d+)%.(%d+)%.(%d+)%.(%d+)$")
  if not a then return false end
  for _, octet in ipairs({ a, b, c, d }) do if tonumber(octet) > 255 then return false end end
  return true
end
function ip.is_valid_ipv6(value)
  if not string.find(value, ":", 1, true) or not string.match(value, "^[%x:.]+$") then return false end
  local compressed = select(2, string.gsub(value, "::", ""))
  if compressed > 1 then return false end
  local head, tail = value, nil
  local last = string.match(value, "([^:]*)$")
  local groups_for_v4 = 0
  if string.find(last, ".", 1, true) then
    if not ip.is_valid_ipv4(last) then return false end
    groups_for_v4 = 2
    head = string.sub(value, 1, #value - #last)
    if string.sub(head, -2) ~= "::" then head = string.sub(head, 1, -2) end
  end
  local groups = 0
  for group in string.gmatch(head, "[^:]+") do
    if #group > 4 then return false end
    groups = groups + 1
  end
  groups = groups + groups_for_v4
  if compressed == 1 then return groups < 8 end
  return groups == 8 and not string.find(head, "^:") and not string.find(head, ":$")
end
function ip.is_valid_ip(value) return ip.is_valid_ipv4(value) or ip.is_valid_ipv6(value) end
local function cidr(value, ipv4_only)
  local address, bits = string.match(value, "^([^/]+)/(%d+)$")
  if not address then return ip.is_valid_ipv4(value) or (not ipv4_only and ip.is_valid_ipv6(value)) end
  if ip.is_valid_ipv4(address) then return tonumber(bits) <= 32 end
  return not ipv4_only and ip.is_valid_ipv6(address) and tonumber(bits) <= 128
end
function ip.is_valid_ip_or_cidr(value) return cidr(value, false) end
function ip.is_valid_ip_or_cidr_v4(value) return cidr(value, true) end
return setmetatable(ip, { __index = __kp_inert("kong.tools.ip") })
`;

/**
 * `kong.tools.http`: header names as nginx takes them (`^[a-zA-Z0-9-_]+$`) and cookie names
 * as RFC 7230 tokens.
 */
const TOOLS_HTTP = String.raw`
local http = {}
local TOKEN = "^[%w!#$%%&'*+%-.^_` + "`" + String.raw`|~]+$"
function http.validate_header_name(name)
  if name == nil or name == "" then return nil, "no header name provided" end
  if string.match(name, "^[%w_%-]+$") then return name end
  return nil, "bad header name '" .. name .. "', allowed characters are A-Z, a-z, 0-9, '_', and '-'"
end
function http.validate_cookie_name(name)
  if name == nil or name == "" then return nil, "no cookie name provided" end
  if string.match(name, TOKEN) then return name end
  return nil, "bad cookie name '" .. name .. "', allowed characters are A-Z, a-z, 0-9, '_', and '-'"
end
return setmetatable(http, { __index = __kp_inert("kong.tools.http") })
`;

/** `kong.tools.utils`: the legacy aggregate, here of the helpers above. */
const TOOLS_UTILS = String.raw`
local utils = {}
for _, name in ipairs({ "kong.tools.ip", "kong.tools.http" }) do
  for key, value in pairs(require(name)) do utils[key] = value end
end
return setmetatable(utils, { __index = __kp_inert("kong.tools.utils") })
`;

/** Lua source of each runtime module, by module name, for the Kong version given. */
export function runtimeShims(kongVersion: string): Readonly<Record<string, string>> {
  return {
    "kong.constants": CONSTANTS,
    "kong.meta": meta(kongVersion),
    "kong.tools.ip": TOOLS_IP,
    "kong.tools.http": TOOLS_HTTP,
    "kong.tools.utils": TOOLS_UTILS,
  };
}

/**
 * The globals Kong's init phase gives a plugin file: `ngx` (with `ngx.config.subsystem`,
 * `ngx.null`, log levels and a no-op `ngx.log`) and the `kong` PDK table, both inert beyond
 * that. Run once per sandbox.
 */
export function kongGlobals(subsystem: "http" | "stream"): string {
  return String.raw`
local function inert_fields(name) return { __index = __kp_inert(name) } end
ngx = setmetatable({
  null = __kp_null,
  config = setmetatable({ subsystem = "${subsystem}", ngx_lua_version = 10026, nginx_version = 1025003, debug = false,
    prefix = function() return "/usr/local/kong/" end }, inert_fields("ngx.config")),
  log = function() end,
  STDERR = 0, EMERG = 1, ALERT = 2, CRIT = 3, ERR = 4, WARN = 5, NOTICE = 6, INFO = 7, DEBUG = 8,
  OK = 0, ERROR = -1, AGAIN = -2, DONE = -4, DECLINED = -5,
}, inert_fields("ngx"))
kong = setmetatable({}, inert_fields("kong"))
`;
}
