import { IssueCollector, REDACTED } from "../core/errors";
import { composeSecretVariable, renderKnepComposeService, type KnepComposeService } from "./compose";
import { renderKnepEnvironment, secretVariables, type KnepEnvironmentEntry } from "./environment";
import { knepKubernetesNameIssues, renderKnepKubernetes, type KnepKubernetesObjects } from "./kubernetes";
import { resolveKnep } from "./resolve";
import type { KnepSpec, ResolvedKnep } from "./spec";

/**
 * KNEP as data: what KnepDeployment outputs (`definition`) and what the stacks take (`knep`),
 * from any Pulumi language. It holds the secret values, so it is a Pulumi secret when it has any.
 */
export interface KnepDefinition {
  /** KNEP's checked spec, secret values included. */
  readonly spec: KnepSpec;
  /**
   * KNEP's service name in a compose project.
   * @default "knep"
   */
  readonly composeServiceName?: string;
  /**
   * Base name of its Kubernetes objects (`<name>`, `<name>-config`, `<name>-secret`).
   * @default "knep"
   */
  readonly kubernetesName?: string;
  /**
   * Whether KnepDeployment registers the Kubernetes objects itself; a stack then leaves them alone.
   * @default false
   */
  readonly registersKubernetes?: boolean;
  /**
   * Where the definition holds values that came from Pulumi secrets (`spec.rabbitmq.url`,
   * `spec.http.url`), written by KnepDeployment: a stack keeps what it renders from a secret
   * outside `spec.rabbitmq.url` and `spec.secretEnv` secret. A program that edits a definition
   * keeps this list true.
   * @default - none
   */
  readonly secretPaths?: string[];
}

/** Everything rendered of one KNEP, for one namespace. */
export interface RenderedKnep {
  readonly resolved: ResolvedKnep;
  /** Its environment in order, secrets as references. */
  readonly environment: KnepEnvironmentEntry[];
  /**
   * The Kubernetes objects; none without an image (which only a compose project can ask for
   * later) or, off Kubernetes, without names Kubernetes accepts.
   */
  readonly kubernetes?: KnepKubernetesObjects;
  readonly composeService: KnepComposeService;
  /** The secret values by the compose project variable that carries each (for a `.env`); empty when withheld. */
  readonly secretComposeEnvironment: Record<string, string>;
}

/** Options of {@link renderKnep}. */
export interface RenderKnepOptions {
  /** Namespace of the Kubernetes objects. */
  readonly namespace: string;
  /**
   * KNEP runs on Kubernetes (a stack's, or its own `registersKubernetes`): the image is required,
   * and so are a namespace and a `kubernetesName` that Kubernetes accepts.
   * @default - the definition's `registersKubernetes`
   */
  readonly onKubernetes?: boolean;
  /**
   * Render with every secret value replaced by a placeholder, for what is shown publicly
   * (outputs, previews).
   * @default false
   */
  readonly secretValuesWithheld?: boolean;
}

/**
 * Checks a KNEP definition and renders it for Kubernetes and compose.
 * @throws KongPluginsValidationError
 */
export function renderKnep(definition: KnepDefinition, options: RenderKnepOptions): RenderedKnep {
  const withheld = options.secretValuesWithheld ?? false;
  const imageRequired = options.onKubernetes ?? definition.registersKubernetes ?? false;
  const issues = new IssueCollector();
  // Names matter where KNEP runs on Kubernetes; elsewhere its objects are only shown, when they could run.
  const nameIssues = knepKubernetesNameIssues(definition.kubernetesName ?? "knep", options.namespace, { name: "kubernetesName", namespace: "namespace" });
  if (imageRequired) issues.addAll(nameIssues);
  const real = withheld ? undefined : issues.attempt("", () => resolveKnep(definition.spec, { imageRequired }));
  const checked = withheld ? issues.attempt("", () => resolveKnep(withheldKnepSpec(definition.spec), { secretValuesWithheld: true, imageRequired })) : real;
  issues.throwIfAny("the KNEP deployment");
  const resolved = checked as ResolvedKnep;
  const serviceName = definition.composeServiceName ?? "knep";
  return {
    resolved,
    environment: renderKnepEnvironment(resolved),
    ...(resolved.image !== undefined && nameIssues.length === 0
      ? {
          kubernetes: renderKnepKubernetes(resolved, {
            namespace: options.namespace,
            ...(definition.kubernetesName !== undefined ? { name: definition.kubernetesName } : {}),
          }),
        }
      : {}),
    composeService: renderKnepComposeService(resolved, { serviceName }),
    secretComposeEnvironment: real
      ? Object.fromEntries(Object.entries(secretVariables(real)).map(([variable, value]) => [composeSecretVariable(serviceName, variable), value]))
      : {},
  };
}

/** The spec with its secret values (rabbitmq.url, secretEnv) replaced by placeholders. */
export function withheldKnepSpec(spec: KnepSpec): KnepSpec {
  return {
    ...spec,
    ...(spec.rabbitmq ? { rabbitmq: { ...spec.rabbitmq, url: REDACTED } } : {}),
    ...(spec.secretEnv ? { secretEnv: Object.fromEntries(Object.keys(spec.secretEnv).map((key) => [key, REDACTED])) } : {}),
  };
}

/** Whether KNEP has secret variables, and so a Secret. */
export function knepHasSecrets(spec: KnepSpec): boolean {
  return spec.rabbitmq !== undefined || Object.keys(spec.secretEnv ?? {}).length > 0;
}
