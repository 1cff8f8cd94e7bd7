local access = require "kong.plugins.corpus-flat.access"

local FlatHandler = {
  PRIORITY = 800,
  VERSION = "0.3.0",
}

function FlatHandler:access(conf)
  access.execute(conf)
end

return FlatHandler
