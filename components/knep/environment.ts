import { resolveKnep } from "./resolve";
import type { KnepSpec, ResolvedKnep } from "./spec";

/** One variable of KNEP's rendered environment: a plain value, or a reference to a secret. */
export interface KnepEnvironmentEntry {
  /** The variable's name. */
  readonly name: string;
  /** The value, for plain variables. */
  readonly value?: string;
  /** For secret variables: the key of the secret store (Kubernetes Secret, compose `.env`) that holds it. */
  readonly secretKey?: string;
}

/** Accepts a spec or an already resolved KNEP. */
export function asResolvedKnep(spec: KnepSpec | ResolvedKnep): ResolvedKnep {
  return "environment" in spec ? spec : resolveKnep(spec);
}

/**
 * KNEP's environment in order (the documented variables in the documented order, then
 * extraEnv, then secretEnv), with every secret as a reference and never its value.
 */
export function renderKnepEnvironment(spec: KnepSpec | ResolvedKnep): KnepEnvironmentEntry[] {
  return asResolvedKnep(spec).environment.map((variable) => (variable.secret ? { name: variable.name, secretKey: variable.name } : { name: variable.name, value: variable.value }));
}

/** The plain variables, by name. */
export function plainVariables(knep: ResolvedKnep): Record<string, string> {
  return Object.fromEntries(knep.environment.filter((variable) => !variable.secret).map((variable) => [variable.name, variable.value]));
}

/** The secret variables, by name (their values: only for the secret stores themselves). */
export function secretVariables(knep: ResolvedKnep): Record<string, string> {
  return Object.fromEntries(knep.environment.filter((variable) => variable.secret).map((variable) => [variable.name, variable.value]));
}
