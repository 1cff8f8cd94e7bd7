local TOTAL_WEIGHT = require "kong.plugins.corpus-big-expr.weights"

local BigExpressionHandler = {
  PRIORITY = 30,
  VERSION = "1.0.0",
}

function BigExpressionHandler:access(conf)
  kong.service.request.set_header("X-Total-Weight", tostring(TOTAL_WEIGHT))
end

return BigExpressionHandler
