-- Saved by an editor that starts the file with a UTF-8 byte order mark.
local meta = require "kong.meta"

local BomHandler = {
  PRIORITY = 3,
  VERSION = "1.0.0",
}

function BomHandler:access(conf)
  kong.service.request.set_header("X-Bom", conf.value .. " kong/" .. meta.version)
end

return BomHandler
