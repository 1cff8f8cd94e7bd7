// The one file of core/ that uses Pulumi: every component reads its inputs through it, and no
// domain owns that. Pure files never import it.
import * as pulumi from "@pulumi/pulumi";
import { compareStrings } from "./digest";
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
 * The input with each output (or promise) in it replaced by one that resolves to the same value
 * and, once the value is known, records in `found` where it holds Pulumi secrets, as paths in
 * the input's own terms (`config.headers[0]`): a secret value is one place unless it declares
 * its secret paths (a definition); a value that is not secret may itself hold outputs, which are
 * watched in turn. `pulumi.output` then resolves the watched input as it would the input. The
 * paths come with the values, one apply per output: found apart, each output would cost the SDK
 * several more, and a program of N components holds N of them. An input holding no output is
 * returned as it is.
 */
function watched(input: unknown, path: string, found: string[]): unknown {
  if (pulumi.Output.isInstance(input) || input instanceof Promise) {
    const output = pulumi.Output.isInstance(input) ? input : pulumi.output(input);
    return output.apply(async (value) => {
      if (!(await pulumi.isSecret(output))) return watched(value, path, found);
      found.push(...declaredPaths(value, path));
      return value;
    });
  }
  // A resource (a provider) is passed by reference; its own outputs are not this input's values.
  if (pulumi.Resource.isInstance(input) || input === null || typeof input !== "object") return input;
  const entries = Array.isArray(input) ? input.map((item, index) => [index, item] as const) : Object.entries(input);
  let holdsOutputs = false;
  const watchedEntries = entries.map(([key, item]) => {
    const watchedItem = watched(item, joinPath(path, key), found);
    holdsOutputs ||= watchedItem !== item;
    return [key, watchedItem] as const;
  });
  if (!holdsOutputs) return input;
  return Array.isArray(input) ? watchedEntries.map(([, item]) => item) : Object.fromEntries(watchedEntries);
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
    const found: string[] = [];
    this.resolved = pulumi.output(watched(inputs, "", found) as T).apply((values) => {
      const paths = [...new Set(found)].sort(compareStrings);
      return { values: values as pulumi.Unwrap<T>, paths, secrets: secretLeavesAt(values, [...paths, ...references]) };
    });
  }

  /** Every path of the inputs that holds a secret (public: paths name places). Made when first asked for. */
  get paths(): pulumi.Output<string[]> {
    this.secretPaths ??= pulumi.unsecret(this.resolved.apply(({ paths }) => [...paths]));
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
