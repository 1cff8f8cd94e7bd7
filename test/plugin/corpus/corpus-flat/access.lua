local _M = {}

function _M.execute(conf)
  if kong.request.get_header(conf.header_name) == nil then
    return kong.response.exit(400, { message = "missing " .. conf.header_name })
  end
end

return _M
