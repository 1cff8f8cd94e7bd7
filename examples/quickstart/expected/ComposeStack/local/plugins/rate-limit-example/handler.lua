-- rate-limit-example: a fixed-window rate limiter.
--
-- Counts requests per consumer (or, for anonymous traffic, per client IP) in windows of
-- one second, minute or hour, and answers 429 with Retry-After once `limit` is reached.
-- Counters live in the `kong_rate_limiting_counters` shared dict that Kong's nginx
-- template declares, so they are per node and need no database.

local PERIOD_SECONDS = {
  second = 1,
  minute = 60,
  hour = 3600,
}

local COUNTERS_DICT = "kong_rate_limiting_counters"

local RateLimitExample = {
  PRIORITY = 901, -- just after Kong's rate-limiting (910): authentication has run
  VERSION = "1.0.0",
}

-- Which client a request counts against: the authenticated consumer when there is one,
-- otherwise the client address Kong trusts (honouring trusted_ips / real_ip_header).
local function identifier()
  local consumer = kong.client.get_consumer()
  if consumer and consumer.id then
    return "consumer:" .. consumer.id
  end
  return "ip:" .. (kong.client.get_forwarded_ip() or "unknown")
end

-- The current window's start and how many seconds remain until the next one.
local function current_window(period_seconds)
  local now = ngx.time()
  local window_start = now - (now % period_seconds)
  return window_start, window_start + period_seconds - now
end

local function rate_limit_headers(conf, remaining, reset)
  return {
    ["RateLimit-Limit"] = conf.limit,
    ["RateLimit-Remaining"] = remaining,
    ["RateLimit-Reset"] = reset,
    ["X-RateLimit-Limit-" .. conf.period] = conf.limit,
    ["X-RateLimit-Remaining-" .. conf.period] = remaining,
  }
end

-- Kong calls handler:access(conf); this handler keeps no state on `self`.
function RateLimitExample.access(_, conf)
  local period_seconds = PERIOD_SECONDS[conf.period]
  local window_start, reset = current_window(period_seconds)
  local key = "rate-limit-example:" .. identifier() .. ":" .. conf.period .. ":" .. window_start

  local counters = ngx.shared[COUNTERS_DICT]
  if not counters then
    -- Without the dict we cannot count; letting traffic through beats failing closed.
    kong.log.err("shared dict ", COUNTERS_DICT, " is missing; not rate limiting")
    return
  end

  -- incr with an initial value and TTL is atomic across workers, and the key expires with
  -- its window, so the dict never fills with old windows.
  local count, err = counters:incr(key, 1, 0, period_seconds)
  if not count then
    kong.log.err("could not increment counter ", key, ": ", err)
    return
  end

  local remaining = math.max(conf.limit - count, 0)
  if count > conf.limit then
    local headers = rate_limit_headers(conf, 0, reset)
    headers["Retry-After"] = reset
    return kong.response.exit(429, { message = "API rate limit exceeded" }, headers)
  end

  kong.ctx.plugin.headers = rate_limit_headers(conf, remaining, reset)
end

function RateLimitExample.header_filter(_, _)
  local headers = kong.ctx.plugin.headers
  if headers then
    kong.response.set_headers(headers)
  end
end

return RateLimitExample
