-- Every field validator of Kong's schema language (kong/db/schema/init.lua
-- Schema.validators, run in Schema.validators_order), `err`, Lua patterns, a
-- custom_validator written here, and the typedefs plugins use most.
local typedefs = require "kong.db.schema.typedefs"

local function even(value)
  if value % 2 ~= 0 then
    return nil, "must be an even number, got " .. value
  end
  return true
end

-- A validator that fails without saying why: Kong then says "failed validating: <value>".
local function never(_)
  return false
end

return {
  name = "schema-validators",
  fields = {
    { config = {
        type = "record",
        fields = {
          { mode = { type = "string", one_of = { "fast", "safe" } } },
          { level = { type = "string", not_one_of = { "admin", "root" } } },
          { version = { type = "integer", default = 2, eq = 2 } },
          { forbidden = { type = "string", ne = "none" } },
          { limit = { type = "number", gt = 0 } },
          { fraction = { type = "number", gt = 0.5 } },
          { huge = { type = "number", gt = 1e15 } },
          { percent = { type = "integer", between = { 0, 100 } } },
          { code = { type = "string", len_eq = 4 } },
          { nick = { type = "string", len_min = 3, len_max = 5 } },
          { note = { type = "string", len_min = 0 } },
          { pair = { type = "array", len_eq = 2, elements = { type = "integer" } } },
          { word = { type = "string", match = "^%a+$" } },
          { digits = { type = "string", match = "^%d+$" } },
          { lazy = { type = "string", match = "^x-y$" } },
          { spaced = { type = "string", not_match = "%s" } },
          { token = { type = "string", match_all = {
              { pattern = "^%u", err = "must start with an upper-case letter" },
              { pattern = "%d$" },
          } } },
          { trimmed = { type = "string", match_none = {
              { pattern = "^%s", err = "must not start with a space" },
              { pattern = "%s$" },
          } } },
          { slug = { type = "string", match_any = { patterns = { "^%l+$", "^%l+%-%l+$" }, err = "must be a slug" } } },
          { ext = { type = "string", match_any = { patterns = { "%.lua$", "%.json$" } } } },
          { prefix = { type = "string", starts_with = "/api" } },
          { items = { type = "array", contains = "base", elements = { type = "string" } } },
          { pattern = { type = "string", is_regex = true } },
          { id = { type = "string", uuid = true } },
          { since = { type = "number", timestamp = true } },
          { even = { type = "integer", custom_validator = even } },
          { never = { type = "integer", custom_validator = never } },
          { transports = { type = "set",
              elements = { type = "string", one_of = { "http", "https", "tcp", "tls", "udp" } },
              mutually_exclusive_subsets = { { "http", "https" }, { "tcp", "tls", "udp" } } } },
          { colour = { type = "string", one_of = { "red", "green" }, err = "pick red or green" } },
          { must = { type = "string", ne = ngx.null, err = "must be given" } },
          { never_set = { type = "string", eq = ngx.null } },
          { small_list = { type = "array", len_max = 2, elements = { type = "string", one_of = { "a", "b" } } } },
          { url = typedefs.url },
          { host = typedefs.host },
          { port = typedefs.port },
          { ip = typedefs.ip },
          { cidr = typedefs.cidr },
          { path = typedefs.path },
          { header = typedefs.header_name },
          { timeout = typedefs.timeout { default = 60000 } },
          { ref = typedefs.uuid },
        },
    } },
  },
}
