import { posix } from "node:path";
import { composeDocument, composeSecretReference, ComposeVariableReference, renderEnvExample, type ComposeTree } from "../core/compose-text";
import { asResolvedKnep } from "./environment";
import { KnepTargetType, type KnepSpec, type ResolvedKnep } from "./spec";

/** Options of {@link renderKnepComposeService}. */
export interface KnepComposeOptions {
  /** The service's name in the compose file. @default "knep" */
  readonly serviceName?: string;
  /** Services KNEP starts after (Kong, Kafka). @default [] */
  readonly dependsOn?: readonly string[];
}

/** KNEP as a compose service, with what the compose file around it needs. */
export interface KnepComposeService {
  readonly name: string;
  /** The service definition, as compose text: plain values with `$` doubled, secrets as `${VAR}`. */
  readonly service: Record<string, unknown>;
  /** Named volumes the service uses (the file target's folder). */
  readonly volumes: Record<string, Record<string, never>>;
  /** `.env.example` lines for the secret variables, which the service reads as `${VAR}`. */
  readonly envExample: string;
  /** The secret variables the compose project's `.env` must define. */
  readonly secretVariables: readonly string[];
  /** The KNEP input each secret variable carries (`KNEP_TARGET_RABBITMQ_URL: rabbitmq.url`), to name it by. */
  readonly secretSources: Readonly<Record<string, string>>;
  /** Plain variables the project's `.env` (or environment) must define: `KNEP_IMAGE` when no image is given. */
  readonly requiredVariables: readonly string[];
}

/** The variable a compose project asks for KNEP's image in, when none is given. */
export const KNEP_IMAGE_VARIABLE = "KNEP_IMAGE";

/** The compose project variable that carries one of KNEP's secret variables: `<SERVICE>_<NAME>`. */
export function composeSecretVariable(serviceName: string, variable: string): string {
  return `${serviceName.toUpperCase().replace(/[^A-Z0-9]/g, "_")}_${variable}`;
}

/**
 * Renders KNEP as a compose service. Plain values, the image included, are written with `$`
 * doubled (compose would otherwise interpolate them); secrets are never inline: each is
 * `${<SERVICE>_<NAME>}`, required (`:?`), and listed in the `.env.example` the project ships.
 */
export function renderKnepComposeService(spec: KnepSpec | ResolvedKnep, options: KnepComposeOptions = {}): KnepComposeService {
  const knep = asResolvedKnep(spec);
  const name = options.serviceName ?? "knep";
  const environment: Record<string, ComposeTree> = {};
  const secretNames: string[] = [];
  const secretSources: Record<string, string> = {};
  for (const variable of knep.environment) {
    if (variable.secret) {
      const reference = composeSecretVariable(name, variable.name);
      secretNames.push(reference);
      secretSources[reference] = variable.path ?? variable.name;
      environment[variable.name] = composeSecretReference(reference);
    } else {
      environment[variable.name] = variable.value;
    }
  }
  const requiredVariables = knep.image === undefined ? [KNEP_IMAGE_VARIABLE] : [];
  const filePath = knep.targetType === KnepTargetType.File ? knep.environment.find((v) => v.name === "TARGET_FILE_PATH")?.value : undefined;
  const volumeName = `${name}-events`;
  const service = composeDocument({
    // KNEP has no public image: without one, compose refuses to start and says what to set.
    image: knep.image ?? ComposeVariableReference.required(KNEP_IMAGE_VARIABLE, `KNEP has no public image: set ${KNEP_IMAGE_VARIABLE} in .env to your registry's KNEP image`),
    restart: "unless-stopped",
    environment,
    ...(options.dependsOn && options.dependsOn.length > 0 ? { depends_on: [...options.dependsOn] } : {}),
    ...(filePath ? { volumes: [`${volumeName}:${posix.dirname(filePath)}`] } : {}),
  }) as Record<string, unknown>;
  return {
    name,
    service,
    volumes: filePath ? { [volumeName]: {} } : {},
    envExample: renderEnvExample(`Secrets of the ${name} service.`, secretNames, requiredVariables),
    secretVariables: secretNames,
    secretSources,
    requiredVariables,
  };
}
