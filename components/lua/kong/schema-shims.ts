// Kong's schema modules as plugin schemas see them at load time, written for this project
// from Kong 3.x's definitions (types and attributes as kong/db/schema/typedefs.lua declares
// them; Schema.define's call form as kong/db/schema/init.lua gives it). With a Kong Lua tree
// (PluginLoadOptions.kongLuaTree), Kong's own files replace these.

/**
 * `kong.db.schema`: only `define`, which makes a definition callable. `typedef { overrides }`
 * returns the overrides table with the definition's missing keys copied in (the caller's keys
 * win, one level deep), as Kong's `Schema.define` does.
 */
const SCHEMA = String.raw`
local Schema = setmetatable({}, { __index = __kp_inert("kong.db.schema") })
local define_mt = {
  __call = function(definition, overrides)
    overrides = overrides or {}
    for key, value in pairs(definition) do
      if overrides[key] == nil then overrides[key] = value end
    end
    return overrides
  end,
}
function Schema.define(definition) return setmetatable(definition, define_mt) end
Schema.valid_types = { array = true, set = true, string = true, number = true, boolean = true,
  integer = true, foreign = true, map = true, record = true, ["function"] = true, json = true }
return Schema
`;

/**
 * `kong.db.schema.typedefs`: the typedefs plugin schemas use, with the type and attributes of
 * Kong 3.x's, and custom validators written here from the rules Kong documents for them.
 */
