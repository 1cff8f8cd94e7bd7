/**
 * One problem found while validating user input, located by a path such as
 * `instances[2].config.limit`, so that a caller can point at the exact field.
 */
export interface ValidationIssue {
  /** Where the problem is, in the caller's own terms: `config.limit`, `source.files["handler.lua"]`. */
  readonly path: string;
  /** What is wrong, in Kong's own words where Kong has words for it. */
  readonly message: string;
  /** The offending value, when showing it helps (never a secret). */
  readonly received?: unknown;
  /** What would have been accepted. */
  readonly expected?: string;
}

/**
 * The one error type for bad input. It carries every problem found, not only the first,
 * because a user fixing a configuration wants the whole list at once.
 */
export class KongPluginsValidationError extends Error {
  override readonly name = "KongPluginsValidationError";

  constructor(
    /** Every problem found, in the order they were found. */
    readonly issues: readonly ValidationIssue[],
    /** What was being validated, e.g. `plugin "rate-limit-example"`. */
    readonly subject = "input",
  ) {
    super(formatIssues(issues, subject));
  }
}

/** Renders issues as the multi-line message of {@link KongPluginsValidationError}. */
export function formatIssues(issues: readonly ValidationIssue[], subject: string): string {
  const noun = issues.length === 1 ? "problem" : "problems";
  const lines = issues.map((issue) => `  - ${formatIssue(issue)}`);
  return [`${issues.length} ${noun} in ${subject}:`, ...lines].join("\n");
}

function formatIssue(issue: ValidationIssue): string {
  const details: string[] = [];
  if ("received" in issue && issue.received !== undefined) details.push(`received ${preview(issue.received)}`);
  if (issue.expected !== undefined) details.push(`expected ${issue.expected}`);
  const suffix = details.length > 0 ? ` (${details.join(", ")})` : "";
  return `${issue.path || "(root)"}: ${issue.message}${suffix}`;
}

const PREVIEW_LIMIT = 80;

function preview(value: unknown): string {
  const text = typeof value === "string" ? JSON.stringify(value) : safeJson(value);
  return text.length > PREVIEW_LIMIT ? `${text.slice(0, PREVIEW_LIMIT - 1)}…` : text;
}

