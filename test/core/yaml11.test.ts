import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { parse as parseYaml } from "yaml";
import { stableYaml } from "../../components/core/canonical";
import { composeLiteral } from "../../components/core/compose-text";
import { readsAsNonString } from "../../components/core/yaml11";
import { dockerComposeConfig } from "../helpers/compose";
import { mustRun } from "../helpers/tools";

/** Plain scalars a YAML 1.1 reader takes for something else, or refuses, and characters that trip its scanner. */
const SPECIAL_TOKENS = [
  ...["<<", "=", "y", "n", "Y", "N", "yes", "No", "on", "OFF", "true", "False", "~", "null", "NULL", ""],
  ...["1e3", "0o17", "0O17", "0x1F", "0X1f", "0b101", "0777", "08", "1_000", "1_", "-_1", "+12", "-0", "3.10", "1.", ".5", "-.5", "12:30", "190:20:30", "1:20.5"],
  ...[".inf", "-.Inf", "+.INF", ".nan", ".NaN", "2001-12-14", "2001-12-14t21:59:43.10-05:00", "2001-12-14 21:59:43.10 -5", "2001-1-2"],
  ...["\t", " ", "\n", "\r\n", "\u0085", "\u2028", "\u2029", "\ufeff", "\ufffe", "\u007f", "\u0000", "\u00a0"],
  ...["#", "- ", "-", "? ", ":", ": ", "---", "...", "%", "!", "&a", "*a", "|", ">", "'", '"', "@", "`", "[", "]", "{", "}", ",", "$", "${HOME}", "\\"],
];

/** Strings made of those tokens and of any Unicode text, alone and next to each other. */
const trickyString = fc.oneof(
  fc.constantFrom(...SPECIAL_TOKENS),
  fc.array(fc.oneof(fc.constantFrom(...SPECIAL_TOKENS), fc.string({ unit: "binary", maxLength: 6 })), { maxLength: 4 }).map((parts) => parts.join("")),
);

/** What PyYAML (the reader inside docker-compose) reads, as JSON. */
function pyYamlLoad(text: string): unknown {
  return JSON.parse(mustRun("python3", ["-c", "import yaml,sys,json; print(json.dumps(yaml.safe_load(sys.stdin)))"], { input: text }));
}

describe("stableYaml, YAML 1.1 quoting", () => {
  it("quotes the merge key and the value key, as keys and as values, so PyYAML reads them as strings", () => {
    const value = { "<<": "<<", "=": "=", list: ["<<", "="] };
    const text = stableYaml(value);
    assert.equal(text, '"<<": "<<"\n"=": "="\nlist:\n  - "<<"\n  - "="\n');
    assert.deepEqual(pyYamlLoad(text), value);
  });

  it("quotes what go-yaml reads as a number although PyYAML does not", () => {
    for (const text of ["1e3", "0o17", "0X1F", "1_0", "-_1", "08"]) assert.ok(readsAsNonString(text), text);
    for (const text of ["1.0.0", "8000:8000", "0.0.0.0:8001, 0.0.0.0:8444 ssl", "_1", "v1", "kong/kong-gateway:3.10"]) assert.ok(!readsAsNonString(text), text);
  });

  it("keeps a tab inside a block scalar (plugin source in a ConfigMap) as a block scalar", () => {
    assert.equal(stableYaml({ "handler.lua": "local x\n\treturn x\n" }), "handler.lua: |\n  local x\n  \treturn x\n");
  });

  it("every string round-trips through PyYAML and the yaml package, as a value and as a key", () => {
    fc.assert(
      fc.property(fc.array(trickyString, { minLength: 1, maxLength: 12 }), (strings) => {
        const document = { values: strings, keys: Object.fromEntries(strings.map((text, index) => [text, index])) };
        const text = stableYaml(document);
        assert.deepEqual(pyYamlLoad(text), document);
        assert.deepEqual(parseYaml(text, { version: "1.1" }), document);
        assert.deepEqual(parseYaml(text), document);
      }),
      { numRuns: 60 },
    );
  });

  it("docker-compose config accepts a compose file carrying them as environment values, and gives each back", () => {
    fc.assert(
      fc.property(fc.array(trickyString, { minLength: 1, maxLength: 12 }), (strings) => {
        const environment = Object.fromEntries(strings.map((text, index) => [`V${index}`, composeLiteral(text)]));
        const config = dockerComposeConfig({ services: { app: { image: "busybox:1.36", environment } } }, {}, { HOME: "/should/not/appear" });
        assert.equal(config.status, 0, config.stderr);
        const resolved = (pyYamlLoad(config.stdout) as { services: { app: { environment: Record<string, string> } } }).services.app.environment;
        // `config` prints a compose file again, so it re-escapes `$` as `$$`; read it back once.
        // PyYAML's own emitter writes NEL raw inside single quotes, which its reader then folds
        // (yaml.safe_dump({"a": "\x85"}) reads back as " "): the printout cannot carry NEL.
        const printable = strings.map((text, index) => [`V${index}`, text] as const).filter(([, text]) => !text.includes("\u0085"));
        assert.deepEqual(
          printable.map(([name]) => resolved[name]?.replace(/\$\$/g, "$")),
          printable.map(([, text]) => text),
        );
      }),
      { numRuns: 15 },
    );
  });
});
