/**
 * Makes each of a component's outputs an own, enumerable property whose output is created when
 * it is first read, then kept. Every output costs the SDK several promises and a walk of its
 * value; a program of thousands of components reads one or two of each (a stack takes
 * `definition`), so the others are not made at all. The class declares the properties with
 * `declare readonly`, so that its type (and the provider schema read from it) lists them.
 */
export function defineLazyOutputs<T extends object>(component: T, outputs: { readonly [K in keyof T]?: () => T[K] }): void {
  for (const key of Object.keys(outputs) as (keyof T & string)[]) {
    const create = outputs[key] as () => T[typeof key];
    let created: { readonly output: T[typeof key] } | undefined;
    Object.defineProperty(component, key, {
      enumerable: true,
      get: () => (created ??= { output: create() }).output,
    });
  }
}
