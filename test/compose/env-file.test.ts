import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { parse as parseYaml } from "yaml";
import { KongPluginsValidationError } from "pulumi-kong-plugins";
import { renderEnvFile } from "../../components/compose/env-file";
import { dockerComposeConfig } from "../helpers/compose";
import { runProgramUnderMocks } from "../helpers/program";
import { tempDir } from "../helpers/paths";

/** What the shell around `docker-compose` defines: none of it may reach a value from `.env`. */
const SHELL = { HOME: "/should/not/appear", USER: "shell-user" };

/**
 * Each value as docker-compose 1.29 resolves it from the `.env` written for it (an environment
 * entry `V0: ${V0}` reading the file), with `$` read back once (`config` re-escapes it as `$$`).
 */
function readBack(values: readonly string[]): string[] {
  const variables = values.map((_, index) => `V${index}`);
  const envFile = renderEnvFile(variables, Object.fromEntries(values.map((value, index) => [`V${index}`, value])));
  const environment = Object.fromEntries(variables.map((variable) => [variable, `\${${variable}}`]));
  // The references are this test's own: stableYaml writes them as they are, for compose to interpolate.
  const config = dockerComposeConfig({ services: { app: { image: "busybox:1.36", environment } } }, { ".env": envFile }, SHELL);
  assert.equal(config.status, 0, config.stderr);
  const resolved: Record<string, string> = parseYaml(config.stdout).services.app.environment;
  return variables.map((variable) => String(resolved[variable] ?? "").replace(/\$\$/g, "$"));
}

function refusedVariables(values: Record<string, string>): string[] {
  try {
    renderEnvFile(Object.keys(values), values);
    return [];
  } catch (error) {
    assert.ok(error instanceof KongPluginsValidationError);
    for (const value of Object.values(values)) {
      if (value.length > 3) assert.ok(!error.message.includes(value), "the error never shows a value: they are secrets");
    }
    return error.issues.map((issue) => issue.path);
  }
}

describe("renderEnvFile", () => {
  it("writes values that docker-compose reads back exactly, expanding nothing", () => {
    const values = ["$5", "it's", '"quoted"', "back\\slash", "#hash", "  spaced  out ", "a # b", "", "$HOME", "${A:?x}", "mid\\dle", "back\\\"quote", "two\\\\slashes", "tab\there", "multi\nline\r\n", "it's $5", "$'", "é ü 日本 😀", "a=b", "`cmd`"];
    assert.deepEqual(readBack(values), values);
  });

  it("refuses, naming the variable and never the value, what one reader would still expand or decode", () => {
    const refused = {
      HOME_REFERENCE: "a${HOME}b",
      DEFAULTED: "x${UNSET:-fallback}y",
      DOLLAR_AND_LINE_BREAK: "$5\nmore",
      DOLLAR_AND_DOUBLE_BACKSLASH: "$a\\\\b",
      DOLLAR_AND_ESCAPED_QUOTE: "$a\\'b",
      TRAILING_BACKSLASH: "end\\",
      NUL: "a\0b",
    };
    assert.deepEqual(refusedVariables({ ...refused, FINE: "$5" }), Object.keys(refused));
  });

  it("any value is either read back exactly or refused for its variable", () => {
    const pieces = fc.constantFrom("$", "${", "}", "${HOME}", "${X:-d}", ":-", ":?", "'", '"', "\\", "\n", "\r", "#", " ", "\t", "=", "a", "HOME", "é");
    // NUL has its own case above; NEL is left out because `config` cannot print it (PyYAML's
    // emitter writes it raw inside quotes, and its reader folds it), not because .env loses it.
    const anyText = fc.string({ unit: "binary", maxLength: 12 }).filter((text) => !/[\0\u0085]/.test(text));
    const value = fc.oneof(fc.array(pieces, { maxLength: 8 }).map((parts) => parts.join("")), anyText);
    fc.assert(
      fc.property(fc.array(value, { minLength: 1, maxLength: 8 }), (values) => {
        const named = Object.fromEntries(values.map((text, index) => [`V${index}`, text]));
        const refused = new Set(refusedVariables(named));
        const accepted = values.filter((_, index) => !refused.has(`V${index}`));
        assert.deepEqual(readBack(accepted), accepted);
      }),
      { numRuns: 25 },
    );
  });

  it("fails ComposeStack with writeEnvFile as a ResourceError naming the variable, never the password", () => {
    const run = runProgramUnderMocks(`
      const stack = new kp.ComposeStack("env", { database: "postgres", postgres: { password: pulumi.secret("pw\${HOME}-not-shown") }, outputDir: ${JSON.stringify(tempDir())}, writeEnvFile: true });
      await stack.files.promise();`);
    const error = run.errors.find((e) => e.name === "ResourceError");
    assert.ok(error, JSON.stringify(run.errors));
    assert.match(error.message, /KONG_PG_PASSWORD: cannot be written to \.env/);
    assert.ok(!error.message.includes("not-shown"));
  });
});
