import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import { LuaSandbox, LuaSandboxError } from "../../components/lua/runtime";
import { LuaFailureKind, type LuaModuleTable } from "../../components/lua/protocol";
import { loadPlugin } from "../../components/lua/kong/load-plugin";
import { tempDir } from "../helpers/paths";

const plain: LuaModuleTable = { modules: { ffi: { kind: "fenced" } }, missingUnder: [] };

/** Runs `source` as `plugin.lua` in a new sandbox; returns the failure it raised, timed. */
function failureOf(source: string): { failure: LuaSandboxError; ms: number } {
  const sandbox = LuaSandbox.open(plain);
  const started = performance.now();
  try {
    sandbox.run(source, "plugin.lua");
  } catch (error) {
    if (error instanceof LuaSandboxError) return { failure: error, ms: performance.now() - started };
    throw error;
  } finally {
    sandbox.close();
  }
  assert.fail(`${source} ran to its end`);
}

describe("the Lua sandbox", () => {
  // The first request starts the worker and the VM: not part of any case's time.
  it("starts, and runs Lua 5.1/LuaJIT code plugin files use at load time", () => {
    const sandbox = LuaSandbox.open(plain);
    try {
      const values = sandbox.run(
        `local t = setmetatable({}, { __index = { x = 1 } })
         return unpack({ 1, 2 }), loadstring("return 3")(), table.getn({ 1, 2, 3 }), bit.band(0xFF, 0x0F), bit.tobit(2^32 + 5), t.x, math.pow(2, 3), type(jit), os.time()`,
        "plugin.lua",
      );
      assert.deepEqual(values, [1, 3, 3, 15, 5, 1, 8, "table", 0]);
    } finally {
      sandbox.close();
    }
  });

  for (const [name, source, kind, message] of [
    ["an endless loop", "local n = 0\nwhile true do n = n + 1 end", LuaFailureKind.Budget, /instruction budget/],
    ["an endless loop behind pcall", "while true do pcall(function() while true do end end) end", LuaFailureKind.Budget, /instruction budget/],
    ["an endless loop in a coroutine", "coroutine.wrap(function() while true do end end)()", LuaFailureKind.Budget, /instruction budget/],
    ["a memory bomb", "local t = {}\nfor i = 1, 1e9 do t[i] = string.rep('x', 1024) .. i end", LuaFailureKind.Memory, /not enough memory/],
    ["os.execute", "\nos.execute('touch /tmp/pwned')", LuaFailureKind.Fenced, /os\.execute is not available/],
    ["io.open", "\n\nlocal f = io.open('/etc/passwd')", LuaFailureKind.Fenced, /io\.open is not available/],
    ['require("ffi")', 'local ffi = require("ffi")', LuaFailureKind.Fenced, /require\("ffi"\) is not available/],
    ["require(\"ffi\") behind pcall", 'local ok = pcall(require, "ffi")\nreturn ok', LuaFailureKind.Fenced, /require\("ffi"\)/],
    ["load of bytecode", 'local f = load("\\27LuaT\\0")', LuaFailureKind.Fenced, /loading bytecode is not available/],
    ["debug", "debug.sethook()", LuaFailureKind.Fenced, /debug\.sethook is not available/],
    ["a syntax error", "local x = = 1", LuaFailureKind.Syntax, /unexpected symbol/],
  ] as const) {
    it(`stops ${name} with a typed, located error in well under a second`, () => {
      const { failure, ms } = failureOf(source);
      assert.equal(failure.failure.kind, kind, failure.message);
      assert.match(failure.failure.message, message);
      assert.equal(failure.failure.file, "plugin.lua");
      if (kind !== LuaFailureKind.Memory) assert.equal(failure.failure.line, source.split("\n").findIndex((line) => /while|execute|io\.open|ffi|load\(|debug|= =|coroutine/.test(line)) + 1);
      assert.ok(ms < 1000, `${name} took ${Math.round(ms)} ms`);
    });
  }

  it("recovers after a fatal error: the next sandbox runs normally", () => {
    failureOf("while true do end");
    const sandbox = LuaSandbox.open(plain);
    try {
      assert.deepEqual(sandbox.run("return 1 + 1", "plugin.lua"), [2]);
    } finally {
      sandbox.close();
    }
  });

  it("gives the same results in every process: no clock, no randomness, a fixed iteration order", () => {
    const script = `
      const { LuaSandbox } = require(${JSON.stringify(join(__dirname, "../../components/lua/runtime.js"))});
      const sandbox = LuaSandbox.open({ modules: {}, missingUnder: [] });
      const source = "local t = {} for i = 1, 200 do t['k' .. i] = i end local order = {} for k in pairs(t) do order[#order + 1] = k end return table.concat(order, ','), os.time(), tostring({}):len()";
      process.stdout.write(JSON.stringify(sandbox.run(source, "plugin.lua")));
      sandbox.close();`;
    const runs = [1, 2].map(() => spawnSync(process.execPath, ["-e", script], { encoding: "utf8" }).stdout);
    assert.equal(runs[0], runs[1]);
    assert.ok((runs[0] ?? "").length > 100, runs[0]);
    assert.equal(failureOf("return math.random()").failure.failure.kind, LuaFailureKind.Fenced, "math.random is fenced");
  });
});

describe("a plugin loaded against a Kong Lua tree", () => {
  it("loads Kong's own files from the tree instead of the project's shims, and records what the plugin required", () => {
    const tree = tempDir("kong-tree-");
    mkdirSync(join(tree, "kong", "db", "schema"), { recursive: true });
    writeFileSync(join(tree, "kong", "meta.lua"), 'return { version = "3.99.1", _VERSION = "3.99.1" }\n');
    writeFileSync(join(tree, "kong", "db", "schema", "typedefs.lua"), 'local ffi = require "ffi"\nreturn { tree_only = { type = "string", referenceable = true } }\n');
    const files = [
      { path: "handler.lua", content: 'local meta = require "kong.meta"\nreturn { PRIORITY = 1, VERSION = meta.version, access = function() end }\n' },
      { path: "schema.lua", content: 'local typedefs = require "kong.db.schema.typedefs"\nreturn { name = "treed", fields = { { config = { type = "record", fields = { { url = typedefs.tree_only } } } } } }\n' },
    ];
    const load = loadPlugin("treed", files, { kongLuaTree: tree });
    assert.deepEqual("value" in load.handler.http && load.handler.http.value.version, "3.99.1");
    assert.deepEqual("value" in (load.schema ?? {}) && (load.schema as { value: unknown }).value, {
      name: "treed",
      fields: [{ config: { type: "record", fields: [{ url: { type: "string", referenceable: true } }] } }],
    });
    const required = load.required.filter((use) => use.file !== "kong-loader").map((use) => `${use.file}:${use.line} ${use.module} ${use.kind}`);
    assert.deepEqual(required, [
      "handler.lua:1 kong.meta source",
      "schema.lua:1 kong.db.schema.typedefs source",
      "kong-tree/kong/db/schema/typedefs.lua:1 ffi unknown",
      "handler.lua:1 kong.meta source",
    ]);
  });
});
