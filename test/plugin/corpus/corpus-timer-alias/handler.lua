local meta = require "kong.meta"

local timer_at = ngx.timer.at
local kong = kong

local USER_AGENT = "corpus-timer-alias/1.2.0 kong/" .. meta.version

local function send(premature, endpoint, entry)
  if premature then
    return
  end
  kong.log.debug("sending ", #entry, " bytes to ", endpoint, " as ", USER_AGENT)
end

local TimerAliasHandler = {
  PRIORITY = 12,
  VERSION = "1.2.0",
}

function TimerAliasHandler:log(conf)
  local entry = kong.log.serialize()
  local ok, err = timer_at(0, send, conf.http_endpoint, entry)
  if not ok then
    kong.log.err("failed to create timer: ", err)
  end
end

return TimerAliasHandler
