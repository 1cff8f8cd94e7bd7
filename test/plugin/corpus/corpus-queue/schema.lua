local typedefs = require "kong.db.schema.typedefs"

return {
  name = "corpus-queue",
  fields = {
    { protocols = typedefs.protocols },
    { config = {
        type = "record",
        fields = {
          { endpoint = typedefs.url { required = true } },
          { queue = typedefs.queue },
        },
    } },
  },
}
