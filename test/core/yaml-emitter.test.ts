import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, it } from "node:test";
import fc from "fast-check";
import { parseAllDocuments } from "yaml";
import { referenceStableYaml, stableYaml } from "../../components/core/canonical";
import { YamlEmitter, type ScalarContext } from "../../components/core/yaml-emitter";
import { repoRoot } from "../helpers/paths";

// stableYaml writes most values with YamlEmitter instead of the `yaml` library, for speed
// (issue 18): the bytes must stay the library's (referenceStableYaml), everywhere.

/** Tokens that change how a scalar is written: YAML 1.1 types, indicators, breaks, odd characters. */
const TOKENS = [
  ...["<<", "=", "y", "n", "yes", "No", "on", "OFF", "true", "~", "null", "", "1e3", "0o17", "0x1F", "08", "1_000", "-0", "3.10", ".5", "12:30", ".inf", ".nan", "2001-12-14"],
  ...["\t", " ", "  ", "\n", "\n\n", "\r\n", "\r", "\u0085", "\u2028", "\ufeff", "\u007f", "\u0000", "\u00a0", "é", "😀"],
  ...["#", " #", "- ", "-", "? ", ":", ": ", "---", "...", "%", "!", "&a", "*a", "|", ">", "'", '"', "@", "`", "[", "]", "{", "}", ",", "${HOME}", "\\"],
  ...["0", "1", "10", "9", "007", "4294967295", "4294967294"],
  ...["e0", "E5", "e-1", "e123456", "y0", "x1", "0", "9", "yes1", "Null", "False"],
  ...["a", "name", "kong.yaml", "konghq.com/plugins", "http://svc:8080/api", "{vault://env/x}", "x-bench-1", "_k", "/path"],
];
const text = fc.oneof(
  fc.constantFrom(...TOKENS),
  fc.array(fc.oneof(fc.constantFrom(...TOKENS), fc.string({ unit: "binary", maxLength: 5 })), { maxLength: 5 }).map((parts) => parts.join("")),
);
const scalar = fc.oneof(text, fc.integer(), fc.double(), fc.constantFrom(-0, 1e21, 2 ** 53, 0.1, -1.5e-7), fc.boolean(), fc.constant(null));
const jsonValue = fc.letrec((tie) => ({
  value: fc.oneof({ depthSize: "small", withCrossShrink: true }, scalar, tie("array"), tie("object")),
  array: fc.array(tie("value"), { maxLength: 4 }),
  object: fc.dictionary(text, fc.oneof(tie("value"), fc.constant(undefined)), { maxKeys: 5 }),
})).value;
/** A document as stableYaml takes it: a map or a sequence at the top. */
const documentValue = fc.oneof(fc.dictionary(text, jsonValue, { maxKeys: 6 }), fc.array(jsonValue, { maxLength: 5 }));

function yamlFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    return entry.isDirectory() ? yamlFiles(path) : /\.ya?ml$/.test(entry.name) ? [path] : [];
  });
}

