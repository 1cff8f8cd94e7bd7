local Queue = require "kong.tools.queue"

local kong = kong

local QueueHandler = {
  PRIORITY = 14,
  VERSION = "1.0.0",
}

local function send_entries(conf, entries)
  kong.log.debug("flushing ", #entries, " entries to ", conf.endpoint)
  return true
end

function QueueHandler:log(conf)
  local ok, err = Queue.enqueue(
    Queue.get_plugin_params("corpus-queue", conf),
    send_entries,
    conf,
    kong.log.serialize()
  )
  if not ok then
    kong.log.err("failed to enqueue log entry: ", err)
  end
end

return QueueHandler
