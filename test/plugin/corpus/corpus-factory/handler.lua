return require("kong.plugins.corpus-factory.base")(1000)
