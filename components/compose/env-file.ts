import { IssueCollector } from "../core/errors";

// Two readers take the project's `.env`, and each must read every value back exactly:
// - docker-compose 1.29 reads it with python-dotenv 0.21 (dotenv/parser.py, variables.py): in
//   single quotes it decodes `\'` and `\\`; in double quotes `\\`, `\'`, `\"` and `\a\b\f\n\r\t\v`;
//   a backslash before the closing quote, in either quotes, escapes that quote. It then expands
//   `${NAME}` and `${NAME:-default}` in EVERY value, quoted or not, and no escape stops it; a
//   bare `$` or `$NAME` it leaves alone.
// - Compose v2 (https://docs.docker.com/compose/how-tos/environment-variables/variable-interpolation/#env-file-syntax):
//   single-quoted values are used literally, but for `\'`; double-quoted values decode `\n`,
//   `\r`, `\t`, `\\`, `\"` (compose-go's dotenv/parser.go) and expand `$NAME` and `${NAME}`.
// So a value without `$` is written double-quoted with `\`, `"`, line feed and carriage return
// escaped: both decode exactly those escapes, and neither has anything to expand. A value with
// `$` can only be single-quoted, with `'` as `\'`: both read that literally. Refused is what one
// of them would still change: a backslash at the end (python-dotenv's escaped closing quote),
// and, with `$`, python-dotenv's `${...}`, a backslash before a `\` or a `'`, or a line break.

/** python-dotenv 0.21's `${NAME}` / `${NAME:-default}` (dotenv/variables.py `_posix_variable`). */
const DOTENV_EXPANSION = /\$\{[^}:]*(?::-[^}]*)?\}/;
const DECODED_BACKSLASH = /\\[\\']/;

const REFUSALS: readonly { readonly test: (value: string) => boolean; readonly reason: string }[] = [
  { test: (value) => value.includes("\0"), reason: "holds a NUL character, which no environment variable can carry" },
  { test: (value) => value.endsWith("\\"), reason: "ends with a backslash, which docker-compose 1.29 takes for an escaped closing quote" },
  { test: (value) => value.includes("$") && /[\n\r]/.test(value), reason: "holds `$` and a line break" },
  { test: (value) => value.includes("$") && DECODED_BACKSLASH.test(value), reason: "holds `$` and a backslash before a quote or a backslash" },
  { test: (value) => DOTENV_EXPANSION.test(value), reason: "holds `${...}`, which docker-compose 1.29 expands in every .env value, quoted or not" },
];

/** The value as both readers of `.env` take it literally, or why it cannot be written so. */
function envValueText(value: string): { readonly text: string } | { readonly refused: string } {
  const refusal = REFUSALS.find((candidate) => candidate.test(value));
  if (refusal) return { refused: refusal.reason };
  if (!value.includes("$")) return { text: `"${value.replace(/[\\"]/g, "\\$&").replace(/\n/g, "\\n").replace(/\r/g, "\\r")}"` };
  return { text: `'${value.replace(/'/g, "\\'")}'` };
}

/**
 * The project's `.env`: each variable with its value, written so that docker-compose 1.29 and
 * Compose v2 both read it back exactly. A value that cannot be written so is refused, naming
 * its variable and never showing the value (these are secrets).
 * @throws KongPluginsValidationError
 */
export function renderEnvFile(variables: readonly string[], values: Readonly<Record<string, string>>): string {
  const issues = new IssueCollector();
  const lines = variables.map((variable) => {
    const written = envValueText(values[variable] ?? "");
    if ("refused" in written) {
      issues.add(variable, `cannot be written to .env so that docker-compose 1.29 and Compose v2 both read it literally: it ${written.refused}`, {
        expected: "a value not ending with a backslash, and either without `$` or without `${...}`, line breaks and a backslash before a quote or a backslash",
      });
      return "";
    }
    return `${variable}=${written.text}`;
  });
  issues.throwIfAny("the project's .env");
  return lines.join("\n") + "\n";
}
