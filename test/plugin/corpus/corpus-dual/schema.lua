local typedefs = require "kong.db.schema.typedefs"

return {
  name = "corpus-dual",
  fields = {
    { protocols = typedefs.protocols { default = { "http", "https", "tcp", "tls", "grpc", "grpcs" } } },
    { config = {
        type = "record",
        fields = {
          { deny = { type = "array", elements = typedefs.ip_or_cidr } },
        },
    } },
  },
}
