import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import { parse as parseYaml } from "yaml";
import { canonicalJson, stableYaml } from "../../components/core/canonical";
import { digestFiles } from "../../components/core/digest";
import { KongPluginsValidationError } from "pulumi-kong-plugins";
import { writeFilesAtomically } from "../../components/core/files";
import { tempDir } from "../helpers/paths";

describe("KongPluginsValidationError", () => {
  it("lists every issue with its path, what was received and what was expected", () => {
    const error = new KongPluginsValidationError(
      [
        { path: "config.limit", message: "must be >= 1", received: 0, expected: ">= 1" },
        { path: 'source.files["handler.lua"]', message: "is missing" },
      ],
      'plugin "x"',
    );
    assert.equal(error.message, ['2 problems in plugin "x":', "  - config.limit: must be >= 1 (received 0, expected >= 1)", '  - source.files["handler.lua"]: is missing'].join("\n"));
    assert.equal(error.issues.length, 2);
  });
});

describe("canonical output", () => {
  it("sorts keys at every depth, so key order of the input never changes the bytes", () => {
    assert.equal(canonicalJson({ b: 1, a: { d: [{ z: 1, y: 2 }], c: null } }), canonicalJson({ a: { c: null, d: [{ y: 2, z: 1 }] }, b: 1 }));
    assert.equal(stableYaml({ b: 1, a: 2 }), "a: 2\nb: 1\n");
  });

  it("quotes the strings YAML 1.1 readers would take for booleans, numbers or null", () => {
    const tricky = { a: "off", b: "yes", c: "0123", d: "1e3", e: "~", f: "null", g: "y", h: "2001-01-01", i: "0x1F" };
    const text = stableYaml(tricky);
    assert.deepEqual(parseYaml(text, { version: "1.1" }), tricky);
    assert.deepEqual(parseYaml(text, { version: "1.2" }), tricky);
  });

  it("digests a set of files independently of order, and tells apart path/content splits", () => {
    const a = { path: "a.lua", content: "x" };
    const b = { path: "b.lua", content: "y" };
    assert.equal(digestFiles([a, b]), digestFiles([b, a]));
    assert.notEqual(digestFiles([{ path: "ab", content: "c" }]), digestFiles([{ path: "a", content: "bc" }]));
  });
});

describe("writeFilesAtomically", () => {
  it("writes nothing when any path would leave the output folder", () => {
    const dir = tempDir();
    writeFilesAtomically(dir, [{ path: "keep.txt", content: "v1" }]);
    assert.throws(() => writeFilesAtomically(dir, [{ path: "keep.txt", content: "v2" }, { path: "../escape.txt", content: "x" }]), /stay inside the output folder/);
    assert.equal(readFileSync(join(dir, "keep.txt"), "utf8"), "v1");
  });

  it("replaces nothing, and leaves no temporary file, when a write fails halfway", () => {
    const dir = tempDir();
    writeFilesAtomically(dir, [{ path: "a.txt", content: "old a" }, { path: "b/c.txt", content: "old c" }]);
    // The second file cannot be written: its folder would have to be the file a.txt.
    assert.throws(() => writeFilesAtomically(dir, [{ path: "b/c.txt", content: "new c" }, { path: "a.txt/d.txt", content: "x" }]));
    assert.equal(readFileSync(join(dir, "b/c.txt"), "utf8"), "old c");
    assert.equal(readFileSync(join(dir, "a.txt"), "utf8"), "old a");
    assert.deepEqual(readdirSync(dir).sort(), ["a.txt", "b"]);
    assert.deepEqual(readdirSync(join(dir, "b")), ["c.txt"], "no temporary file left behind");
  });

  it("replaces every file once all are written", () => {
    const dir = tempDir();
    writeFilesAtomically(dir, [{ path: "a.txt", content: "old" }]);
    writeFilesAtomically(dir, [{ path: "a.txt", content: "new" }, { path: "nested/b.bin", content: new Uint8Array([0, 255]) }]);
    assert.equal(readFileSync(join(dir, "a.txt"), "utf8"), "new");
    assert.deepEqual([...readFileSync(join(dir, "nested/b.bin"))], [0, 255]);
  });
});