const TYPEDEFS = String.raw`
local Schema = require "kong.db.schema"
local constants = require "kong.constants"
local http = require "kong.tools.http"
local ip = require "kong.tools.ip"
local define, null = Schema.define, ngx.null
local match, find, gsub = string.match, string.find, string.gsub

local function host_parts(value)
  local ipv6, port = match(value, "^%[([%x:.]+)%]:?(%d*)$")
  if ipv6 then return ipv6, port ~= "" and port or nil, "ipv6" end
  if ip.is_valid_ipv6(value) then return value, nil, "ipv6" end
  local name, after = match(value, "^([^:]+):?(.*)$")
  if not name then return nil end
  if after ~= "" and not match(after, "^%d+$") then return nil end
  return name, after ~= "" and after or nil, ip.is_valid_ipv4(name) and "ipv4" or "name"
end
local function valid_name(name) return #name <= 253 and match(name, "^[%w_%-%.]+$") ~= nil and not find(name, "..", 1, true) end
local function host_validator(allow_port, allow_ip)
  return function(value)
    local name, port, kind = host_parts(value)
    if not name or (kind == "name" and not valid_name(name)) then return nil, "invalid value: " .. value end
    if port and not allow_port then return nil, "must not have a port" end
    if port and tonumber(port) > 65535 then return nil, "invalid port number" end
    if kind ~= "name" and not allow_ip then return nil, "must not be an IP" end
    return true
  end
end
local function validate_path(path)
  if not match(path, "^/[%w%.%-%_%~%/%%%:%@%!%$%&%'%(%)%*%+%,%;%=]*$") then
    return nil, "invalid path: '" .. path .. "' (characters outside of the reserved list of RFC 3986 found)", "rfc3986"
  end
  local raw = gsub(path, "%%%x%x", "___")
  if find(raw, "%", 1, true) then
    return nil, "invalid url-encoded value: '" .. raw:sub(raw:find("%%.?.?")) .. "'", "percent"
  end
  return true
end
-- Parsed as LuaSocket's socket.url.parse does; the host is checked before the scheme.
local function validate_url(url)
  local scheme, rest = match(url, "^([%w][%w%+%-%.]*):(.*)$")
  local authority = match(rest or url, "^//([^/]*)")
  local host = authority and gsub(gsub(authority, "^[^@]*@", ""), ":[^:%]]*$", "")
  if not host or host == "" then return nil, "missing host in url" end
  if not scheme then return nil, "missing scheme in url" end
  return true
end
local function pattern_validator(pattern, message)
  return function(value)
    if not match(value, pattern) then return nil, "invalid value '" .. value .. "': " .. message end
    return true
  end
end
local function pem_validator(label)
  return function(value)
    if not find(value, "-----BEGIN", 1, true) then return nil, "invalid " .. label .. ": could not parse PEM" end
    return true
  end
end

local t = {}
t.http_method = define { type = "string", match = "^%u+$" }
t.protocol = define { type = "string", one_of = constants.PROTOCOLS }
t.host = define { type = "string", custom_validator = host_validator(false, true) }
t.redis_host = t.host
t.host_with_optional_port = define { type = "string", custom_validator = host_validator(true, true) }
t.wildcard_host = define { type = "string", custom_validator = function(value)
  local stars = select(2, gsub(value, "%*", ""))
  if stars > 1 then return nil, "only one wildcard must be specified" end
  local at = find(value, "*", 1, true)
  if at and at ~= 1 and at ~= #value then return nil, "wildcard must be leftmost or rightmost character" end
  return host_validator(false, false)((gsub(value, "%*", "wildcard")))
end }
t.ip = define { type = "string", custom_validator = function(value)
  if ip.is_valid_ip(value) then return true end
  return nil, "not an ip address: " .. value
end }
t.ip_or_cidr = define { type = "string", custom_validator = function(value)
  if ip.is_valid_ip_or_cidr(value) then return true end
  return nil, "invalid ip or cidr range: '" .. value .. "'"
end }
t.cidr_v4 = define { type = "string", custom_validator = function(value)
  if ip.is_valid_ip_or_cidr_v4(value) then return true end
  return nil, "invalid ipv4 cidr range: '" .. value .. "'"
end }
t.cidr = t.cidr_v4
t.port = define { type = "integer", between = { 0, 65535 } }
t.path = define { type = "string", starts_with = "/", match_none = { { pattern = "//", err = "must not have empty segments" } }, custom_validator = validate_path }
t.url = define { type = "string", custom_validator = validate_url }
t.cookie_name = define { type = "string", custom_validator = http.validate_cookie_name }
t.header_name = define { type = "string", custom_validator = http.validate_header_name }
t.timeout = define { type = "integer", between = { 0, 2 ^ 31 - 2 } }
t.uuid = define { type = "string", uuid = true, auto = true }
t.auto_timestamp_s = define { type = "integer", timestamp = true, auto = true }
t.auto_timestamp_ms = define { type = "number", timestamp = true, auto = true }
t.no_route = define { type = "foreign", reference = "routes", eq = null }
t.no_service = define { type = "foreign", reference = "services", eq = null }
t.no_consumer = define { type = "foreign", reference = "consumers", eq = null }
t.no_consumer_group = define { type = "foreign", reference = "consumer_groups", eq = null }
t.name = define { type = "string", unique = true, custom_validator = pattern_validator("^[%w%.%-%_~]+$", "it must only contain alphanumeric and '., -, _, ~' characters") }
t.utf8_name = define { type = "string", unique = true, custom_validator = pattern_validator("^[%w%.%-%_~\128-\244]+$", "the only accepted ascii characters are alphanumerics or ., -, _, and ~") }
t.sni = define { type = "string", custom_validator = host_validator(false, false) }
t.redis_server_name = t.sni
t.certificate = define { type = "string", custom_validator = pem_validator("certificate") }
t.key = define { type = "string", custom_validator = pem_validator("key") }
t.tag = define { type = "string", required = true, custom_validator = pattern_validator("^[ \033-\043\045\046\048-\126\128-\244]+$", "expected printable ascii (except ` + "`,` and `/`" + String.raw`) or valid utf-8 sequences") }
t.tags = define { type = "set", elements = t.tag }
local http_protocols = {}
for protocol, subsystem in pairs(constants.PROTOCOLS_WITH_SUBSYSTEM) do
  if subsystem == "http" then http_protocols[#http_protocols + 1] = protocol end
end
table.sort(http_protocols)
t.protocols = define { type = "set", required = true, default = http_protocols, elements = t.protocol }
t.protocols_http = define { type = "set", required = true, default = http_protocols, elements = { type = "string", one_of = http_protocols } }
t.sources = define { type = "set", elements = { type = "record", fields = { { ip = t.ip_or_cidr }, { port = t.port } }, entity_checks = { { at_least_one_of = { "ip", "port" } } } } }
t.no_sources = define(t.sources { eq = null })
t.destinations = define { type = "set", elements = { type = "record", fields = { { ip = t.ip_or_cidr }, { port = t.port } }, entity_checks = { { at_least_one_of = { "ip", "port" } } } } }
t.no_destinations = define(t.destinations { eq = null })
t.methods = define { type = "set", elements = t.http_method }
t.no_methods = define(t.methods { eq = null })
t.hosts = define { type = "array", elements = { type = "string", match_all = { { pattern = "^[^*]*%*?[^*]*$", err = "invalid wildcard: must have at most one wildcard" } },
  match_any = { patterns = { "^%*%.", "%.%*$", "^[^*]*$" }, err = "invalid wildcard: must be placed at leftmost or rightmost label" } } }
t.no_hosts = define(t.hosts { eq = null })
t.router_path = define { type = "string", match_any = { patterns = { "^/", "^~/" }, err = "should start with: / (fixed path) or ~/ (regex path)" },
  match_none = { { pattern = "//", err = "must not have empty segments" } } }
t.router_paths = define { type = "array", elements = t.router_path }
t.no_paths = define(t.router_paths { eq = null })
t.headers = define { type = "map", keys = t.header_name, values = { type = "array", elements = { type = "string" } } }
t.no_headers = define(t.headers { eq = null })
t.semantic_version = define { type = "string", match_any = { patterns = { "^%d+[%.%d]*$", "^%d+[%.%d]*%-?.*$" }, err = "invalid version number: must be in format of X.Y.Z" },
  match_none = { { pattern = "%.%.", err = "must not have empty version segments" } } }
t.pem = define { type = "record", required = false, fields = {
  { private_key = { type = "string", required = false, referenceable = true, encrypted = true } },
  { public_key = { type = "string", referenceable = true, required = false } } },
  entity_checks = { { at_least_one_of = { "private_key", "public_key" } } } }
local jwk_fields = {}
for _, name in ipairs({ "issuer", "kty", "use", "key_ops", "alg", "kid", "x5u", "x5c", "x5t", "x5t#S256", "k", "x", "y", "crv", "n", "e", "d", "p", "q", "dp", "dq", "qi", "oth", "r", "t" }) do
  local field = (name == "key_ops" or name == "x5c") and { type = "array", required = false, elements = { type = "string", required = false } }
    or { type = "string", required = name == "kid" }
  jwk_fields[#jwk_fields + 1] = { [name] = field }
end
t.jwk = define { type = "record", required = false, fields = jwk_fields }
t.queue = require "kong.tools.queue_schema"
t.lua_code = define { type = "map", keys = { type = "string", len_min = 1 }, values = { type = "string", len_min = 1 } }
t.ttl = define { type = "number", between = { 0, constants.DATABASE.DAO_MAX_TTL } }
return setmetatable(t, { __index = function(_, key)
  error("schema typedef error: definition " .. tostring(key) .. " does not exist", 2)
end })
`;

