package = "kong-plugin-rate-limit-example"
version = "1.0.0-1"
supported_platforms = { "linux", "macosx" }
source = {
  url = "rate-limit-example-1.0.0.tar.gz",
  dir = "rate-limit-example",
}
description = {
  summary = "Fixed-window rate limiting per consumer or client IP",
  license = "Apache-2.0",
}
dependencies = {
}
build = {
  type = "builtin",
  modules = {
    ["kong.plugins.rate-limit-example.handler"] = "kong/plugins/rate-limit-example/handler.lua",
    ["kong.plugins.rate-limit-example.schema"] = "kong/plugins/rate-limit-example/schema.lua",
  },
}
