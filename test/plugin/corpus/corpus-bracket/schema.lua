-- No protocols field: the plugins entity then allows every protocol.
return {
  name = "corpus-bracket",
  fields = {
    { config = {
        type = "record",
        fields = {
          { strip_header = { type = "string", default = "X-Internal" } },
          { uppercase = { type = "boolean", default = false } },
        },
    } },
  },
}
