/** A copy without the keys whose value is `undefined` (optional Pulumi inputs that were not given). */
export function withoutUndefined<T extends object>(object: T): T {
  return Object.fromEntries(Object.entries(object).filter(([, value]) => value !== undefined)) as T;
}
