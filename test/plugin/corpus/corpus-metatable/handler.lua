local Base = require "kong.plugins.corpus-metatable.base_handler"

local MetatableHandler = setmetatable({
  PRIORITY = 850,
  VERSION = "0.1",
}, { __index = Base })

function MetatableHandler:log(conf)
  kong.log.debug("served with ", conf.header_name)
end

return MetatableHandler
