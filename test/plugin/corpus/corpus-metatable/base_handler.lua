-- Timing shared by this plugin family's handlers; handler.lua inherits it through __index.
local kong = kong
local now = ngx.now

local Base = {}

function Base:access(conf)
  kong.ctx.plugin.started_at = now()
end

function Base:header_filter(conf)
  local started_at = kong.ctx.plugin.started_at
  if started_at then
    kong.response.set_header(conf.header_name, string.format("%.3f", now() - started_at))
  end
end

return Base
