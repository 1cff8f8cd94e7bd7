local typedefs = require "kong.db.schema.typedefs"

return {
  name = "corpus-branches",
  fields = {
    { protocols = typedefs.protocols },
    { config = {
        type = "record",
        fields = {
          { header_name = typedefs.header_name { default = "X-Trace-Id" } },
        },
    } },
  },
}
