local MigrationHelpersHandler = {
  PRIORITY = 5,
  VERSION = "1.0.0",
}

function MigrationHelpersHandler:access(conf)
  kong.service.request.set_header("X-Tenant", conf.tenant)
end

return MigrationHelpersHandler
