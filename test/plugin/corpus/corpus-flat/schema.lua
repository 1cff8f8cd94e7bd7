local typedefs = require "kong.db.schema.typedefs"

return {
  name = "corpus-flat",
  fields = {
    { protocols = typedefs.protocols_http },
    { config = {
        type = "record",
        fields = {
          { header_name = typedefs.header_name { required = true, default = "X-Api-Version" } },
        },
    } },
  },
}
