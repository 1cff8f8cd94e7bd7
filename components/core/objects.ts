/** A copy without the keys whose value is `undefined` (optional Pulumi inputs that were not given). */
export function withoutUndefined<T extends object>(object: T): T {
  return Object.fromEntries(Object.entries(object).filter(([, value]) => value !== undefined)) as T;
}

/** Anything with `apply`, such as a Pulumi output (structurally, so core stays free of Pulumi). */
interface Appliable<T> {
  apply<U>(fn: (value: T) => U): unknown;
}

/**
 * A rendered object's fields as separate outputs, the shape typed Kubernetes resources take
 * as arguments (`{ metadata, spec }`), from one output of the whole object.
 */
export function fieldOutputs<Args>(object: Appliable<object | undefined>, keys: readonly string[]): Args {
  return Object.fromEntries(keys.map((key) => [key, object.apply((value) => (value as Record<string, unknown> | undefined)?.[key])])) as Args;
}

/** A plain object (not an array, not null), or undefined. */
export function asRecord(value: unknown): Record<string, unknown> | undefined {
  return value !== null && typeof value === "object" && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

/** A Lua sequence as the sandbox exports it: an array, or `{}` for an empty table. */
export function asList(value: unknown): readonly unknown[] | undefined {
  if (Array.isArray(value)) return value;
  const record = asRecord(value);
  return record !== undefined && Object.keys(record).length === 0 ? [] : undefined;
}

/**
 * A value behind a function. The SDK copies and walks an output's whole value each time the
 * output is made secret or public, and walks it again for each output made from it; a function
 * it does neither to. An output whose value is large (a stack's render of thousands of objects)
 * carries it held, and only the outputs a user reads take it out.
 */
export type Held<T> = () => T;

/** `value`, held (see {@link Held}). */
export function hold<T>(value: T): Held<T> {
  return () => value;
}
