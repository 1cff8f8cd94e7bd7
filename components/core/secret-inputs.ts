// A component's inputs, read: resolved to plain values, with where they hold Pulumi secrets and
// what a component needs to keep them. The one file of core/ that uses Pulumi: every component
// reads its inputs through it, and no domain owns that. Pure files never import it.
//
// `pulumi.output(inputs)` resolves inputs too, but wraps every output it meets in two more and
// copies and walks the whole value for each: for a stack of N instance definitions that is 3N
// outputs and N walks of N, and every one of N instances pays it for its plugin. Here, each
// output in the inputs takes one apply, values are not copied, and the result is walked once.
import * as pulumi from "@pulumi/pulumi";
import { compareStrings } from "./digest";
import { joinPath, prefixPath, rethrowValidationAs, type SecretLeaf } from "./errors";
import { hold, type Held } from "./objects";
import { isWithinPattern, pathKeys, secretLeavesAt } from "./secret-paths";
import { MAX_DEPTH } from "./shape";

/** Inputs as plain values, and every path of them that holds a secret (sorted). */
export interface InputValues<T> {
  readonly values: pulumi.Unwrap<T>;
  readonly paths: readonly string[];
}

/**
 * Resolves `inputs` and calls `finish` with their values and secret paths, in one output: a
 * Pulumi secret when any input is one, unknown while any is. Where secrets are: a secret value
 * is one place unless it declares its secret paths (a definition, see {@link declaredPaths});
 * a value that is not secret may itself hold outputs, whose secrets are found in turn. Values
 * the outputs resolve to are shared, not copied: no one changes them.
 */
export function resolveInputs<T, R>(inputs: T, finish: (resolved: InputValues<T>) => R): pulumi.Output<R> {
  const paths: string[] = [];
  const resolution = startResolution(inputs, "", paths, false);
  const result = () => finish({ values: resolution.holder.value as pulumi.Unwrap<T>, paths: [...new Set(paths)].sort(compareStrings) });
  return (resolution.done ?? pulumi.output(undefined)).apply(result);
}

/** An output (or promise) in the inputs: where it is, as keys and as a path. */
interface Place {
  readonly keys: readonly PathKey[];
  readonly path: string;
  readonly output: pulumi.Output<unknown>;
}

type PathKey = string | number;

/** A value being resolved (`holder.value`), and an output settled once every output in it is. */
interface Resolution {
  readonly holder: { value: unknown };
  readonly done: pulumi.Output<unknown> | undefined;
}

/**
 * Copies the containers that hold outputs (so that their values can be put in place), finds the
 * outputs, and resolves them one after the other: each step is one apply whose value is nothing,
 * so that the SDK walks no large value per step.
 */
function startResolution(input: unknown, path: string, paths: string[], ofOutput: boolean): Resolution {
  const places: Place[] = [];
  const holder = { value: copyHolding(input, { base: path, keys: [], places, ancestors: new Set(), ofOutput }) };
  if (places.length === 0) return { holder, done: undefined };
  const step = (index: number): pulumi.Output<unknown> => {
    const place = places[index] as Place;
    const next = () => (index + 1 < places.length ? step(index + 1) : undefined);
    return place.output.apply(async (value) => {
      // A secret value is secret where it says; outputs it holds are resolved all the same.
      const secret = await pulumi.isSecret(place.output);
      const inner = startResolution(value, place.path, secret ? [] : paths, true);
      const settle = () => {
        if (secret) paths.push(...declaredPaths(inner.holder.value, place.path));
        putAt(holder, place.keys, inner.holder.value);
        return next();
      };
      return inner.done === undefined ? settle() : inner.done.apply(settle);
    });
  };
  return { holder, done: step(0) };
}

/** Where the walk of {@link copyHolding} is, and what it found. */
interface Walk {
  /** The path of the walked value in the component's inputs. */
  readonly base: string;
  /** The keys from the walked value down to where the walk is: one list, pushed and popped. */
  readonly keys: PathKey[];
  readonly places: Place[];
  readonly ancestors: Set<object>;
  /** Whether the walked value is what an output resolved to (see outputFree). */
  readonly ofOutput: boolean;
}

