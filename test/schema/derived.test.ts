import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import fc from "fast-check";
import { compiledValidator } from "../../components/core/ajv";
import { kongConfigCheck } from "../../components/plugin/kong-config";
import { resolvePlugin } from "pulumi-kong-plugins/render";
import { explainedByKongKeyword } from "../helpers/json-schema-path";
import { examplePluginDir, repoRoot, tempDir } from "../helpers/paths";

const HANDLER = 'return { PRIORITY = 1, VERSION = "1.0.0", access = function() end }\n';

/** A generated field: its Lua definition and a generator of values for it (good, bad and null). */
interface GeneratedField {
  readonly lua: string;
  readonly value: fc.Arbitrary<unknown>;
}

const strings = fc.constantFrom("", "a", "abc", "héllo", "12", "{vault://env/x}", "/path", "x y");
const numbers = fc.constantFrom(0, 1, -3, 2.5, 100, 65536);
const anyJson = fc.oneof(strings, numbers, fc.boolean(), fc.constant(null), fc.constant([]), fc.constant({}));
const optionalLua = (parts: readonly (string | undefined)[]) => parts.filter((part) => part !== undefined).join(", ");

/** Leaf fields with the attributes and validators JSON Schema expresses, and some it cannot. */
const leaf: fc.Arbitrary<GeneratedField> = fc.oneof(
  fc
    .record({
      required: fc.boolean(),
      oneOf: fc.option(fc.constant('one_of = { "a", "abc", "héllo" }'), { nil: undefined }),
      length: fc.option(fc.constantFrom("len_min = 0", "len_min = 3", "len_max = 4"), { nil: undefined }),
      pattern: fc.option(fc.constantFrom('match = "^%a+$"', 'starts_with = "/"', "uuid = true"), { nil: undefined }),
      referenceable: fc.option(fc.constant("referenceable = true"), { nil: undefined }),
      defaulted: fc.option(fc.constant('default = "abc"'), { nil: undefined }),
    })
    .map((f) => ({ lua: `{ ${optionalLua(['type = "string"', f.required ? "required = true" : undefined, f.oneOf, f.length, f.pattern, f.referenceable, f.defaulted])} }`, value: fc.oneof(strings, anyJson) })),
  fc
    .record({ type: fc.constantFrom("integer", "number"), required: fc.boolean(), range: fc.option(fc.constantFrom("between = { 0, 100 }", "gt = 0", "one_of = { 1, 100 }"), { nil: undefined }), defaulted: fc.boolean() })
    .map((f) => ({ lua: `{ ${optionalLua([`type = "${f.type}"`, f.required ? "required = true" : undefined, f.range, f.defaulted ? "default = 1" : undefined])} }`, value: fc.oneof(numbers, anyJson) })),
  fc.record({ required: fc.boolean() }).map((f) => ({ lua: `{ type = "boolean"${f.required ? ", required = true" : ""} }`, value: fc.oneof(fc.boolean(), anyJson) })),
  fc
    .record({ type: fc.constantFrom("array", "set"), element: fc.constantFrom('{ type = "string" }', '{ type = "integer", between = { 1, 9 } }'), count: fc.option(fc.constantFrom("len_min = 1", "len_max = 2"), { nil: undefined }) })
    .map((f) => ({ lua: `{ ${optionalLua([`type = "${f.type}"`, `elements = ${f.element}`, f.count])} }`, value: fc.oneof(fc.array(fc.oneof(strings, numbers, fc.constant(null)), { maxLength: 3 }), anyJson) })),
  fc.constant({ lua: '{ type = "map", keys = { type = "string" }, values = { type = "integer" } }', value: fc.oneof(fc.dictionary(fc.constantFrom("", "k", "x"), fc.oneof(numbers, strings)), anyJson) }),
);

