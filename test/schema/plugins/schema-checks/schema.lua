-- Every entity check of Kong's schema language (kong/db/schema/init.lua
-- Schema.entity_checkers, gated by run_entity_check), on the config record and on the
-- plugin entity (dotted names), and a custom_entity_check written here.
return {
  name = "schema-checks",
  fields = {
    { config = {
        type = "record",
        fields = {
          { a = { type = "string" } },
          { b = { type = "string" } },
          { key = { type = "string" } },
          { key_file = { type = "string" } },
          { host = { type = "string" } },
          { port = { type = "integer" } },
          { user = { type = "string" } },
          { anonymous = { type = "boolean" } },
          { p = { type = "string" } },
          { q = { type = "string" } },
          { r = { type = "string" } },
          { s = { type = "string" } },
          { primary = { type = "string" } },
          { secondary = { type = "string" } },
          { policy = { type = "string", default = "local", one_of = { "local", "redis", "cluster" } } },
          { redis_host = { type = "string" } },
          { hash_on = { type = "string", default = "none", one_of = { "none", "header", "cookie" } } },
          { hash_fallback = { type = "string", default = "none", one_of = { "none", "ip", "header", "cookie" } } },
          { auth = { type = "string", default = "none", one_of = { "none", "basic", "anonymous" } } },
          { username = { type = "string" } },
          { token = { type = "string", referenceable = true } },
          { anon_id = { type = "string" } },
          { min = { type = "integer" } },
          { max = { type = "integer" } },
          { window = { type = "integer", default = 60 } },
          { zone = {
              type = "record",
              required = false,
              fields = {
                { region = { type = "string", required = true } },
                { tier = { type = "string" } },
              },
              entity_checks = {
                { distinct = { "region", "tier" } },
              },
          } },
        },
        entity_checks = {
          { at_least_one_of = { "a", "b" } },
          { only_one_of = { "key", "key_file" } },
          { mutually_required = { "host", "port" } },
          { mutually_exclusive = { "user", "anonymous", "token" } },
          { mutually_exclusive_sets = { set1 = { "p", "q" }, set2 = { "r", "s" } } },
          { distinct = { "primary", "secondary" } },
          { conditional = {
              if_field = "policy", if_match = { eq = "redis" },
              then_field = "redis_host", then_match = { required = true },
          } },
          { conditional = {
              if_field = "hash_on", if_match = { match = "^header$" },
              then_field = "hash_fallback", then_match = { one_of = { "none", "ip", "cookie" } },
              then_err = "hash_fallback may not be 'header' when %s is 'header'",
          } },
          { conditional_at_least_one_of = {
              if_field = "auth", if_match = { one_of = { "basic" } },
              then_at_least_one_of = { "username", "token" },
              else_match = { one_of = { "anonymous" } },
              else_then_at_least_one_of = { "anon_id" },
              else_then_err = "an anonymous auth needs %s",
          } },
          { custom_entity_check = {
              field_sources = { "min", "max" },
              fn = function(entity)
                if entity.min ~= ngx.null and entity.max ~= ngx.null and entity.min > entity.max then
                  return nil, "min must not exceed max"
                end
                return true
              end,
          } },
        },
    } },
  },
  entity_checks = {
    { conditional = {
        if_field = "config.policy", if_match = { eq = "cluster" },
        then_field = "config.window", then_match = { between = { 1, 3600 } },
    } },
    { custom_entity_check = {
        field_sources = { "config.policy", "protocols" },
        fn = function(entity)
          if entity.config.policy == "cluster" then
            for _, protocol in ipairs(entity.protocols) do
              if protocol == "grpc" then return nil, "the cluster policy does not serve grpc" end
            end
          end
          return true
        end,
    } },
  },
}
