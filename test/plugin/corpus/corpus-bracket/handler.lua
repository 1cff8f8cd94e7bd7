local kong = kong

local BracketHandler = {
  PRIORITY = 7,
  VERSION = "1.0.0",
}

BracketHandler["access"] = function(self, conf)
  kong.service.request.clear_header(conf.strip_header)
end

BracketHandler["body_filter"] = function(self, conf)
  local chunk = kong.response.get_raw_body()
  if chunk and conf.uppercase then
    kong.response.set_raw_body(chunk:upper())
  end
end

return BracketHandler
