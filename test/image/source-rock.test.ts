import assert from "node:assert/strict";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import { packSourceRock, resolvePlugin, sourceRockName } from "pulumi-kong-plugins/render";
import { tempDir, testFixture } from "../helpers/paths";
import { mustRun } from "../helpers/tools";

describe("source rock", () => {
  it("installs with luarocks install a file whose path in the rock's archive is over 100 bytes, at that path", async () => {
    const plugin = resolvePlugin({ name: "long-path-plugin", version: "1.0.0", source: { directory: testFixture("plugin/fixtures/long-path-plugin") } });
    const migration = plugin.files.find((file) => file.path.startsWith("migrations/000_"));
    assert.ok(migration);
    assert.ok(`long-path-plugin/kong/plugins/long-path-plugin/${migration.path}`.length > 100, "longer than a tar header's 100-byte name field");

    const dir = tempDir();
    const rock = join(dir, sourceRockName(plugin));
    writeFileSync(rock, await packSourceRock(plugin));
    const tree = join(dir, "tree");
    mustRun("luarocks", ["install", "--deps-mode=none", "--tree", tree, rock]);
    const installed = join(tree, "share/lua/5.1/kong/plugins/long-path-plugin");
    for (const file of plugin.files) {
      assert.equal(readFileSync(join(installed, file.path), "utf8"), file.content, `${file.path} installed as is`);
    }
  });
});
