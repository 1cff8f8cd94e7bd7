import { isPathWithin, type SecretLeaf } from "./errors";

/** One step of a path: a property name or an array index. */
export type PathKey = string | number;

const STEP = /^(?:\.?([A-Za-z_$][A-Za-z0-9_$]*)|\[(\d+|\*)\]|\[("(?:[^"\\]|\\.)*")\])/;

/**
 * The steps of a path as `joinPath` writes it (`a.b[2]["x.y"]`): `["a", "b", 2, "x.y"]`.
 * A `[*]` step (in a pattern) stands for any index and comes back as `"*"`.
 * @throws Error on text that `joinPath` cannot have written.
 */
export function pathKeys(path: string): PathKey[] {
  const keys: PathKey[] = [];
  for (let rest = path; rest !== ""; ) {
    const step = STEP.exec(rest);
    if (!step) throw new Error(`not a path: ${JSON.stringify(path)}`);
    if (step[1] !== undefined) keys.push(step[1]);
    else if (step[2] !== undefined) keys.push(step[2] === "*" ? "*" : Number(step[2]));
    else keys.push(JSON.parse(step[3] as string) as string);
    rest = rest.slice(step[0].length);
  }
  return keys;
}

/** Whether `path` is a place that `pattern` names, or inside one; `[*]` in the pattern matches any index. */
export function isWithinPattern(path: string, pattern: string): boolean {
  if (!pattern.includes("[*]")) return isPathWithin(path, pattern);
  const keys = pathKeys(path);
  const wanted = pathKeys(pattern);
  return wanted.length <= keys.length && wanted.every((key, index) => (key === "*" ? typeof keys[index] === "number" : key === keys[index]));
}

/** The values a path (or a pattern with `[*]`) reaches in `value`; none where nothing is there. */
export function valuesAt(value: unknown, path: string): unknown[] {
  let found: unknown[] = [value];
  for (const key of pathKeys(path)) {
    found = found.flatMap((item) => {
      if (item === null || typeof item !== "object") return [];
      if (key === "*") return Array.isArray(item) ? item : [];
      const next = (item as Record<PathKey, unknown>)[key];
      return next === undefined ? [] : [next];
    });
  }
  return found;
}

/** The strings, numbers and booleans a value is made of, however deeply nested. */
export function leavesOf(value: unknown): SecretLeaf[] {
  // A walk of its own stack: a secret nested deeper than the JavaScript stack is still found.
  const leaves: SecretLeaf[] = [];
  const pending: unknown[] = [value];
  const seen = new Set<object>();
  while (pending.length > 0) {
    const current = pending.pop();
    if (typeof current === "string" || typeof current === "number" || typeof current === "boolean") leaves.push(current);
    else if (current !== null && typeof current === "object" && !seen.has(current)) {
      seen.add(current);
      const items = Object.values(current);
      for (let index = items.length - 1; index >= 0; index -= 1) pending.push(items[index]);
    }
  }
  return leaves;
}

/** The values under each of `paths` (patterns allowed), as leaves: what an error about `value` must never show. */
export function secretLeavesAt(value: unknown, paths: readonly string[]): SecretLeaf[] {
  return [...new Set(paths.flatMap((path) => valuesAt(value, path).flatMap(leavesOf)))];
}
