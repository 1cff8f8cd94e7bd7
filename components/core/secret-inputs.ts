// With resolve-inputs.ts, the files of core/ that use Pulumi: every component reads its inputs
// through them, and no domain owns that. Pure files never import them.
import * as pulumi from "@pulumi/pulumi";
import { rethrowValidationAs, type SecretLeaf } from "./errors";
import { hold, type Held } from "./objects";
import { resolveInputs } from "./resolve-inputs";
import { isWithinPattern, secretLeavesAt } from "./secret-paths";

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
