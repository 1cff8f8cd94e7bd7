import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import { analyseLua, formatSyntaxError, readPluginSource } from "pulumi-kong-plugins/render";
import { mustRun } from "../helpers/tools";
import { tempDir, testFixture } from "../helpers/paths";

describe("Lua analysis", () => {
  it("reads what LuaJIT reads: a 5,000-term expression and a file starting with a UTF-8 byte order mark", () => {
    const dir = tempDir("lua-shapes-");
    const deep = `local total = ${Array.from({ length: 5000 }, () => "1").join(" + ")}\nreturn { PRIORITY = 10, VERSION = "1.0.0", access = function() return total end }\n`;
    const bom = `\uFEFFreturn { PRIORITY = 20, VERSION = "1.0.0", log = function() end }\n`;
    for (const [name, content, phase, priority] of [["deep.lua", deep, "access", 10], ["bom.lua", bom, "log", 20]] as const) {
      writeFileSync(join(dir, name), content);
      mustRun("luajit", ["-bl", join(dir, name)]);
      const analysis = analyseLua([{ path: "handler.lua", content }]);
      assert.deepEqual(analysis.syntaxErrors, [], name);
      assert.deepEqual([analysis.phases, analysis.priority], [[phase], priority], name);
    }
  });

  it("finds phases, PRIORITY, VERSION, timers, requires and the schema name of a method-style handler", () => {
    const { analysis } = readPluginSource({ directory: testFixture("plugin/fixtures/timer-plugin") });
    assert.deepEqual(analysis.phases, ["init_worker", "log"]);
    assert.equal(analysis.priority, 10);
    assert.equal(analysis.handlerVersion, "0.2.0");
    assert.equal(analysis.schemaName, "timer-plugin", "follows the local PLUGIN_NAME constant");
    assert.deepEqual(
      analysis.timers.map((t) => `${t.file}:${t.line} ${t.expression}`),
      ["handler.lua:16 kong.timer:named_every", "handler.lua:20 ngx.timer.at", "handler.lua:23 ngx.timer.every"],
      "the call through `local timer_at = ngx.timer.at` is located at the call",
    );
    assert.deepEqual(
      analysis.requires.map((r) => `${r.file}:${r.line} ${r.module}`),
      ["handler.lua:1 resty.http", "handler.lua:2 cjson.safe", "schema.lua:2 kong.db.schema.typedefs"],
    );
    assert.deepEqual(analysis.syntaxErrors, []);
  });

  it("reads a table-constructor handler with a negative PRIORITY and a [\"name\"] key in the schema", () => {
    const { analysis } = readPluginSource({ directory: testFixture("plugin/fixtures/stream-plugin") });
    assert.deepEqual(analysis.phases, ["preread", "log"], "in execution order");
    assert.equal(analysis.priority, -5);
    assert.equal(analysis.handlerVersion, "2.0.0");
    assert.equal(analysis.schemaName, "stream-plugin");
    assert.deepEqual(analysis.timers, []);
  });

  it("reads the legacy BasePlugin:extend() style (fields assigned after the fact)", () => {
    const { analysis } = readPluginSource({ directory: testFixture("plugin/fixtures/legacy-plugin") });
    assert.deepEqual(analysis.phases, ["access"]);
    assert.deepEqual(analysis.handlerFields, ["PRIORITY", "access", "new"]);
    assert.equal(analysis.priority, 1000);
    assert.equal(analysis.handlerVersion, undefined);
  });

  it("accepts LuaJIT's goto and labels, as luajit itself does", () => {
    const source = "for i = 1, 3 do\n  if i == 2 then goto continue end\n  print(i)\n  ::continue::\nend\nreturn {}\n";
    assert.deepEqual(analyseLua([{ path: "handler.lua", content: source }]).syntaxErrors, []);
    const dir = testFixture("plugin/fixtures/timer-plugin");
    mustRun("luajit", ["-bl", `${dir}/handler.lua`, "/dev/null"]);
  });

  it("reports a syntax error as file:line:col message, at the place luajit reports", () => {
    const source = "local t = {\n  a = 1,\n  b = = 2,\n}\nreturn t\n";
    const [error] = analyseLua([{ path: "schema.lua", content: source }]).syntaxErrors;
    assert.ok(error);
    assert.equal(formatSyntaxError(error), "schema.lua:3:7 <expression> expected near '='");
    const luajit = mustRunFails("luajit", ["-bl", "-", "/dev/null"], source);
    assert.match(luajit, /:3:/, "luajit agrees on the line");
  });

  it("keeps UTF-8 text in string literals intact", () => {
    const { schemaName } = analyseLua([{ path: "schema.lua", content: 'return { name = "caf\\195\\169-é" }\n' }]);
    assert.equal(schemaName, "café-é");
  });

  it("finds the config fields schema.lua marks referenceable", () => {
    const schema = `return { name = "x", fields = { { consumer = typedefs.no_consumer }, { config = { type = "record", fields = {
      { token = { type = "string", referenceable = true } }, { url = { type = "string" } }, { secret = { type = "string", referenceable = false } }, { api_key = { referenceable = true, type = "string" } },
    } } } } }\n`;
    assert.deepEqual(analyseLua([{ path: "schema.lua", content: schema }]).referenceableFields, ["api_key", "token"]);
  });

  it("records a require whose argument is computed as a dynamic require", () => {
    const { requires } = analyseLua([{ path: "handler.lua", content: 'local m = require("kong.plugins." .. name .. ".x")\nreturn {}\n' }]);
    assert.deepEqual(requires.map((r) => r.module), [null]);
  });
});

function mustRunFails(command: string, args: string[], input: string): string {
  const { spawnSync } = require("node:child_process") as typeof import("node:child_process");
  const result = spawnSync(command, args, { input, encoding: "utf8" });
  assert.notEqual(result.status, 0, `${command} should reject the input`);
  return `${result.stdout}${result.stderr}`;
}
