-- SQL builders for this plugin's future migrations; there is no migrations/init.lua yet,
-- so Kong finds no migrations for the plugin.
local helpers = {}

function helpers.create_table(name, columns)
  local lines = {}
  for _, column in ipairs(columns) do
    lines[#lines + 1] = string.format('  "%s" %s', column[1], column[2])
  end
  return string.format('CREATE TABLE IF NOT EXISTS "%s" (\n%s\n);', name, table.concat(lines, ",\n"))
end

return helpers
