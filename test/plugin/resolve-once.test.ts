import assert from "node:assert/strict";
import { cpSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import { KongPluginsValidationError, resolvePlugin, type PluginSpec } from "pulumi-kong-plugins/render";
import { examplePluginDir, tempDir } from "../helpers/paths";

// A program of N instances resolves its plugins N times (issue 18): each plugin is read and
// checked once per files digest and spec in a process, and a change is never missed.

const inline = (): PluginSpec => ({
  name: "rate-limit-example",
  version: "1.0.0",
  source: { files: { "handler.lua": readFileSync(join(examplePluginDir, "handler.lua"), "utf8"), "schema.lua": readFileSync(join(examplePluginDir, "schema.lua"), "utf8") } },
});

describe("resolvePlugin, once per plugin", () => {
  it("gives the same resolved plugin for an equal spec, however many times it is asked", () => {
    const first = resolvePlugin(inline());
    assert.equal(resolvePlugin(inline()), first);
    assert.notEqual(resolvePlugin({ ...inline(), version: "1.0.1" }), first, "another version is another plugin");
    assert.equal(resolvePlugin({ ...inline(), version: "1.0.1" }).version, "1.0.1");
  });

  it("reads a folder again: a changed file is seen", () => {
    const dir = join(tempDir(), "rate-limit-example");
    cpSync(examplePluginDir, dir, { recursive: true });
    const spec: PluginSpec = { name: "rate-limit-example", source: { directory: dir } };
    assert.equal(resolvePlugin(spec).version, "1.0.0");
    const handler = join(dir, "handler.lua");
    writeFileSync(handler, readFileSync(handler, "utf8").replace('VERSION = "1.0.0"', 'VERSION = "2.1.0"'));
    assert.equal(resolvePlugin(spec).version, "2.1.0");
    assert.equal(resolvePlugin(spec).facts.version, "2.1.0");
  });

  it("keeps no plugin with problems: each resolution reports them", () => {
    const broken: PluginSpec = { ...inline(), source: { files: { "handler.lua": "return {" } } };
    for (let attempt = 0; attempt < 2; attempt += 1) {
      assert.throws(() => resolvePlugin(broken), (error: unknown) => error instanceof KongPluginsValidationError && error.issues.some((issue) => issue.path === 'source.files["schema.lua"]'));
    }
  });
});
