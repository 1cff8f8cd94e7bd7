local typedefs = require "kong.db.schema.typedefs"

return {
  {
    name = "corpus_long_migration_tokens",
    primary_key = { "id" },
    cache_key = { "token" },
    endpoint_key = "token",
    fields = {
      { id = typedefs.uuid },
      { created_at = typedefs.auto_timestamp_s },
      { owner = { type = "string", required = true } },
      { token = { type = "string", required = true, unique = true } },
    },
  },
}
