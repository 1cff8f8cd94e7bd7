import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import fc from "fast-check";
import { packPluginArchive, pluginArchiveName, renderRockspec, resolvePlugin } from "pulumi-kong-plugins/render";
import { sha256Hex } from "../../components/core/digest";
import { type ResolvedPlugin } from "pulumi-kong-plugins";
import { examplePluginDir, repoRoot, tempDir, testFixture } from "../helpers/paths";
import { mustRun } from "../helpers/tools";

const example = (): ResolvedPlugin =>
  resolvePlugin({ name: "rate-limit-example", version: "1.0.0", source: { directory: examplePluginDir }, rockspec: { license: "Apache-2.0" } });

/** Writes the archive and its rockspec into a folder, as a release would publish them. */
async function publish(plugin: ResolvedPlugin): Promise<{ dir: string; rockspecPath: string; archivePath: string }> {
  const dir = tempDir();
  const rockspec = renderRockspec(plugin);
  const archivePath = join(dir, pluginArchiveName(plugin));
  writeFileSync(archivePath, await packPluginArchive(plugin));
  const rockspecPath = join(dir, rockspec.fileName);
  writeFileSync(rockspecPath, rockspec.text);
  return { dir, rockspecPath, archivePath };
}

describe("rockspec", () => {
  it("passes luarocks lint, installs with luarocks make and packs with luarocks pack", async () => {
    const plugin = example();
    const { dir, archivePath } = await publish(plugin);
    mustRun("tar", ["-xzf", archivePath, "-C", dir]);
    const source = join(dir, "rate-limit-example");
    const rockspecName = "kong-plugin-rate-limit-example-1.0.0-1.rockspec";
    mustRun("luarocks", ["lint", rockspecName], { cwd: source });

    const tree = join(dir, "tree");
    mustRun("luarocks", ["make", "--tree", tree, rockspecName], { cwd: source });
    for (const file of ["handler.lua", "schema.lua"]) {
      const installed = join(tree, "share/lua/5.1/kong/plugins/rate-limit-example", file);
      assert.equal(readFileSync(installed, "utf8"), readFileSync(join(examplePluginDir, file), "utf8"), `${file} installed as is`);
    }

    mustRun("luarocks", ["pack", "--tree", tree, "kong-plugin-rate-limit-example", "1.0.0-1"], { cwd: dir });
    const rock = join(dir, "kong-plugin-rate-limit-example-1.0.0-1.all.rock");
    const listing = mustRun("unzip", ["-Z1", rock]);
    assert.match(listing, /^lua\/kong\/plugins\/rate-limit-example\/handler\.lua$/m);
    assert.match(listing, /^lua\/kong\/plugins\/rate-limit-example\/schema\.lua$/m);
  });

  it("builds from the archive its source.url names (luarocks build)", async () => {
    const { dir, rockspecPath } = await publish(example());
    const tree = join(dir, "tree");
    mustRun("luarocks", ["build", "--tree", tree, rockspecPath], { cwd: dir });
    assert.ok(existsSync(join(tree, "share/lua/5.1/kong/plugins/rate-limit-example/handler.lua")));
  });

  it("lists every Lua module, migrations/init.lua as the migrations package", async () => {
    const plugin = resolvePlugin({ name: "db-plugin", version: "1.0.0", source: { directory: testFixture("plugin/fixtures/db-plugin") } });
    const { dir, archivePath } = await publish(plugin);
    mustRun("tar", ["-xzf", archivePath, "-C", dir]);
    const tree = join(dir, "tree");
    mustRun("luarocks", ["make", "--tree", tree, renderRockspec(plugin).fileName], { cwd: join(dir, "db-plugin") });
    const lua = join(tree, "share/lua/5.1");
    // Kong requires these modules by name; resolve them the way Lua does.
    const found = mustRun("lua5.1", ["-e", `package.path = "${lua}/?.lua;${lua}/?/init.lua"
      for _, m in ipairs({ "kong.plugins.db-plugin.daos", "kong.plugins.db-plugin.migrations", "kong.plugins.db-plugin.migrations.000_base_db_plugin" }) do
        print(m, assert(package.loaders[2](m)) and "found")
      end`]);
    assert.equal(found.trim().split("\n").length, 3);
  });

  it("round-trips any metadata text exactly through a real Lua parser", () => {
    const plugin = example();
    const dir = tempDir();
    const summaries = fc.sample(fc.string({ unit: "binary", maxLength: 40 }).filter((s) => !/[\r\n]/.test(s)), 60);
    const details = fc.sample(fc.string({ unit: "binary", maxLength: 80 }), 60);
    const paths = summaries.map((summary, index) => {
      const path = join(dir, `${index}.rockspec`);
      writeFileSync(path, renderRockspec({ ...plugin, rockspec: { ...plugin.rockspec, summary, detailed: details[index] ?? "" } }).text);
      return path;
    });
    // Each rockspec is loaded as LuaRocks loads it (a Lua chunk setting globals); the strings
    // come back hex-encoded so any byte survives the trip through stdout.
    const script = `local function hex(s) return (s:gsub(".", function(c) return string.format("%02x", c:byte()) end)) end
      for _, path in ipairs(arg) do
        local env = {}
        setfenv(assert(loadfile(path)), env)()
        print("S=" .. hex(env.description.summary) .. " D=" .. hex(env.description.detailed))
      end`;
    const scriptPath = join(dir, "read-rockspecs.lua");
    writeFileSync(scriptPath, script);
    const lines = mustRun("lua5.1", [scriptPath, ...paths]).split("\n").slice(0, -1);
    assert.equal(lines.length, paths.length);
    lines.forEach((line, index) => {
      const [, summary, detailed] = /^S=([0-9a-f]*) D=([0-9a-f]*)$/.exec(line) ?? [];
      assert.equal(Buffer.from(summary ?? "", "hex").toString("utf8"), summaries[index]);
      assert.equal(Buffer.from(detailed ?? "", "hex").toString("utf8"), details[index]);
    });
  });
});

