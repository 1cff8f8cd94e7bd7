import type { JsonValue } from "./canonical";

/**
 * A `${VAR}` reference this library writes into a compose file on purpose, for compose to
 * interpolate. It is the only way a `$` reaches a compose file unescaped: every plain string
 * goes through {@link composeDocument}, which doubles its `$`.
 */
export class ComposeVariableReference {
  private constructor(
    /** The reference as compose reads it, e.g. `${KONG_PG_PASSWORD:?set KONG_PG_PASSWORD in .env}`. */
    readonly text: string,
  ) {}

  /**
   * A variable compose must have: unset, it refuses to start and prints `message`
   * (`${VAR:?message}`, https://docs.docker.com/reference/compose-file/interpolation/).
   */
  static required(variable: string, message: string): ComposeVariableReference {
    // Both are this library's own words: a `$` or `}` in them would end or nest the reference.
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(variable) || /[$}]/.test(message)) throw new Error(`not a compose variable reference: ${variable}, ${message}`);
    return new ComposeVariableReference(`\${${variable}:?${message}}`);
  }
}

/**
 * Part of a compose document that {@link composeDocument} already wrote (KNEP's rendered
 * service, embedded in a project): it is taken as it is, never escaped twice.
 */
export class ComposeText {
  constructor(readonly value: JsonValue) {}
}

/** What a compose document is built from: plain values, intended references, and parts already written. */
export type ComposeTree = string | number | boolean | null | ComposeVariableReference | ComposeText | readonly ComposeTree[] | { readonly [key: string]: ComposeTree | undefined };

/** A value compose writes literally: `$` doubled, so compose never interpolates it. */
export function composeLiteral(value: string): string {
  return value.replace(/\$/g, "$$$$");
}

/**
 * The compose document of a tree, the one place a compose file's strings are escaped: every
 * string value is written literally (`$` doubled: compose interpolates every string value of
 * the file, https://docs.docker.com/reference/compose-file/interpolation/), and only a
 * {@link ComposeVariableReference} is left for compose to interpolate. Keys are not
 * interpolated by compose and are written as they are; keys whose value is `undefined` are dropped.
 */
export function composeDocument(tree: ComposeTree): JsonValue {
  if (typeof tree === "string") return composeLiteral(tree);
  if (tree instanceof ComposeVariableReference) return tree.text;
  if (tree instanceof ComposeText) return tree.value;
  if (tree === null || typeof tree !== "object") return tree;
  if (Array.isArray(tree)) return tree.map(composeDocument);
  const entries = Object.entries(tree as { readonly [key: string]: ComposeTree | undefined }).filter((entry): entry is [string, ComposeTree] => entry[1] !== undefined);
  return Object.fromEntries(entries.map(([key, value]) => [key, composeDocument(value)]));
}

/** A required reference to a variable of the project's `.env`: compose fails, naming it, when unset. */
export function composeSecretReference(variable: string): ComposeVariableReference {
  return ComposeVariableReference.required(variable, `set ${variable} in .env`);
}

/**
 * The `.env.example` of a compose project: every secret variable it reads, empty, after the
 * plain values it must be given (such as an image with no public default).
 */
export function renderEnvExample(title: string, secretVariables: readonly string[], requiredVariables: readonly string[] = []): string {
  const required = requiredVariables.length > 0 ? ["# Required: this project cannot start without them.", ...requiredVariables.map((variable) => `${variable}=`)] : [];
  return [...required, `# ${title} Copy to .env and fill in; never commit .env.`, ...secretVariables.map((variable) => `${variable}=`)].join("\n") + "\n";
}