function safeJson(value: unknown): string {
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

/** Text shown instead of a secret value in `received`. */
export const REDACTED = "[secret]";

/**
 * Collects issues while a validator walks its input, so that every problem is reported
 * in one error. Paths are built with {@link joinPath}.
 */
export class IssueCollector {
  private readonly found: ValidationIssue[] = [];

  /** Records one problem. */
  add(path: string, message: string, details: { received?: unknown; expected?: string } = {}): void {
    this.found.push({ path, message, ...details });
  }

  /** Records problems found by another validator, re-rooted under `prefix`. */
  addAll(issues: readonly ValidationIssue[], prefix = ""): void {
    for (const issue of issues) {
      this.found.push({ ...issue, path: prefixPath(prefix, issue.path) });
    }
  }

  /**
   * Records a problem unless `value` is one of an enum's values. Other Pulumi languages pass
   * enums as plain strings, so a near miss (`configmap` for `configMap`) must not pass silently.
   */
  oneOf(path: string, value: string | undefined, values: Record<string, string>): void {
    if (value !== undefined && !Object.values(values).includes(value)) {
      this.add(path, "is not one of the accepted values", { received: value, expected: Object.values(values).join(", ") });
    }
  }

  /** Runs `check`; the issues of a validation error it throws are recorded under `prefix` instead. */
  attempt<T>(prefix: string, check: () => T): T | undefined {
    try {
      return check();
    } catch (error) {
      if (!(error instanceof KongPluginsValidationError)) throw error;
      this.addAll(error.issues, prefix);
      return undefined;
    }
  }

  get issues(): readonly ValidationIssue[] {
    return this.found;
  }

  get isEmpty(): boolean {
    return this.found.length === 0;
  }

  /** Throws one {@link KongPluginsValidationError} carrying everything collected, if anything was. */
  throwIfAny(subject: string): void {
    if (this.found.length > 0) throw new KongPluginsValidationError([...this.found], subject);
  }
}

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/**
 * Appends a key or index to a path the way a TypeScript user would write it:
 * `a.b`, `a[2]`, `a["handler.lua"]`.
 */
export function joinPath(base: string, key: string | number): string {
  if (typeof key === "number") return `${base}[${key}]`;
  if (IDENTIFIER.test(key)) return base ? `${base}.${key}` : key;
  return `${base}[${JSON.stringify(key)}]`;
}

/** Puts `prefix` in front of a path produced relative to a sub-object. */
export function prefixPath(prefix: string, path: string): string {
  if (!prefix) return path;
  if (!path) return prefix;
  return path.startsWith("[") ? `${prefix}${path}` : `${prefix}.${path}`;
}

/** Whether `path` is `base` or a path inside it (`base.x`, `base[0]`). */
export function isPathWithin(path: string, base: string): boolean {
  return path === base || path.startsWith(`${base}.`) || path.startsWith(`${base}[`);
}

/**
 * Runs `render`, turning a {@link KongPluginsValidationError} into the caller's error type
 * (a component passes `pulumi.ResourceError`, so the engine names the resource), with every
 * value of `secrets` taken out of it first: an error is printed and logged, never kept secret.
 * The error thrown keeps the structured `issues`, so a program can act on the paths.
 */
export function rethrowValidationAs<T>(toError: (error: KongPluginsValidationError) => Error, render: () => T, secrets: readonly SecretLeaf[] = []): T {
  try {
    return render();
  } catch (error) {
    if (!(error instanceof KongPluginsValidationError)) throw error;
    const safe = withoutSecretValues(error, secrets);
    throw Object.assign(toError(safe), { issues: safe.issues });
  }
}

/** A value that came from a secret input: what an error must not show. */
export type SecretLeaf = string | number | boolean;

/**
 * The error with every secret value taken out: a `received` that holds one, is one or is a
 * piece of one becomes `[secret]` whole (an object holding a secret, echoed by a keyword that
 * fails at the root, included), and a secret inside a message, an expectation or the subject
 * becomes `[secret]` there (paths name keys, which are no secret). Values are matched, not
 * paths: a stack re-roots issues and derives them from its inputs in ways no path follows.
 */
export function withoutSecretValues(error: KongPluginsValidationError, secrets: readonly SecretLeaf[]): KongPluginsValidationError {
  if (secrets.length === 0) return error;
  // Longest first, so that a secret containing another is replaced whole.
  const texts = secrets.filter((secret): secret is string => typeof secret === "string" && secret !== "").sort((a, b) => b.length - a.length);
  const scrub = (text: string) => texts.reduce((scrubbed, secret) => scrubbed.split(secret).join(REDACTED), text);
  const issues = error.issues.map((issue): ValidationIssue => {
    const scrubbed = { ...issue, message: scrub(issue.message), ...(issue.expected !== undefined ? { expected: scrub(issue.expected) } : {}) };
    return "received" in issue && showsSecret(issue.received, secrets) ? { ...scrubbed, received: REDACTED } : scrubbed;
  });
  return new KongPluginsValidationError(issues, scrub(error.subject));
}

/** A piece this long of a secret is taken to come from it. */
const SECRET_PIECE_LENGTH = 4;

function showsSecret(value: unknown, secrets: readonly SecretLeaf[]): boolean {
  if (value !== null && typeof value === "object") return Object.values(value).some((item) => showsSecret(item, secrets));
  return secrets.some((secret) => {
    if (typeof value !== "string" || typeof secret !== "string") return String(value) === String(secret);
    return secret !== "" && (value.includes(secret) || (value.length >= SECRET_PIECE_LENGTH && secret.includes(value)));
  });
}
