import assert from "node:assert/strict";
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, utimesSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import { projectFolderProvider } from "../../components/compose/project-folder";
import { MANIFEST_FILE } from "../../components/core/owned-folder";
import { tempDir, testFixture } from "../helpers/paths";
import { linkedProject } from "../helpers/program";
import { mustRun } from "../helpers/tools";

type Outs = { dir: string; written: Record<string, string> };
const provider = projectFolderProvider as Required<typeof projectFolderProvider>;
const read = (dir: string, path: string) => readFileSync(join(dir, path), "utf8");

async function create(dir: string, files: Record<string, string>): Promise<Outs> {
  return (await provider.create({ dir, files })).outs as Outs;
}

describe("the compose folder's dynamic provider, serialized by Pulumi from a clone", () => {
  it("loads and writes as Pulumi's dynamic provider host runs it: this tree's modules travel by value", () => {
    const project = linkedProject("export {};\n");
    const folder = join(tempDir(), "local-stack");
    const result = JSON.parse(mustRun(process.execPath, [testFixture("package/fixtures/consumer/materialize-folder.js"), folder], { cwd: project }));
    assert.doesNotMatch(result.serialized, /require\("[^"]*(pulumi-kong-plugins|components)\//, "no require of this package's own modules");
    assert.deepEqual(result.written, [".env.example", "docker-compose.yaml", "kong.yaml"]);
    assert.match(read(folder, "docker-compose.yaml"), /^services:\n  kong:/);
  });
});

describe("the compose folder's dynamic provider, called directly", () => {
  it("refuses an outputDir holding someone else's files, and never deletes or overwrites them", async () => {
    const dir = join(tempDir(), "project");
    mkdirSync(dir);
    writeFileSync(join(dir, "kong.yaml"), "hand-written");
    await assert.rejects(create(dir, { "kong.yaml": "rendered" }), /holds files kong-plugins did not write \(kong\.yaml\)/);
    assert.equal(read(dir, "kong.yaml"), "hand-written");
  });

  it("sees a file edited on disk as a change, and refuses to overwrite it, naming it", async () => {
    const dir = join(tempDir(), "project");
    const outs = await create(dir, { "kong.yaml": "rendered" });
    writeFileSync(join(dir, "kong.yaml"), "edited");
    assert.equal((await provider.diff(dir, outs, { dir, files: { "kong.yaml": "rendered" } })).changes, true);
    await assert.rejects(provider.update(dir, outs, { dir, files: { "kong.yaml": "rendered" } }), /kong\.yaml: changed since kong-plugins wrote it/);
    assert.equal(read(dir, "kong.yaml"), "edited");
  });

  it("takes `stack`, `./stack` and the absolute path for one folder: no replacement, no files lost", async () => {
    const root = tempDir();
    const cwd = process.cwd();
    try {
      process.chdir(root);
      const outs = await create("stack", { "kong.yaml": "k" });
      for (const spelling of ["./stack", "stack/", join(root, "stack")]) {
        const diff = await provider.diff("stack", outs, { dir: spelling, files: { "kong.yaml": "k" } });
        assert.equal(diff.replaces, undefined, spelling);
        assert.equal(diff.changes, false, spelling);
      }
      assert.equal(read(root, "stack/kong.yaml"), "k");
    } finally {
      process.chdir(cwd);
    }
  });

  it("creates every file, and reports their digests as its state", async () => {
    const dir = join(tempDir(), "project");
    const outs = await create(dir, { "docker-compose.yaml": "services: {}\n", "plugins/p/handler.lua": "return {}\n" });
    assert.equal(read(dir, "docker-compose.yaml"), "services: {}\n");
    assert.equal(read(dir, "plugins/p/handler.lua"), "return {}\n");
    assert.deepEqual(Object.keys(outs.written).sort(), ["docker-compose.yaml", "plugins/p/handler.lua"]);
    assert.match(outs.written["docker-compose.yaml"] ?? "", /^[0-9a-f]{64}$/);
  });

  it("diffs by content hash: no change for the same content, a change for new content, a replacement for a new folder", async () => {
    const dir = join(tempDir(), "project");
    const outs = await create(dir, { "a.txt": "one" });
    assert.equal((await provider.diff(dir, outs, { dir, files: { "a.txt": "one" } })).changes, false);
    assert.equal((await provider.diff(dir, outs, { dir, files: { "a.txt": "two" } })).changes, true);
    assert.equal((await provider.diff(dir, outs, { dir, files: { "a.txt": "one", "b.txt": "" } })).changes, true);
    assert.deepEqual((await provider.diff(dir, outs, { dir: `${dir}-moved`, files: { "a.txt": "one" } })).replaces, ["dir"]);
  });

  it("updates only the changed files and removes the ones no longer wanted", async () => {
    const dir = join(tempDir(), "project");
    const outs = await create(dir, { "same.txt": "same", "changed.txt": "old", "gone/file.txt": "bye" });
    utimesSync(join(dir, "same.txt"), 1000, 1000);
    const updated = (await provider.update(dir, outs, { dir, files: { "same.txt": "same", "changed.txt": "new" } })).outs as Outs;
    assert.equal(statSync(join(dir, "same.txt")).mtimeMs, 1_000_000, "an unchanged file is not rewritten");
    assert.equal(read(dir, "changed.txt"), "new");
    assert.ok(!existsSync(join(dir, "gone")), "a file no longer wanted, and its emptied folder, are removed");
    assert.deepEqual(Object.keys(updated.written).sort(), ["changed.txt", "same.txt"]);
  });

  it("leaves the previous files intact when an update fails halfway", async () => {
    const dir = join(tempDir(), "project");
    const outs = await create(dir, { "docker-compose.yaml": "old compose", "kong.yaml": "old kong" });
    // The second new file cannot be written: its folder would have to be the file kong.yaml.
    await assert.rejects(provider.update(dir, outs, { dir, files: { "docker-compose.yaml": "new compose", "kong.yaml": "old kong", "kong.yaml/x": "y" } }));
    assert.equal(read(dir, "docker-compose.yaml"), "old compose");
    assert.equal(read(dir, "kong.yaml"), "old kong");
    assert.deepEqual(readdirSync(dir).sort(), [MANIFEST_FILE, "docker-compose.yaml", "kong.yaml"]);
    assert.deepEqual(readdirSync(join(dir, "..")), ["project"], "no staging folder left beside it");
  });

  it("deletes exactly the files it wrote and leaves foreign files alone", async () => {
    const dir = join(tempDir(), "project");
    const outs = await create(dir, { "docker-compose.yaml": "c", "plugins/p/handler.lua": "h", "plugins/p/schema.lua": "s" });
    writeFileSync(join(dir, ".env"), "KONG_PG_PASSWORD=mine\n");
    mkdirSync(join(dir, "plugins", "mine"), { recursive: true });
    writeFileSync(join(dir, "plugins", "mine", "notes.txt"), "keep");
    await provider.delete(dir, outs);
    assert.deepEqual(readdirSync(dir).sort(), [".env", "plugins"], "the manifest goes with the files it listed");
    assert.deepEqual(readdirSync(join(dir, "plugins")), ["mine"]);
    assert.equal(read(dir, ".env"), "KONG_PG_PASSWORD=mine\n");
  });

  it("writes a .env readable by its owner only", async () => {
    const dir = join(tempDir(), "project");
    await create(dir, { ".env": "SECRET=x\n", "kong.yaml": "k" });
    assert.equal(statSync(join(dir, ".env")).mode & 0o777, 0o600);
    assert.equal(statSync(join(dir, "kong.yaml")).mode & 0o777, 0o644);
  });
});
