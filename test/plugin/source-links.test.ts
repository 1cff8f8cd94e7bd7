import assert from "node:assert/strict";
import { cpSync, mkdirSync, symlinkSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import { KongPluginsValidationError } from "pulumi-kong-plugins";
import { readPluginSource, resolvePlugin } from "pulumi-kong-plugins/render";
import { examplePluginDir, tempDir } from "../helpers/paths";

/**
 * A folder outside the source folder holding a whole plugin repository (`kong/plugins/evil/`),
 * whose files must never be read through a link from inside the source folder.
 */
function outsideRepository(): string {
  const outside = tempDir("outside-");
  cpSync(examplePluginDir, join(outside, "kong", "plugins", "evil"), { recursive: true });
  return outside;
}

function refusal(directory: string, name = "evil"): { path: string; message: string }[] {
  try {
    const source = readPluginSource({ directory }, { name });
    assert.fail(`read ${source.files.map((file) => file.path).join(", ")} through a link`);
  } catch (error) {
    assert.ok(error instanceof KongPluginsValidationError, String(error));
    return error.issues.map(({ path, message }) => ({ path, message }));
  }
}

describe("readPluginSource never follows a link out of the source folder", () => {
  it("refuses a linked kong/", () => {
    const source = tempDir("source-");
    symlinkSync(join(outsideRepository(), "kong"), join(source, "kong"));
    assert.deepEqual(refusal(source), [{ path: "source.directory.kong", message: "is a symbolic link: plugin files are read from inside the source folder only" }]);
  });

  it("refuses a linked kong/plugins/", () => {
    const source = tempDir("source-");
    mkdirSync(join(source, "kong"));
    symlinkSync(join(outsideRepository(), "kong", "plugins"), join(source, "kong", "plugins"));
    assert.deepEqual(refusal(source).map((issue) => issue.path), ['source.directory["kong/plugins"]']);
  });

  it("refuses a linked kong/plugins/<name>/, named or found alone", () => {
    const source = tempDir("source-");
    mkdirSync(join(source, "kong", "plugins"), { recursive: true });
    symlinkSync(join(outsideRepository(), "kong", "plugins", "evil"), join(source, "kong", "plugins", "evil"));
    assert.deepEqual(refusal(source).map((issue) => issue.path), ['source.directory["kong/plugins/evil"]']);
    assert.deepEqual(
      refusal(source, undefined as never).map((issue) => issue.path),
      ['source.directory["kong/plugins/evil"]'],
    );
  });

  it("refuses a linked file inside the plugin folder, and reports it through resolvePlugin under source", () => {
    const source = tempDir("source-");
    const plugin = join(source, "kong", "plugins", "evil");
    mkdirSync(plugin, { recursive: true });
    cpSync(join(examplePluginDir, "schema.lua"), join(plugin, "schema.lua"));
    symlinkSync(join(outsideRepository(), "kong", "plugins", "evil", "handler.lua"), join(plugin, "handler.lua"));
    assert.throws(
      () => resolvePlugin({ name: "evil", version: "1.0.0", source: { directory: source } }),
      (error: KongPluginsValidationError) => error.issues.some((issue) => issue.path === 'source.directory["handler.lua"]' && /symbolic link/.test(issue.message)),
    );
  });

  it("still reads a real kong/plugins/<name>/ folder", () => {
    const source = tempDir("source-");
    cpSync(examplePluginDir, join(source, "kong", "plugins", "evil"), { recursive: true });
    assert.deepEqual(readPluginSource({ directory: source }, { name: "evil" }).files.map((file) => file.path), ["handler.lua", "schema.lua"]);
  });
});
