-- Every field type and attribute of Kong's schema language, with the defaults and nulls
-- process_auto_fields fills (kong/db/schema/init.lua): scalars, arrays, sets, maps, nested
-- records (required by default, kong/db/schema/entity.lua), arrays of records, json,
-- referenceable and encrypted strings, and the plugin-level consumer and protocols.
local typedefs = require "kong.db.schema.typedefs"

return {
  name = "schema-types",
  fields = {
    { consumer = typedefs.no_consumer },
    { protocols = typedefs.protocols_http },
    { config = {
        type = "record",
        fields = {
          { name = { description = "A required string without a default.", type = "string", required = true } },
          { label = { description = "An optional string without a default.", type = "string" } },
          { greeting = { type = "string", default = "hello" } },
          { ratio = { type = "number", default = 0.5 } },
          { count = { type = "integer", default = 3 } },
          { verbose = { type = "boolean", default = false } },
          { fallback = { type = "string", default = ngx.null } },
          { tags = { type = "array", default = { "a", "b" }, elements = { type = "string" } } },
          { methods = { type = "set", elements = { type = "string", one_of = { "GET", "POST", "PUT" } } } },
          { limits = {
              type = "map",
              keys = { type = "string", match = "^%l+$" },
              values = { type = "integer", between = { 1, 10 } },
          } },
          { upstream = {
              type = "record",
              fields = {
                { host = { type = "string", default = "localhost" } },
                { port = { type = "integer", default = 80 } },
                { tls = {
                    type = "record",
                    fields = {
                      { verify = { type = "boolean", default = true } },
                      { sni = { type = "string" } },
                    },
                } },
              },
          } },
          { extra = {
              type = "record",
              required = false,
              fields = {
                { note = { type = "string", required = true } },
                { level = { type = "integer", default = 1 } },
              },
          } },
          { routes = {
              type = "array",
              elements = {
                type = "record",
                fields = {
                  { path = { type = "string", required = true } },
                  { weight = { type = "integer", default = 1 } },
                  { meta = { type = "record", fields = { { owner = { type = "string", default = "ops" } } } } },
                },
              },
          } },
          { secret = { type = "string", referenceable = true, encrypted = true, len_min = 8, match = "^%w+$" } },
          { keys = { type = "array", elements = { type = "string", referenceable = true, one_of = { "k1", "k2" } } } },
          { payload = { type = "json", json_schema = { inline = {
              type = { "object", "null" },
              properties = { level = { type = "integer" } },
          } } } },
        },
    } },
  },
}