/** A record of 1-3 fields, one of which may be a nested record of leaves. */
function recordOf(fields: fc.Arbitrary<GeneratedField>): fc.Arbitrary<GeneratedField & { readonly names: readonly string[] }> {
  return fc
    .record({ entries: fc.uniqueArray(fc.tuple(fc.constantFrom("a", "b", "c", "d"), fields), { minLength: 1, maxLength: 3, selector: ([name]) => name }), required: fc.boolean() })
    .map(({ entries, required }) => ({
      names: entries.map(([name]) => name),
      lua: `{ type = "record"${required ? "" : ", required = false"}, fields = { ${entries.map(([name, field]) => `{ ${name} = ${field.lua} }`).join(", ")} } }`,
      value: fc.oneof(
        { weight: 4, arbitrary: fc.record(Object.fromEntries(entries.map(([name, field]) => [name, field.value])), { requiredKeys: [] }) },
        { weight: 1, arbitrary: fc.record({ ...Object.fromEntries(entries.map(([name, field]) => [name, field.value])), extra: fc.constant(1) }, { requiredKeys: ["extra"] }) },
        { weight: 1, arbitrary: anyJson },
      ),
    }));
}

const configRecord = recordOf(fc.oneof({ weight: 3, arbitrary: leaf }, { weight: 1, arbitrary: recordOf(leaf) }));

describe("the JSON Schema derived from schema.lua, against Kong's validator", () => {
  it("never refuses a config Kong accepts, and where Kong refuses one it accepts, says why in an x-kong-* keyword (generated schemas and configs)", () => {
    let kongRefusals = 0;
    let schemaRefusals = 0;
    fc.assert(
      fc.property(configRecord.chain((config) => fc.tuple(fc.constant(config.lua), fc.array(config.value, { minLength: 10, maxLength: 10 }))), ([configLua, values]) => {
        const schemaLua = `return { name = "generated", fields = { { config = ${configLua} } } }\n`;
        const plugin = resolvePlugin({ name: "generated", version: "1.0.0", source: { files: { "handler.lua": HANDLER, "schema.lua": schemaLua } } });
        const validate = compiledValidator(plugin.configSchema as object);
        for (const value of values) {
          const record = value !== null && typeof value === "object" && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
          if (record === undefined) continue;
          const kong = (kongConfigCheck(plugin, { config: record })?.issues ?? []).filter((issue) => issue.path.startsWith("config"));
          const schemaAccepts = validate(record) as boolean;
          if (!schemaAccepts) schemaRefusals += 1;
          if (kong.length > 0) kongRefusals += 1;
          assert.ok(schemaAccepts || kong.length > 0, `the JSON Schema refused ${JSON.stringify(record)}, which Kong accepts: ${JSON.stringify(validate.errors)}\n${schemaLua}`);
          if (schemaAccepts) {
            for (const issue of kong) {
              assert.ok(explainedByKongKeyword(plugin.configSchema as Record<string, unknown>, issue.path), `Kong refused ${JSON.stringify(record)} (${issue.path}: ${issue.message}) and the JSON Schema accepts it without an x-kong-* keyword on the way\n${schemaLua}\n${JSON.stringify(plugin.configSchema)}`);
            }
          }
        }
      }),
      { numRuns: 60, seed: 20261123 },
    );
    // Two-sided: the generated configs are refused and accepted, by both.
    assert.ok(kongRefusals > 50 && schemaRefusals > 50, `Kong refused ${kongRefusals}, the JSON Schema ${schemaRefusals}`);
  });
});

describe("the TypeScript declaration derived from schema.lua", () => {
  it("type-checks a config Kong accepts and refuses a field schema.lua does not have or a value outside one_of (tsc)", () => {
    const run = spawnSync(process.execPath, [join(repoRoot, "dist/cli/kong-plugins.js"), "types", examplePluginDir], { encoding: "utf8" });
    assert.equal(run.status, 0, run.stderr);
    const dir = tempDir("types-");
    mkdirSync(join(dir, "src"));
    writeFileSync(join(dir, "src", "config.d.ts"), run.stdout);
    const check = (body: string) => {
      writeFileSync(join(dir, "src", "use.ts"), `import type { RateLimitExampleConfig } from "./config";\nexport const config: RateLimitExampleConfig = ${body};\n`);
      return spawnSync(process.execPath, [join(repoRoot, "node_modules/typescript/bin/tsc"), "--noEmit", "--strict", join(dir, "src", "use.ts")], { encoding: "utf8" });
    };
    assert.equal(check(`{ limit: 100, period: "minute" }`).status, 0);
    assert.equal(check(`{ limit: 100 }`).status, 0, "period has a default");
    assert.match(check(`{ limit: 100, period: "week" }`).stdout, /"week"/);
    assert.match(check(`{ limit: 100, message: "x" }`).stdout, /message/);
    assert.match(check(`{ period: "hour" }`).stdout, /limit/);
  });
});