/** `kong.tools.queue_schema`: the record `typedefs.queue` is (kong/tools/queue_schema.lua). */
const QUEUE_SCHEMA = String.raw`
return require("kong.db.schema").define { type = "record", fields = {
  { max_batch_size = { type = "integer", default = 1, between = { 1, 1000000 } } },
  { max_coalescing_delay = { type = "number", default = 1, between = { 0, 3600 } } },
  { max_entries = { type = "integer", default = 10000, between = { 1, 1000000 } } },
  { max_bytes = { type = "integer" } },
  { max_retry_time = { type = "number", default = 60 } },
  { initial_retry_delay = { type = "number", default = 0.01, between = { 0.001, 1000000 } } },
  { max_retry_delay = { type = "number", default = 60, between = { 0.001, 1000000 } } },
  { concurrency_limit = { type = "integer", default = 1, one_of = { -1, 1 } } },
} }
`;

/** `kong.tools.redis.schema`: `config_schema`, the Redis record rate-limiting-style plugins share. */
const REDIS_SCHEMA = String.raw`
local typedefs = require "kong.db.schema.typedefs"
return { config_schema = { type = "record", fields = {
  { host = typedefs.host },
  { port = typedefs.port },
  { timeout = typedefs.timeout { default = 2000 } },
  { username = { type = "string", referenceable = true } },
  { password = { type = "string", encrypted = true, referenceable = true, len_min = 0 } },
  { database = { type = "integer", default = 0 } },
  { ssl = { type = "boolean", required = false, default = false } },
  { ssl_verify = { type = "boolean", required = false, default = false } },
  { server_name = typedefs.sni { required = false } },
}, entity_checks = { { mutually_required = { "host", "port" } } } } }
`;

/** Lua source of each schema module, by module name. */
export const SCHEMA_SHIMS: Readonly<Record<string, string>> = {
  "kong.db.schema": SCHEMA,
  "kong.db.schema.typedefs": TYPEDEFS,
  "kong.tools.queue_schema": QUEUE_SCHEMA,
  "kong.tools.redis.schema": REDIS_SCHEMA,
};
