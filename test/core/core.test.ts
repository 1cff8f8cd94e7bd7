import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { parse as parseYaml } from "yaml";
import { canonicalJson, stableYaml } from "../../components/core/canonical";
import { digestFiles } from "../../components/core/digest";
import { KongPluginsValidationError } from "pulumi-kong-plugins";

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


