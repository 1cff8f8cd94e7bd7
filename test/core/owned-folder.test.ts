import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import { basename, dirname, join, relative } from "node:path";
import { describe, it } from "node:test";
import { MANIFEST_FILE, recoverOwnedFolder, removeOwnedFolder, writeOwnedFolder } from "../../components/core/owned-folder";
import { repoRoot, tempDir } from "../helpers/paths";
import { issuesOf } from "../helpers/tree";

/** Every file under `dir` with its text, the manifest left out. */
function tree(dir: string): Record<string, string> {
  const files: Record<string, string> = {};
  const walk = (current: string) => {
    for (const entry of readdirSync(current).sort()) {
      const path = join(current, entry);
      if (statSync(path).isDirectory()) walk(path);
      else if (entry !== MANIFEST_FILE) files[relative(dir, path)] = readFileSync(path, "utf8");
    }
  };
  walk(dir);
  return files;
}


describe("the owned-folder writer (previews, compose project folders, build contexts)", () => {
  it("writes a new folder with a manifest of what it wrote, and replaces exactly its own files later", () => {
    const dir = join(tempDir(), "out");
    writeOwnedFolder(dir, [{ path: "a.txt", content: "one" }, { path: "b/c.txt", content: "two" }]);
    assert.deepEqual(tree(dir), { "a.txt": "one", "b/c.txt": "two" });
    assert.deepEqual(Object.keys(JSON.parse(readFileSync(join(dir, MANIFEST_FILE), "utf8")).files), ["a.txt", "b/c.txt"]);
    writeOwnedFolder(dir, [{ path: "a.txt", content: "three" }]);
    assert.deepEqual(tree(dir), { "a.txt": "three" }, "a file it wrote and no longer wants is gone");
  });

  it("refuses a folder that holds files it did not write, and writes nothing", () => {
    const dir = tempDir();
    writeFileSync(join(dir, "index.ts"), "the user's program");
    const issues = issuesOf(() => writeOwnedFolder(dir, [{ path: "a.txt", content: "x" }]));
    assert.equal(issues.length, 1);
    assert.match(issues[0]?.message ?? "", /holds files kong-plugins did not write \(index\.ts\)/);
    assert.deepEqual(readdirSync(dir), ["index.ts"]);
  });

  it("refuses the program's folder and every folder that holds it, whatever their spelling", () => {
    const program = join(tempDir(), "program");
    mkdirSync(program);
    for (const target of [program, `${program}/`, join(program, ".."), join(program, "sub", "..")]) {
      const issues = issuesOf(() => writeOwnedFolder(target, [{ path: "a.txt", content: "x" }], { protectedFolders: [program] }));
      assert.match(issues[0]?.message ?? "", /whose files writing this folder would replace/, target);
    }
    writeOwnedFolder(join(program, "out"), [{ path: "a.txt", content: "x" }], { protectedFolders: [program] });
    assert.equal(readFileSync(join(program, "out", "a.txt"), "utf8"), "x", "a folder inside the program's is fine");
  });

  it("never overwrites or deletes a file it did not write or that changed since, and reports them all", () => {
    const dir = join(tempDir(), "out");
    writeOwnedFolder(dir, [{ path: "kong.yaml", content: "ours" }, { path: "old.txt", content: "ours" }]);
    writeFileSync(join(dir, "kong.yaml"), "edited by hand");
    writeFileSync(join(dir, "old.txt"), "edited too");
    writeFileSync(join(dir, ".env"), "SECRET=mine");
    const issues = issuesOf(() => writeOwnedFolder(dir, [{ path: "kong.yaml", content: "new" }, { path: ".env", content: "ours now" }]));
    assert.deepEqual(issues.map((issue) => issue.path).sort(), [".env", "kong.yaml", "old.txt"]);
    assert.deepEqual(tree(dir), { ".env": "SECRET=mine", "kong.yaml": "edited by hand", "old.txt": "edited too" });
  });

  it("keeps someone else's files through a rewrite and a removal", () => {
    const dir = join(tempDir(), "out");
    writeOwnedFolder(dir, [{ path: "docker-compose.yaml", content: "v1" }]);
    writeFileSync(join(dir, "notes.md"), "mine");
    const write = writeOwnedFolder(dir, [{ path: "docker-compose.yaml", content: "v2" }]);
    assert.deepEqual(write.kept, ["notes.md"]);
    assert.deepEqual(tree(dir), { "docker-compose.yaml": "v2", "notes.md": "mine" });
    assert.deepEqual(removeOwnedFolder(dir).kept, ["notes.md"]);
    assert.deepEqual(readdirSync(dir), ["notes.md"]);
    writeOwnedFolder(join(dir, "..", "empty"), [{ path: "a", content: "x" }]);
    removeOwnedFolder(join(dir, "..", "empty"));
    assert.equal(existsSync(join(dir, "..", "empty")), false, "a folder left empty is removed");
  });

  it("knows one folder by any spelling: relative, absolute, trailing slash, through a linked parent", () => {
    const root = tempDir();
    mkdirSync(join(root, "real"));
    symlinkSync(join(root, "real"), join(root, "link"));
    const first = writeOwnedFolder(join(root, "real", "stack"), [{ path: "a", content: "x" }]);
    const cwd = process.cwd();
    try {
      process.chdir(root);
      for (const spelling of ["real/stack", "./real/stack/", "link/stack", join(root, "link", "stack")]) {
        assert.equal(writeOwnedFolder(spelling, [{ path: "a", content: "x" }]).dir, first.dir, spelling);
      }
    } finally {
      process.chdir(cwd);
    }
  });

  it("refuses paths that leave the folder, and writes nothing", () => {
    const dir = join(tempDir(), "out");
    const issues = issuesOf(() => writeOwnedFolder(dir, [{ path: "ok.txt", content: "x" }, { path: "../escape.txt", content: "x" }, { path: "/etc/x", content: "x" }]));
    assert.deepEqual(issues.map((issue) => issue.path), ["../escape.txt", "/etc/x"]);
    assert.equal(existsSync(dir), false);
  });

  it("survives kill -9 at any moment: the old or the new folder, whole, and the next run leaves nothing behind", async () => {
    const root = tempDir("owned-kill-");
    const dir = join(root, "out");
    const version = (name: string) => Array.from({ length: 150 }, (_, index) => ({ path: `d${index % 7}/f${index}.txt`, content: `${name} ${index} ${"x".repeat(2000)}` }));
    const canonical = (files: Record<string, string>) => JSON.stringify(Object.entries(files).sort(([a], [b]) => (a < b ? -1 : 1)));
    const expected = (name: string) => canonical(Object.fromEntries(version(name).map((file) => [file.path, file.content])));
    writeOwnedFolder(dir, version("A"));
    const writer = join(repoRoot, "dist", "components", "core", "owned-folder.js");
    const script = `const { writeOwnedFolder } = require(${JSON.stringify(writer)});
      const version = (name) => Array.from({ length: 150 }, (_, index) => ({ path: \`d\${index % 7}/f\${index}.txt\`, content: \`\${name} \${index} \${"x".repeat(2000)}\` }));
      process.stdout.write("writing\\n");
      for (let turn = 0; ; turn += 1) writeOwnedFolder(${JSON.stringify(dir)}, version(turn % 2 === 0 ? "B" : "A"));`;
    const deadline = Date.now() + 20_000;
    let interrupted = 0;
    for (let kill = 0; kill < 25 && Date.now() < deadline; kill += 1) {
      const child = spawn(process.execPath, ["-e", script], { stdio: ["ignore", "pipe", "ignore"] });
      // Kill at a moment counted from when the child starts writing, not from its spawn, so that
      // a slow start on a busy machine does not make every kill land before the first write.
      await new Promise((resolve) => child.stdout.once("data", resolve));
      await new Promise((resolve) => setTimeout(resolve, 5 + ((kill * 37) % 120)));
      child.kill("SIGKILL");
      await new Promise((resolve) => child.once("exit", resolve));
      const previous = join(dirname(dir), `.${basename(dir)}.kong-plugins-previous`);
      const whole = existsSync(dir) ? tree(dir) : tree(previous);
      assert.ok([expected("A"), expected("B")].includes(canonical(whole)), `kill ${kill}: the folder is neither the old nor the new one`);
      if (readdirSync(root).length > 1) interrupted += 1;
      recoverOwnedFolder(dir);
      const recovered = tree(dir);
      assert.ok([expected("A"), expected("B")].includes(canonical(recovered)), `kill ${kill}: recovery gave neither version`);
      assert.deepEqual(readdirSync(root), ["out"], `kill ${kill}: nothing left beside the folder`);
    }
    assert.ok(interrupted >= 5, `only ${interrupted} kills landed in the middle of a write`);
  });
});
