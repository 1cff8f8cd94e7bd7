local kong = kong

local DualHandler = {
  PRIORITY = 990,
  VERSION = "3.1.0",
}

local function restrict(conf)
  local address = kong.client.get_forwarded_ip()
  for _, denied in ipairs(conf.deny or {}) do
    if denied == address then
      return kong.response.error(403, "Your IP address is not allowed")
    end
  end
end

function DualHandler:access(conf)
  return restrict(conf)
end

function DualHandler:preread(conf)
  return restrict(conf)
end

return DualHandler
