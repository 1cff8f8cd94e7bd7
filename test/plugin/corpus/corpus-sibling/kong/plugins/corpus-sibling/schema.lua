local typedefs = require "kong.db.schema.typedefs"

return {
  name = "corpus-sibling",
  fields = {
    { protocols = typedefs.protocols_http },
    { config = {
        type = "record",
        fields = {
          { prefix = { type = "string", default = "req" } },
        },
    } },
  },
}
