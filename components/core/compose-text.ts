/** A value compose writes literally: `$` doubled, so compose never interpolates it. */
export function composeLiteral(value: string): string {
  return value.replace(/\$/g, "$$$$");
}

/** A required reference to a variable of the project's `.env`: compose fails, naming it, when unset. */
export function composeSecretReference(variable: string): string {
  return `\${${variable}:?set ${variable} in .env}`;
}

/** The `.env.example` of a compose project: every secret variable it reads, empty. */
export function renderEnvExample(title: string, variables: readonly string[]): string {
  return [`# ${title} Copy to .env and fill in; never commit .env.`, ...variables.map((variable) => `${variable}=`)].join("\n") + "\n";
}