describe("stableYaml's writer (YamlEmitter)", () => {
  it("writes every document of every example's committed preview as the yaml library does, without falling back to it", () => {
    const writer = new YamlEmitter(() => undefined);
    const files = readdirSync(join(repoRoot, "examples")).flatMap((example) => {
      try {
        return yamlFiles(join(repoRoot, "examples", example, "expected"));
      } catch {
        return [];
      }
    });
    assert.ok(files.length >= 20, `expected the examples' YAML files, found ${files.length}`);
    let written = 0;
    for (const file of files) {
      for (const document of parseAllDocuments(readFileSync(file, "utf8"), { version: "1.1" })) {
        const value: unknown = document.toJS();
        if (value === null || typeof value !== "object") continue;
        const where = relative(repoRoot, file);
        assert.equal(stableYaml(value), referenceStableYaml(value), where);
        // The writer covers these values itself; its scalars (none needed here but plain ones) are the library's.
        const own = new YamlEmitter((scalar, context) => referenceScalar(scalar, context)).emit(value);
        assert.equal(own, referenceStableYaml(value), where);
        if (writer.emit(value) !== undefined) written += 1;
      }
    }
    assert.ok(written > 0, "some documents hold only obviously plain scalars: the writer alone writes them");
  });

  it("writes generated values byte for byte as the yaml library does: tricky strings, numbers, nesting, undefined", () => {
    fc.assert(
      fc.property(documentValue, (value) => {
        assert.equal(stableYaml(value), referenceStableYaml(value));
      }),
      { numRuns: 3000 },
    );
  });

  it("writes multi-line strings at any depth, as block scalars moved with their column", () => {
    const block = fc.array(fc.constantFrom("line", "  indented", "", "x: y", "# c", "tail "), { minLength: 2, maxLength: 5 }).map((lines) => lines.join("\n"));
    const nested = fc.letrec((tie) => ({
      value: fc.oneof({ depthSize: "small" }, block, tie("array"), tie("object")),
      array: fc.array(tie("value"), { minLength: 1, maxLength: 3 }),
      object: fc.dictionary(fc.constantFrom("a", "b", "data", "yes"), tie("value"), { minKeys: 1, maxKeys: 3 }),
    })).value;
    fc.assert(
      fc.property(fc.oneof(fc.dictionary(fc.constantFrom("k", "kong.yaml"), nested, { minKeys: 1 }), fc.array(nested, { minLength: 1, maxLength: 3 })), (value) => {
        assert.equal(stableYaml(value), referenceStableYaml(value));
      }),
      { numRuns: 1500 },
    );
  });

  it("writes the quoted and block strings it writes itself as the library does, and leaves it the others", () => {
    // Strings the library cannot write plain: indicators first, breaks, quotes, spaces at the ends.
    const part = fc.constantFrom("{", "}", "[", "-", "? ", "#", "&", "*", "!", "|", ">", "%", "@", "`", " ", "  ", "\n", "\n\n", "\n  ", "a", "b: c", '"', "'", "\\", "vault://env/x", "é", "\t");
    const odd = fc.array(part, { minLength: 1, maxLength: 8 }).map((parts) => parts.join(""));
    const lines = fc.array(fc.constantFrom('{"limit": 3,', '  "period": "minute"', "}", "local x = 1", "  return x", ""), { minLength: 2, maxLength: 6 }).map((list) => list.join("\n"));
    const string = fc.oneof(odd, lines, lines.map((text) => `${text}\n`));
    const nested = fc.letrec((tie) => ({
      value: fc.oneof({ depthSize: "small" }, string, tie("array"), tie("object")),
      array: fc.array(tie("value"), { minLength: 1, maxLength: 3 }),
      object: fc.dictionary(fc.constantFrom("config", "stringData", "k"), tie("value"), { minKeys: 1, maxKeys: 3 }),
    })).value;
    fc.assert(
      fc.property(fc.oneof(fc.dictionary(fc.constantFrom("data", "k"), nested, { minKeys: 1 }), fc.array(nested, { minLength: 1, maxLength: 3 })), (value) => {
        assert.equal(stableYaml(value), referenceStableYaml(value));
      }),
      { numRuns: 3000 },
    );
  });

  it("leaves to the library what it does not cover, with the library's bytes", () => {
    const writer = new YamlEmitter(referenceScalar);
    for (const value of ["top-level scalar", 42, null, { at: new Date(0) }, { list: [1, undefined, 2] }, { ["k".repeat(1100)]: 1 }, JSON.parse('{"__proto__": {"a": 1}, "b": 2}')]) {
      assert.equal(writer.emit(value), undefined, JSON.stringify(value));
      assert.equal(stableYaml(value), referenceStableYaml(value));
    }
  });
});

/** How the library writes one scalar (the writer's contract), for a writer built in a test. */
function referenceScalar(value: string | number, context: ScalarContext): string | undefined {
  const [written, prefix, suffix] =
    context === "topKey"
      ? [referenceStableYaml({ [value]: null }), "", ": null\n"]
      : context === "key"
        ? [referenceStableYaml({ k: { [value]: null } }), "k:\n  ", ": null\n"]
        : context === "item" ? [referenceStableYaml([value]), "- ", "\n"] : [referenceStableYaml({ k: value }), "k: ", "\n"];
  return written.startsWith(prefix) && written.endsWith(suffix) ? written.slice(prefix.length, written.length - suffix.length) : undefined;
}
