local typedefs = require "kong.db.schema.typedefs"

return {
  name = "corpus-load-string",
  fields = {
    { protocols = typedefs.protocols_http },
    { config = { type = "record", fields = {} } },
  },
}
