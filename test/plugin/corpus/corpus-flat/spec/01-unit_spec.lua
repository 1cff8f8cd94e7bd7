local PLUGIN_NAME = "corpus-flat"

describe(PLUGIN_NAME .. ": (schema)", function()
  local schema = require("kong.plugins." .. PLUGIN_NAME .. ".schema")

  it("names the plugin", function()
    assert.equal(PLUGIN_NAME, schema.name)
  end)
end)
