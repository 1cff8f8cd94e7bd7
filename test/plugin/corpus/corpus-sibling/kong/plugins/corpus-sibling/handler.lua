-- The shared helpers live in a sibling folder of this repository, which a package of this
-- plugin alone does not install.
local util = require "kong.plugins.corpus-sibling-lib.util"

local SiblingHandler = {
  PRIORITY = 40,
  VERSION = "1.0.0",
}

function SiblingHandler:access(conf)
  kong.service.request.set_header("X-Request-Tag", util.tag(conf.prefix))
end

return SiblingHandler