describe("source archive", () => {
  it("has the documented layout, owner 0/0, fixed mtime and modes", async () => {
    const { archivePath } = await publish(example());
    const listing = mustRun("tar", ["-tzvf", archivePath, "--numeric-owner", "--full-time"]).trim().split("\n");
    const names = listing.map((line) => line.split(/\s+/).pop());
    assert.deepEqual(names, [
      "rate-limit-example/",
      "rate-limit-example/INSTALL.txt",
      "rate-limit-example/README.md",
      "rate-limit-example/kong-plugin-rate-limit-example-1.0.0-1.rockspec",
      "rate-limit-example/kong/",
      "rate-limit-example/kong/plugins/",
      "rate-limit-example/kong/plugins/rate-limit-example/",
      "rate-limit-example/kong/plugins/rate-limit-example/handler.lua",
      "rate-limit-example/kong/plugins/rate-limit-example/schema.lua",
    ]);
    for (const line of listing) {
      const [mode, owner, , date, time] = line.split(/\s+/);
      assert.equal(owner, "0/0", line);
      assert.equal(`${date} ${time}`, "1970-01-01 00:00:00", line);
      assert.ok(mode === "drwxr-xr-x" || mode === "-rw-r--r--", line);
    }
  });

  it("holds the plugin files byte for byte and an INSTALL.txt with the documented steps", async () => {
    const { dir, archivePath } = await publish(example());
    mustRun("tar", ["-xzf", archivePath, "-C", dir]);
    const root = join(dir, "rate-limit-example");
    assert.equal(readFileSync(join(root, "kong/plugins/rate-limit-example/handler.lua"), "utf8"), readFileSync(join(examplePluginDir, "handler.lua"), "utf8"));
    const install = readFileSync(join(root, "INSTALL.txt"), "utf8");
    assert.match(install, /luarocks make kong-plugin-rate-limit-example-1\.0\.0-1\.rockspec/);
    assert.match(install, /KONG_PLUGINS=bundled,rate-limit-example/);
    assert.match(install, /KONG_LUA_PACKAGE_PATH=\/path\/to\/this\/folder\/\?\.lua;;/);
  });

  it("stores a path over 100 bytes whole: GNU tar and busybox tar extract it, luarocks build installs it", async () => {
    const source = testFixture("plugin/fixtures/long-path-plugin");
    const plugin = resolvePlugin({ name: "long-path-plugin", version: "1.0.0", source: { directory: source } });
    const { dir, archivePath, rockspecPath } = await publish(plugin);
    const migration = "migrations/000_base_long_path_plugin_keys_with_owner_ids.lua";
    const inArchive = `long-path-plugin/kong/plugins/long-path-plugin/${migration}`;
    assert.equal(inArchive.length, 107, "longer than a tar header's 100-byte name field");
    const content = readFileSync(join(source, migration), "utf8");

    assert.ok(mustRun("tar", ["-tzf", archivePath]).split("\n").includes(inArchive), "GNU tar lists the full path");
    for (const [tool, args] of [["tar", ["-xzf"]], ["busybox", ["tar", "-xzf"]]] as const) {
      const into = join(dir, tool);
      mkdirSync(into);
      mustRun(tool, [...args, archivePath, "-C", into]);
      assert.deepEqual(readdirSync(into), ["long-path-plugin"], `${tool} extracts nothing beside the plugin's folder`);
      assert.equal(readFileSync(join(into, inArchive), "utf8"), content, `${tool} extracts the file at its full path`);
    }

    // luarocks build unpacks the archive with its own reader (luarocks/tools/tar.lua), not with tar.
    const tree = join(dir, "tree");
    mustRun("luarocks", ["build", "--tree", tree, rockspecPath], { cwd: dir });
    assert.equal(readFileSync(join(tree, "share/lua/5.1/kong/plugins/long-path-plugin", migration), "utf8"), content);
  });

  it("is byte-for-byte identical across two processes", () => {
    const script = `const { resolvePlugin, packPluginArchive } = require("pulumi-kong-plugins/render");
      packPluginArchive(resolvePlugin({ name: "rate-limit-example", version: "1.0.0", source: { directory: ${JSON.stringify(examplePluginDir)} } }))
        .then((b) => process.stdout.write(require("node:crypto").createHash("sha256").update(b).digest("hex")));`;
    const first = execFileSync(process.execPath, ["-e", script], { cwd: repoRoot, encoding: "utf8", env: { ...process.env, TZ: "UTC" } });
    const second = execFileSync(process.execPath, ["-e", script], { cwd: repoRoot, encoding: "utf8", env: { ...process.env, TZ: "Asia/Tokyo", LANG: "ja_JP.UTF-8" } });
    assert.match(first, /^[0-9a-f]{64}$/);
    assert.equal(first, second);
  });

  it("changes digest when and only when a plugin file changes", async () => {
    const plugin = example();
    const same = sha256Hex(await packPluginArchive(plugin));
    assert.equal(sha256Hex(await packPluginArchive(example())), same);
    const files = plugin.files.map((f) => (f.path === "handler.lua" ? { ...f, content: `${f.content}-- changed\n` } : f));
    assert.notEqual(sha256Hex(await packPluginArchive({ ...plugin, files })), same);
  });
});
