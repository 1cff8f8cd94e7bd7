local typedefs = require "kong.db.schema.typedefs"

return {
  name = "corpus-big-expr",
  fields = {
    { protocols = typedefs.protocols_http },
    { config = { type = "record", fields = {} } },
  },
}
