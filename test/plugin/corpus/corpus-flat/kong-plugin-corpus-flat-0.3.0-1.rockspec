package = "kong-plugin-corpus-flat"
version = "0.3.0-1"
source = {
  url = "git+https://example.com/corpus-flat.git",
}
description = {
  summary = "Requires a request header",
  license = "Apache-2.0",
}
dependencies = {}
build = {
  type = "builtin",
  modules = {
    ["kong.plugins.corpus-flat.handler"] = "handler.lua",
    ["kong.plugins.corpus-flat.access"] = "access.lua",
    ["kong.plugins.corpus-flat.schema"] = "schema.lua",
  },
}
