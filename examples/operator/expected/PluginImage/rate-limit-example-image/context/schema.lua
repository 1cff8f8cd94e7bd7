local typedefs = require "kong.db.schema.typedefs"

return {
  name = "rate-limit-example",
  fields = {
    { protocols = typedefs.protocols_http },
    { config = {
        type = "record",
        fields = {
          { limit = {
              description = "How many requests a client may make in one period.",
              type = "integer",
              required = true,
              gt = 0,
          } },
          { period = {
              description = "The length of the counting window.",
              type = "string",
              required = true,
              default = "minute",
              one_of = { "second", "minute", "hour" },
          } },
        },
    } },
  },
}
