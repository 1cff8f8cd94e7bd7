import assert from "node:assert/strict";
import { join } from "node:path";
import { describe, it } from "node:test";
import { examplePluginDir, testFixture } from "../helpers/paths";
import { mustRun } from "../helpers/tools";

const files = ["handler.lua", "schema.lua"].map((file) => join(examplePluginDir, file));

describe("the example plugin rate-limit-example", () => {
  it("compiles with luajit (Kong's VM)", () => {
    for (const file of files) mustRun("luajit", ["-bl", file, "/dev/null"]);
  });

  it("passes luacheck --std ngx_lua --globals kong", () => {
    const output = mustRun("luacheck", ["--std", "ngx_lua", "--globals", "kong", "--no-color", "--", ...files]);
    assert.match(output, /Total: 0 warnings \/ 0 errors in 2 files/);
  });

  it("counts per consumer or client IP per window and answers 429 with Retry-After and RateLimit headers", () => {
    const output = mustRun("luajit", [testFixture("plugin/fixtures/rate-limit-harness.lua"), join(examplePluginDir, "handler.lua")]);
    assert.deepEqual(output.trim().split("\n"), [
      "alice 200 limit=2 remaining=1 reset=60 minute-remaining=1",
      "alice 200 limit=2 remaining=0 reset=60 minute-remaining=0",
      "alice 429 API rate limit exceeded retry-after=60 remaining=0",
      "bob 200 limit=2 remaining=1 reset=60 minute-remaining=1",
      "alice 429 API rate limit exceeded retry-after=40 remaining=0",
      "alice 200 limit=2 remaining=1 reset=60 minute-remaining=1",
      "second 200 limit=1 remaining=0 reset=1 minute-remaining=nil",
      "second 429 API rate limit exceeded retry-after=1 remaining=0",
    ]);
  });
});
