// The one file of core/ that uses Pulumi: every component reads its inputs through it, and no
// domain owns that. Pure files never import it.
import * as pulumi from "@pulumi/pulumi";
import { joinPath, prefixPath, rethrowValidationAs, type SecretLeaf } from "./errors";
import { isWithinPattern, pathKeys, secretLeavesAt } from "./secret-paths";

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
  const paths = (value as { secretPaths: unknown }).secretPaths;
  return Array.isArray(paths) && paths.every((path) => typeof path === "string" && isPath(path));
}

function isPath(text: string): boolean {
  try {
    pathKeys(text);
    return true;
  } catch {
    return false;
  }
}

/**
 * Where an input holds Pulumi secrets, as paths in the input's own terms (`config.headers[0]`),
 * however deeply: an output inside an object inside an array is found. A secret value is one
 * place unless it declares its secret paths (a definition); a secret holding nothing is none.
 * The result is public: paths name places, and what a secret declares is taken out of it alone.
 */
export function secretPathsOf(input: unknown, path = ""): pulumi.Output<string[]> {
  const found = pathsIn(input, path);
  return Array.isArray(found) ? pulumi.output(found) : found;
}

/**
 * The paths of {@link secretPathsOf}, as a plain list when `input` holds no output or promise:
 * every output costs the SDK several promises, and a program of N components makes this call
 * N times, so none is made where none is needed.
 */
function pathsIn(input: unknown, path: string): string[] | pulumi.Output<string[]> {
  const found: pulumi.Output<string[]>[] = [];
  collect(input, path, found);
  if (found.length === 0) return [];
  if (found.length === 1) return found[0] as pulumi.Output<string[]>;
  return pulumi.all(found).apply((lists) => lists.flat());
}

function collect(input: unknown, path: string, found: pulumi.Output<string[]>[]): void {
  if (pulumi.Output.isInstance(input)) {
    found.push(pathsInOutput(input, path));
  } else if (input instanceof Promise) {
    found.push(pathsInOutput(pulumi.output(input), path));
  } else if (pulumi.Resource.isInstance(input)) {
    // A resource (a provider) is passed by reference; its own outputs are not this input's values.
  } else if (Array.isArray(input)) {
    input.forEach((item, index) => collect(item, joinPath(path, index), found));
  } else if (input !== null && typeof input === "object") {
    for (const [key, item] of Object.entries(input)) collect(item, joinPath(path, key), found);
  }
}

/**
 * The secret paths of one output's value: the whole output when it is a secret (unless its
 * value declares where its secrets are), else those of what it holds. In one apply: whether
 * the output is a secret is known when its value is, and the paths are public either way.
 */
function pathsInOutput(output: pulumi.Output<unknown>, path: string): pulumi.Output<string[]> {
  return pulumi.unsecret(output.apply(async (value) => ((await pulumi.isSecret(output)) ? declaredPaths(value, path) : pathsIn(value, path)))) as pulumi.Output<string[]>;
}

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

/** A component's inputs as plain values, with where their secrets are. */
export interface ResolvedInputs<T> {
  readonly values: pulumi.Unwrap<T>;
  /** Every path of the inputs that holds a secret. */
  readonly paths: readonly string[];
  /** The secret values, to take out of any error reported. */
  readonly secrets: SecretLeaf[];
}

/**
 * A component's inputs, resolved once, with what it needs to keep their secrets: where they
 * are, which of them it renders as references (a Secret key, `{vault://env/...}`, `${VAR}`),
 * and their values, to take out of any error it reports.
 */
export class SecretInputs<T extends object> {
  /** The plain values, where secrets are, and the secret values among them; a Pulumi secret when any input is one. */
  readonly resolved: pulumi.Output<ResolvedInputs<T>>;
  /** Every path of the inputs that holds a secret. */
  readonly paths: pulumi.Output<string[]>;
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
    const found = pathsIn(inputs, "");
    this.paths = Array.isArray(found) ? pulumi.output(found) : found;
    const resolvedWith = (values: pulumi.Unwrap<T>, paths: readonly string[]): ResolvedInputs<T> => ({ values, paths, secrets: secretLeavesAt(values, [...paths, ...references]) });
    // Inputs without outputs (their secret paths known now) take one output; `pulumi.all` would
    // wrap each of its arguments in two more, for every component.
    const values = pulumi.output(inputs) as pulumi.Output<pulumi.Unwrap<T>>;
    this.resolved = Array.isArray(found) ? values.apply((plain) => resolvedWith(plain, found)) : values.apply((plain) => found.apply((paths) => resolvedWith(plain, paths)));
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
    return this.resolved.apply(({ values, paths, secrets }) => this.check(() => check(values, paths), secrets));
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
