local typedefs = require "kong.db.schema.typedefs"

return {
  name = "corpus-bom",
  fields = {
    { protocols = typedefs.protocols_http },
    { config = {
        type = "record",
        fields = {
          { value = { type = "string", default = "yes" } },
        },
    } },
  },
}
