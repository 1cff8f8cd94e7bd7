local typedefs = require "kong.db.schema.typedefs"

return {
  name = "corpus-migration-helpers",
  fields = {
    { protocols = typedefs.protocols_http },
    { config = {
        type = "record",
        fields = {
          { tenant = { type = "string", required = true } },
        },
    } },
  },
}
