import assert from "node:assert/strict";
import { mkdirSync, readdirSync, readFileSync, statSync, utimesSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, it } from "node:test";
import { resolvePlugin, writeBuildContext } from "pulumi-kong-plugins/render";
import { MANIFEST_FILE } from "../../components/core/owned-folder";
import { examplePluginDir, tempDir } from "../helpers/paths";
import { mustRun } from "../helpers/tools";

function listTree(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (current: string) => {
    for (const entry of readdirSync(current)) {
      const path = join(current, entry);
      const stat = statSync(path);
      const key = relative(dir, path);
      if (stat.isDirectory()) {
        out[`${key}/`] = `${(stat.mode & 0o777).toString(8)} ${stat.mtimeMs}`;
        walk(path);
      } else {
        out[key] = `${(stat.mode & 0o777).toString(8)} ${stat.mtimeMs} ${readFileSync(path).toString("base64")}`;
      }
    }
  };
  walk(dir);
  return out;
}

/** A checkout of the example plugin made with a given umask, its files touched at a given time. */
function checkout(umask: string, seconds: number): string {
  const dir = join(tempDir(), "plugin");
  mustRun("sh", ["-c", `umask ${umask} && mkdir -p "${dir}" && cp "${examplePluginDir}"/*.lua "${dir}"/`]);
  for (const file of readdirSync(dir)) utimesSync(join(dir, file), seconds, seconds);
  return dir;
}

describe("writeBuildContext", () => {
  it("gives the same Dockerfile, digest and bytes for two checkouts made with different umask and times", async () => {
    const outputs = [];
    for (const [umask, seconds] of [["022", 1_000_000], ["077", 2_000_000_000]] as const) {
      const plugin = resolvePlugin({ name: "rate-limit-example", version: "1.0.0", source: { directory: checkout(umask, seconds) } });
      const dir = join(tempDir(), "context");
      const context = await writeBuildContext({ plugins: [plugin] }, dir);
      outputs.push({ context, tree: listTree(dir) });
    }
    const [first, second] = outputs;
    assert.equal(first?.context.digest, second?.context.digest);
    assert.equal(first?.context.dockerfile, second?.context.dockerfile);
    assert.deepEqual(first?.tree, second?.tree);
    assert.deepEqual(Object.keys(first?.tree ?? {}).sort(), [".dockerignore", MANIFEST_FILE, "Dockerfile", "plugins/", "plugins/rate-limit-example/", "plugins/rate-limit-example/handler.lua", "plugins/rate-limit-example/schema.lua"]);
    for (const value of Object.values(first?.tree ?? {})) assert.match(value, /^(644|755) 0( |$)/, "modes normalized, mtime fixed");
  });

  it("leaves nothing stale: an earlier context's files are gone; a folder of someone else's files is refused, untouched", async () => {
    const plugin = resolvePlugin({ name: "rate-limit-example", version: "1.0.0", source: { directory: examplePluginDir } });
    const other = resolvePlugin({ name: "old-plugin", version: "1.0.0", source: { files: { "handler.lua": 'return { PRIORITY = 1, VERSION = "1.0.0" }\n', "schema.lua": 'return { name = "old-plugin", fields = {} }\n' } } });
    const dir = join(tempDir(), "context");
    await writeBuildContext({ plugins: [plugin, other] }, dir);
    await writeBuildContext({ plugins: [plugin] }, dir);
    assert.deepEqual(readdirSync(join(dir, "plugins")), ["rate-limit-example"]);
    assert.deepEqual(readdirSync(dir).sort(), [".dockerignore", MANIFEST_FILE, "Dockerfile", "plugins"]);
    const theirs = join(tempDir(), "src");
    mkdirSync(theirs);
    writeFileSync(join(theirs, "secrets.env"), "TOKEN=x");
    await assert.rejects(writeBuildContext({ plugins: [plugin] }, theirs), /holds files kong-plugins did not write \(secrets\.env\)/);
    assert.deepEqual(readdirSync(theirs), ["secrets.env"]);
  });

  it("changes its digest when a plugin file changes, and only then", async () => {
    const plugin = resolvePlugin({ name: "rate-limit-example", version: "1.0.0", source: { directory: examplePluginDir } });
    const digest = (await writeBuildContext({ plugins: [plugin] }, join(tempDir(), "a"))).digest;
    assert.equal((await writeBuildContext({ plugins: [plugin] }, join(tempDir(), "b"))).digest, digest);
    const changed = { ...plugin, files: plugin.files.map((f) => (f.path === "schema.lua" ? { ...f, content: `${f.content}\n` } : f)) };
    assert.notEqual((await writeBuildContext({ plugins: [changed] }, join(tempDir(), "c"))).digest, digest);
  });
});
