/** A value compose writes literally: `$` doubled, so compose never interpolates it. */
export function composeLiteral(value: string): string {
  return value.replace(/\$/g, "$$$$");
}

/** A required reference to a variable of the project's `.env`: compose fails, naming it, when unset. */
export function composeSecretReference(variable: string): string {
  return `\${${variable}:?set ${variable} in .env}`;
}

/**
 * The `.env.example` of a compose project: every secret variable it reads, empty, after the
 * plain values it must be given (such as an image with no public default).
 */
export function renderEnvExample(title: string, secretVariables: readonly string[], requiredVariables: readonly string[] = []): string {
  const required = requiredVariables.length > 0 ? ["# Required: this project cannot start without them.", ...requiredVariables.map((variable) => `${variable}=`)] : [];
  return [...required, `# ${title} Copy to .env and fill in; never commit .env.`, ...secretVariables.map((variable) => `${variable}=`)].join("\n") + "\n";
}
