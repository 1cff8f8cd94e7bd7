-- Builds the handler table. The plugin's variants share these methods and differ only by
-- the priority they run at, so handler.lua calls this with its own.
local kong = kong

return function(priority)
  local handler = {
    PRIORITY = priority,
    VERSION = "1.4.0",
  }

  function handler:access(conf)
    kong.service.request.set_header(conf.header_name, "factory")
  end

  function handler:header_filter(conf)
    kong.response.set_header(conf.header_name, "factory")
  end

  return handler
end
