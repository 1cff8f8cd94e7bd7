local subsystem = ngx.config.subsystem
local kong = kong

local BranchesHandler = {
  PRIORITY = 100000,
  VERSION = "2.0.1",
}

if subsystem == "http" then
  function BranchesHandler:rewrite(conf)
    kong.ctx.plugin.trace_id = kong.request.get_header(conf.header_name)
  end

  function BranchesHandler:access(conf)
    kong.service.request.set_header(conf.header_name, kong.ctx.plugin.trace_id or "-")
  end

  function BranchesHandler:header_filter(conf)
    kong.response.set_header(conf.header_name, kong.ctx.plugin.trace_id or "-")
  end

elseif subsystem == "stream" then
  function BranchesHandler:preread(conf)
    kong.ctx.plugin.trace_id = "stream"
  end
end

function BranchesHandler:log(conf)
  kong.log.info("trace ", kong.ctx.plugin.trace_id)
end

return BranchesHandler
