local util = {}

function util.tag(prefix)
  return prefix .. "-" .. ngx.var.request_id
end

return util