/**
 * Objects an output resolved to, walked and found to hold no output. An output's value is not
 * changed once resolved, and the same object is met again and again (a plugin's definition in
 * each of its instances, the config schema in each instance's definition): walked once. A
 * component's own arguments are walked every time: a program may change them between calls.
 */
const outputFree = new WeakSet<object>();

/**
 * `input` with every container that holds an output copied; the outputs found are in `places`.
 * Every value an output resolves to is walked too, so the walk allocates nothing until it finds
 * an output.
 */
function copyHolding(input: unknown, walk: Walk): unknown {
  const { keys, places } = walk;
  const pathHere = () => keys.reduce<string>((path, key) => joinPath(path, key), walk.base);
  if (pulumi.Output.isInstance(input) || input instanceof Promise) {
    places.push({ keys: [...keys], path: pathHere(), output: pulumi.Output.isInstance(input) ? input : pulumi.output(input) });
    return undefined;
  }
  // A resource (a provider) is passed by reference; its own outputs are not this input's values.
  if (input === null || typeof input !== "object" || pulumi.Resource.isInstance(input) || outputFree.has(input)) return input;
  // Deeper than any input may nest (the shape check refuses it, by its path): not walked, so
  // that no input overflows the stack here.
  if (keys.length > MAX_DEPTH) return input;
  if (walk.ancestors.has(input)) throw new Error(`${pathHere() || "the inputs"}: holds itself; Pulumi inputs cannot be circular`);
  walk.ancestors.add(input);
  const before = places.length;
  let copy: unknown[] | Record<string, unknown> | undefined;
  const visit = (key: PathKey, item: unknown) => {
    keys.push(key);
    const copied = copyHolding(item, walk);
    keys.pop();
    if (places.length > before) {
      copy ??= Array.isArray(input) ? [...input] : { ...input };
      (copy as Record<PathKey, unknown>)[key] = copied;
    }
  };
  if (Array.isArray(input)) input.forEach((item, index) => visit(index, item));
  else for (const key of Object.keys(input)) visit(key, (input as Record<string, unknown>)[key]);
  walk.ancestors.delete(input);
  if (copy === undefined && walk.ofOutput) outputFree.add(input);
  return copy ?? input;
}

function putAt(holder: { value: unknown }, keys: readonly PathKey[], value: unknown): void {
  if (keys.length === 0) {
    holder.value = value;
    return;
  }
  let container = holder.value as Record<PathKey, unknown>;
  for (const key of keys.slice(0, -1)) container = container[key] as Record<PathKey, unknown>;
  container[keys[keys.length - 1] as PathKey] = value;
}

/**
 * A value that says where it holds secrets. A definition that a component outputs and a stack
 * takes (a PluginInstance's, a KnepDeployment's) is one Pulumi secret as a whole, and a stack
 * could not otherwise tell its secret references from a secret anywhere else in it.
 */
interface DeclaresSecrets {
  readonly secretPaths: readonly string[];
}

function declaresSecrets(value: unknown): value is DeclaresSecrets {
  if (value === null || typeof value !== "object" || !("secretPaths" in value)) return false;
  const secretPaths = (value as { secretPaths: unknown }).secretPaths;
  return Array.isArray(secretPaths) && secretPaths.every((path) => typeof path === "string" && isPath(path));
}

function isPath(text: string): boolean {
  try {
    pathKeys(text);
    return true;
  } catch {
    return false;
  }
}

/** Where a secret value at `path` holds its secrets: where it says, else everywhere. */
function declaredPaths(value: unknown, path: string): string[] {
  if (value === undefined || value === null) return [];
  if (declaresSecrets(value)) return value.secretPaths.map((inner) => prefixPath(path, inner));
  // A list of definitions arrives as one secret from another language (the SDK's provider lifts a
  // nested secret to the top-level input): each definition still says where its secrets are.
  if (Array.isArray(value) && value.length > 0 && value.every((item) => item === undefined || declaresSecrets(item))) {
    return value.flatMap((item, index) => declaredPaths(item, joinPath(path, index)));
  }
  return [path];
}

