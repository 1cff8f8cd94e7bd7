local typedefs = require "kong.db.schema.typedefs"

return {
  name = "corpus-metatable",
  fields = {
    { protocols = typedefs.protocols_http },
    { config = {
        type = "record",
        fields = {
          { header_name = typedefs.header_name { default = "X-Upstream-Time" } },
        },
    } },
  },
}
