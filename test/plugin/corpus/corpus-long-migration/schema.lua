local typedefs = require "kong.db.schema.typedefs"

return {
  name = "corpus-long-migration",
  fields = {
    { consumer = typedefs.no_consumer },
    { protocols = typedefs.protocols_http },
    { config = {
        type = "record",
        fields = {
          { header_name = typedefs.header_name { default = "X-Token" } },
        },
    } },
  },
}