/** A component's inputs as plain values, with where their secrets are and the secret values. */
export interface ResolvedInputs<T> extends InputValues<T> {
  /** The secret values, to take out of any error reported. */
  readonly secrets: SecretLeaf[];
}

/**
 * A component's inputs, resolved once, with what it needs to keep their secrets: where they
 * are, which of them it renders as references (a Secret key, `{vault://env/...}`, `${VAR}`),
 * and their values, to take out of any error it reports.
 */
export class SecretInputs<T extends object> {
  /**
   * The resolved inputs, held (see Held): the SDK walks the whole value of every output it
   * makes, and a stack's inputs hold every instance's definition.
   */
  private readonly held: pulumi.Output<Held<ResolvedInputs<T>>>;
  private resolvedInputs: pulumi.Output<ResolvedInputs<T>> | undefined;
  private secretPaths: pulumi.Output<string[]> | undefined;
  private unreferencedPaths: pulumi.Output<string[]> | undefined;

  /**
   * @param component the component whose inputs these are: its problems are reported as its own.
   * @param inputs the component's inputs, as given (outputs anywhere inside).
   * @param references paths (`[*]` for any index) whose values are secret however they are
   *   given, and which the component renders as references only.
   */
  constructor(
    private readonly component: pulumi.ComponentResource,
    inputs: T,
    private readonly references: readonly string[] = [],
  ) {
    this.held = resolveInputs(inputs, ({ values, paths }) => hold({ values, paths, secrets: secretLeavesAt(values, [...paths, ...references]) }));
  }

  /** The plain values, where secrets are, and the secret values among them; a Pulumi secret when any input is one. Made when first asked for. */
  get resolved(): pulumi.Output<ResolvedInputs<T>> {
    this.resolvedInputs ??= this.held.apply((resolved) => resolved());
    return this.resolvedInputs;
  }

  /** Every path of the inputs that holds a secret (public: paths name places). Made when first asked for. */
  get paths(): pulumi.Output<string[]> {
    this.secretPaths ??= pulumi.unsecret(this.held.apply((resolved) => [...resolved().paths]));
    return this.secretPaths;
  }

  /**
   * The paths of secrets that are not rendered as references: while there is any, everything
   * rendered from the inputs holds it and stays a Pulumi secret. Made when first asked for.
   */
  get unreferenced(): pulumi.Output<string[]> {
    this.unreferencedPaths ??= this.paths.apply((paths) => paths.filter((path) => !this.references.some((reference) => isWithinPattern(path, reference))));
    return this.unreferencedPaths;
  }

  /**
   * Runs `check` on the resolved values (and the paths of their secrets): a validation error
   * becomes the component's ResourceError, with every secret value taken out of it.
   */
  checked<U>(check: (values: pulumi.Unwrap<T>, paths: readonly string[]) => U): pulumi.Output<U> {
    return this.held.apply((resolved) => {
      const { values, paths, secrets } = resolved();
      return this.check(() => check(values, paths), secrets);
    });
  }

  /** Runs `check`: a validation error becomes the component's ResourceError, without `secrets`. */
  check<U>(check: () => U, secrets: readonly SecretLeaf[] = []): U {
    return rethrowValidationAs((error) => new pulumi.ResourceError(error.message, this.component), check, secrets);
  }

  /**
   * What was rendered from the inputs with every referenced secret withheld: public when the
   * inputs hold no other secret (it then holds none), a Pulumi secret otherwise. The only way a
   * component makes public what it rendered from a secret input.
   */
  publish<U>(rendered: pulumi.Output<U>): pulumi.Output<U> {
    return this.unreferenced.apply((unreferenced): pulumi.Output<U> => (unreferenced.length > 0 ? (pulumi.secret(rendered) as pulumi.Output<U>) : pulumi.unsecret(rendered)));
  }
}
