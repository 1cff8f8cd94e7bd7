-- schema-types: a test plugin of the schema validation corpus (test/schema/validation.test.ts).
-- Only its schema.lua matters; the handler does nothing at request time.
local Handler = {
  PRIORITY = 10,
  VERSION = "1.0.0",
}

function Handler:access(conf) -- luacheck: ignore 212
end

return Handler
