-- shorthand_fields as Kong processes them at the start of a record's process_auto_fields
-- (kong/db/schema/init.lua): deprecated aliases whose real field wins, current aliases that
-- win, translation into a nested record, a shorthand inside a nested record, and
-- deprecation.replaced_with's check that both values agree.
local typedefs = require "kong.db.schema.typedefs"

return {
  name = "schema-shorthands",
  fields = {
    { config = {
        type = "record",
        fields = {
          { name = { type = "string", default = "default-name" } },
          { redis = {
              type = "record",
              fields = {
                { host = typedefs.host },
                { port = typedefs.port { default = 6379 } },
                { connect_timeout = typedefs.timeout { default = 2000 } },
                { read_timeout = typedefs.timeout { default = 2000 } },
              },
              shorthand_fields = {
                { timeout = {
                    type = "integer",
                    deprecation = {
                      message = "redis.timeout is deprecated, please use redis.connect_timeout and redis.read_timeout",
                      removal_in_version = "4.0",
                      replaced_with = { { path = { "connect_timeout" } }, { path = { "read_timeout" } } },
                    },
                    func = function(value)
                      return { connect_timeout = value, read_timeout = value }
                    end,
                } },
              },
          } },
        },
        shorthand_fields = {
          { redis_host = {
              type = "string",
              translate_backwards = { "redis", "host" },
              deprecation = {
                message = "config.redis_host is deprecated, please use config.redis.host",
                removal_in_version = "4.0",
                replaced_with = { { path = { "redis", "host" } } },
              },
              func = function(value)
                return { redis = { host = value } }
              end,
          } },
          { redis_port = {
              type = "integer",
              func = function(value)
                return { redis = { port = value } }
              end,
          } },
          { old_name = {
              type = "string",
              len_max = 10,
              deprecation = {
                message = "config.old_name is deprecated, please use config.name",
                removal_in_version = "4.0",
              },
              func = function(value)
                return { name = value }
              end,
          } },
          { alias = {
              type = "string",
              func = function(value)
                return { name = value }
              end,
          } },
        },
    } },
  },
}
