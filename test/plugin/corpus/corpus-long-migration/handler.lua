local LongMigrationHandler = {
  PRIORITY = 1010,
  VERSION = "1.0.0",
}

function LongMigrationHandler:access(conf)
  local token = kong.request.get_header(conf.header_name)
  local row, err = kong.db.corpus_long_migration_tokens:select_by_token(token or "")
  if err then
    return kong.response.error(500)
  end
  if not row then
    return kong.response.error(401)
  end
  kong.service.request.set_header("X-Token-Owner", row.owner)
end

return LongMigrationHandler
