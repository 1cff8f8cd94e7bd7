import assert from "node:assert/strict";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import fc from "fast-check";
import { packTar, type TarEntry } from "../../components/plugin/tar";
import { compareStrings } from "../../components/core/digest";
import { tempDir } from "../helpers/paths";
import { mustRun } from "../helpers/tools";
import { readTree } from "../helpers/tree";

/**
 * Unpacks with the reader `luarocks build` and `luarocks install` use for a source archive
 * (luarocks/tools/tar.lua, called by fs.unpack_archive), not with a tar program.
 */
const LUAROCKS_UNTAR = `local cfg = require("luarocks.core.cfg")
assert(cfg.init())
local fs = require("luarocks.fs")
fs.init()
assert(require("luarocks.tools.tar").untar(arg[1], arg[2]))
`;

/** The readers a plugin archive meets: LuaRocks' own, GNU tar, and busybox tar (the stand-in Kong image's userland). */
const READERS: Record<string, (tar: string, into: string, script: string) => void> = {
  luarocks: (tar, into, script) => mustRun("lua5.1", [script, tar, into]),
  "gnu tar": (tar, into) => mustRun("tar", ["-xf", tar, "-C", into]),
  "busybox tar": (tar, into) => mustRun("busybox", ["tar", "-xf", tar, "-C", into]),
};

// Segments never "." or "..", some of them UTF-8; the file name's padding takes paths from a few bytes to well past 100.
const segment = fc
  .tuple(fc.stringMatching(/^[A-Za-z0-9_-][A-Za-z0-9_.-]{0,40}$/), fc.constantFrom("", "é", "日本語"))
  .map(([ascii, other]) => ascii + other);
const filePath = fc
  .tuple(fc.array(segment, { minLength: 1, maxLength: 6 }), fc.integer({ min: 0, max: 150 }))
  .map(([segments, padding]) => `top/${segments.join("/")}${"_".repeat(padding)}`);
const files = fc
  .uniqueArray(fc.tuple(filePath, fc.string({ unit: "binary", maxLength: 1100 })), { minLength: 1, maxLength: 12, selector: ([path]) => path })
  // A path cannot be both a file and a folder.
  .filter((list) => list.every(([path]) => list.every(([other]) => !other.startsWith(`${path}/`))));

function entriesOf(list: readonly (readonly [string, string])[]): TarEntry[] {
  const folders = new Set<string>();
  for (const [path] of list) {
    const segments = path.split("/");
    for (let depth = 1; depth < segments.length; depth += 1) folders.add(`${segments.slice(0, depth).join("/")}/`);
  }
  return [
    ...[...folders].map((path): TarEntry => ({ path, mode: 0o755 })),
    ...list.map(([path, content]): TarEntry => ({ path, mode: 0o644, content: Buffer.from(content, "utf8") })),
  ].sort((a, b) => compareStrings(a.path, b.path));
}

describe("tar writer", () => {
  it("writes any path, over 100 bytes too, so that LuaRocks' reader, GNU tar and busybox tar extract exactly the files given", () => {
    const dir = tempDir();
    const script = join(dir, "untar.lua");
    writeFileSync(script, LUAROCKS_UNTAR);
    let run = 0;
    let longest = 0;
    fc.assert(
      fc.property(files, (list) => {
        run += 1;
        const tar = join(dir, `${run}.tar`);
        writeFileSync(tar, packTar(entriesOf(list)));
        const expected = new Map(list.map(([path, content]) => [path, Buffer.from(content, "utf8")]));
        longest = Math.max(longest, ...list.map(([path]) => Buffer.byteLength(path)));
        for (const [reader, extract] of Object.entries(READERS)) {
          const into = join(dir, `${run}-${reader.replace(" ", "-")}`);
          mkdirSync(into);
          extract(tar, into, script);
          assert.deepEqual(readTree(into), expected, `${reader} extracts exactly the files packed`);
        }
      }),
      { numRuns: 25 },
    );
    assert.ok(longest > 100, `the generated paths reach past the 100-byte name field (longest: ${longest})`);
  });

  it("puts a path over 100 bytes in a GNU long-name entry, not in ustar's prefix field that LuaRocks ignores", () => {
    const path = `${"folder/".repeat(15)}file.lua`;
    const tar = packTar([{ path, mode: 0o644, content: Buffer.from("return {}\n") }]);
    const [longName, file] = [tar.subarray(0, 512), tar.subarray(1024, 1536)];
    assert.equal(longName.toString("latin1", 0, 13), "././@LongLink");
    assert.equal(String.fromCharCode(longName[156] ?? 0), "L");
    assert.equal(tar.toString("utf8", 512, 512 + path.length + 1), `${path}\0`);
    assert.equal(file.toString("latin1", 0, 100), path.slice(0, 100));
    assert.ok(file.subarray(345, 500).every((byte) => byte === 0), "the prefix field is empty");
    assert.equal(mustRun("busybox", ["tar", "-tf", "-"], { input: tar }), `${path}\n`);
  });
});
