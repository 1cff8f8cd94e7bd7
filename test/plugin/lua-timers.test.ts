import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { analyseLua } from "pulumi-kong-plugins/render";
import { mustRun } from "../helpers/tools";

/** The timer uses found in one handler.lua, as `line:column expression`; luajit must compile it. */
function timers(lines: string[]): string[] {
  const content = `${lines.join("\n")}\n`;
  mustRun("luajit", ["-bl", "-", "/dev/null"], { input: content });
  const analysis = analyseLua([{ path: "handler.lua", content }]);
  assert.deepEqual(analysis.syntaxErrors, []);
  return analysis.timers.map((use) => `${use.file}:${use.line}:${use.column} ${use.expression}`);
}

describe("timer uses", () => {
  it("are located at each call through a local alias, with the aliased expression", () => {
    const found = timers([
      "local timer_at = ngx.timer.at",
      "local timer = ngx.timer",
      "local t = kong.timer",
      "local every = timer.every",
      "local kong = kong",
      "local function flush(premature) end",
      "return {",
      "  init_worker = function()",
      "    timer_at(0, flush)",
      "    timer.at(1, flush)",
      "    every(5, flush)",
      '    t:named_every("flush", 5, flush)',
      '    kong.timer:named_at("once", 0, flush)',
      "    local ok = pcall(timer_at, 0, flush)",
      "  end,",
      "}",
    ]);
    assert.deepEqual(found, [
      "handler.lua:9:5 ngx.timer.at",
      "handler.lua:10:5 ngx.timer.at",
      "handler.lua:11:5 ngx.timer.every",
      "handler.lua:12:5 kong.timer:named_every",
      "handler.lua:13:5 kong.timer:named_at",
      "handler.lua:14:22 ngx.timer.at",
    ]);
  });

  it("count an alias that is never read once, at the alias, and respect shadowing", () => {
    const found = timers([
      "local timer_at = ngx.timer.at",
      "local function run(timer_at)",
      "  timer_at(0, function() end)",
      "end",
      "local every = ngx.timer.every",
      "do",
      "  local every = print",
      '  every("not a timer")',
      "end",
      "every(5, run)",
      "return run",
    ]);
    assert.deepEqual(found, ["handler.lua:1:18 ngx.timer.at", "handler.lua:10:1 ngx.timer.every"]);
  });

  it("are not ngx.timer's counters", () => {
    const found = timers([
      "local timer = ngx.timer",
      "local pending, running = ngx.timer.pending_count(), timer.running_count()",
      "return { pending = pending, running = running }",
    ]);
    assert.deepEqual(found, []);
  });

  it("include Kong's queue (kong.tools.queue), which runs its handler in a timer, at each enqueue", () => {
    // As Kong's own plugins call it (kong/plugins/datadog/handler.lua, kong/plugins/http-log/handler.lua).
    const found = timers([
      'local Queue = require "kong.tools.queue"',
      'local enqueue = require("kong.tools.queue").enqueue',
      "local function send(conf, entries) return true end",
      'local Handler = { PRIORITY = 10, VERSION = "1.0.0" }',
      "function Handler:log(conf)",
      "  local ok, err = Queue.enqueue(",
      '    Queue.get_plugin_params("datadog", conf),',
      "    send,",
      "    conf,",
      "    kong.log.serialize()",
      "  )",
      '  enqueue(Queue.get_plugin_params("other", conf), send, conf, 1)',
      "end",
      "return Handler",
    ]);
    assert.deepEqual(found, ["handler.lua:6:19 kong.tools.queue.enqueue", "handler.lua:12:3 kong.tools.queue.enqueue"]);
  });

  it("count a timer function or namespace that escapes: stored, passed or indexed by a string", () => {
    const found = timers([
      "local M = {}",
      "M.schedule = ngx.timer.at",
      "M.timers = kong.timer",
      'ngx["timer"]["every"](1, print)',
      "return M",
    ]);
    assert.deepEqual(found, ["handler.lua:2:14 ngx.timer.at", "handler.lua:3:12 kong.timer", "handler.lua:4:1 ngx.timer.every"]);
  });
});
