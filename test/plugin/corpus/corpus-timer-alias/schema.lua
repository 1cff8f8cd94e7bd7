local typedefs = require "kong.db.schema.typedefs"

return {
  name = "corpus-timer-alias",
  fields = {
    { protocols = typedefs.protocols },
    { config = {
        type = "record",
        fields = {
          { http_endpoint = typedefs.url { required = true, referenceable = true } },
          { timeout = { type = "number", default = 10000 } },
        },
    } },
  },
}
