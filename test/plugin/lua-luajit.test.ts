import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { analyseLua } from "pulumi-kong-plugins/render";
import { runTool } from "../helpers/tools";

/** luajit's verdict on a chunk: null when it compiles, else the line it reports. */
function luajitErrorLine(source: string): number | null {
  const result = runTool("luajit", ["-bl", "-", "/dev/null"], { input: source });
  if (result.status === 0) return null;
  const line = /:(\d+): /.exec(result.stderr)?.[1];
  assert.ok(line, `luajit names a line: ${result.stderr}`);
  return Number(line);
}

describe("Lua analysis reads calls across lines as LuaJIT does", () => {
  it("accepts a call whose '(' is on the line where a multi-line string ends", () => {
    const sources = [
      "local f = load[[\nreturn 1\n]]()\nreturn { PRIORITY = 1 }\n",
      "local f = load[==[\nreturn 1\n]==](nil)\nreturn { PRIORITY = 1 }\n",
      'local f = load"return 1\\\n"()\nreturn { PRIORITY = 1 }\n',
    ];
    for (const source of sources) {
      assert.equal(luajitErrorLine(source), null, `luajit accepts ${JSON.stringify(source)}`);
      assert.deepEqual(analyseLua([{ path: "handler.lua", content: source }]).syntaxErrors, [], source);
    }
  });

  it("still refuses a '(' that starts a new line, on the line luajit reports", () => {
    const sources = [
      "local f = print\n(f)('x')\n",
      "local f = print[[\na\n]]\n(print)('x')\n",
      "local t = setmetatable{\n}\n(print)('x')\n",
    ];
    for (const source of sources) {
      const line = luajitErrorLine(source);
      assert.notEqual(line, null, `luajit refuses ${JSON.stringify(source)}`);
      const errors = analyseLua([{ path: "handler.lua", content: source }]).syntaxErrors;
      assert.deepEqual(
        errors.map((error) => [error.line, error.message]),
        [[line, "ambiguous syntax (function call x new statement) near '('"]],
        source,
      );
    }
  });
});
