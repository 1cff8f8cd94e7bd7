import { IssueCollector, joinPath, prefixPath, type ValidationIssue } from "../core/errors";
import { artifactInstallIssues } from "../artifact/install-spec";
import { DatabaseMode, PluginDelivery } from "../gateway/model";
import { gatewayIssues } from "../gateway/preflight";
import { vaultReferenceIssues } from "../gateway/vault-references";
import { ENV_NAME, IMAGE_REFERENCE } from "../image/dockerfile-text";
import { KnepTargetType } from "../knep/spec";
import { secretVariableName } from "../plugin/resources";
import { kafkaModeOf } from "./kafka-mode";
import { COMPOSE_IMAGES, KafkaMode, PG_PASSWORD_VARIABLE, type ComposeProjectSpec } from "./project-spec";

/** Kong's own floor (kong/constants.lua DATABASE.POSTGRES.MIN); below it `to_regclass` is missing. */
const POSTGRES_MIN = [9, 5] as const;

/**
 * Everything that would keep the project from starting: the gateway preflight
 * ({@link gatewayIssues}), plus what only compose knows: KNEP pointing at services the project
 * does not have, a PostgreSQL image Kong cannot use, ports out of range or in conflict.
 */
export function composeProjectIssues(spec: ComposeProjectSpec): ValidationIssue[] {
  const issues = new IssueCollector();
  issues.oneOf("kafka", spec.kafka, KafkaMode);
  issues.addAll(gatewayIssues(spec.gateway), "gateway");
  issues.addAll(vaultReferenceIssues(spec.gateway), "gateway");
  checkKnep(spec, issues);
  checkSecretVariables(spec, issues);
  checkUpstreams(spec, issues);
  checkPostgresImage(spec.postgres?.image ?? COMPOSE_IMAGES.postgres, issues);
  checkPorts(spec, issues);
  if (spec.artifactInstall !== undefined) {
    if (spec.gateway.delivery !== PluginDelivery.Mount) issues.add("artifactInstall", "installs plugins into the mount delivery's folder; a gateway image holds its own", { received: spec.gateway.delivery, expected: PluginDelivery.Mount });
    issues.addAll(artifactInstallIssues(spec.artifactInstall, spec.gateway.plugins, "artifactInstall"));
  }
  return [...issues.issues];
}

function environmentValue(spec: ComposeProjectSpec, name: string): string | undefined {
  const environment = spec.knep?.service.environment as Record<string, string> | undefined;
  return environment?.[name]?.replace(/\$\$/g, "$");
}

function checkKnep(spec: ComposeProjectSpec, issues: IssueCollector): void {
  if (!spec.knep) return;
  if (GATEWAY_SERVICES.includes(spec.knep.name) || !SERVICE_NAME.test(spec.knep.name)) {
    issues.add("knep.composeServiceName", GATEWAY_SERVICES.includes(spec.knep.name) ? "is already a service of this project" : "is not a compose service name", {
      received: spec.knep.name,
      expected: `a compose service name other than ${GATEWAY_SERVICES.join(", ")}, e.g. knep`,
    });
  }
  const adminUrl = environmentValue(spec, "KONG_ADMIN_URL");
  const host = adminUrl ? new URL(adminUrl).hostname : undefined;
  if (host !== "kong") {
    issues.add("knep.kongAdminUrl", "does not reach this project's Kong: inside the project, Kong's Admin API is http://kong:8001", { received: adminUrl, expected: "http://kong:8001" });
  }
  if (environmentValue(spec, "TARGET_TYPE") === KnepTargetType.Kafka) {
    const kafka = kafkaModeOf(spec);
    const brokers = environmentValue(spec, "TARGET_KAFKA_BROKERS")?.split(",") ?? [];
    if (kafka !== KafkaMode.None && !brokers.every((broker) => broker.startsWith("kafka:"))) {
      issues.add("knep.kafka.brokers", "does not name this project's Kafka broker", { received: brokers, expected: "kafka:9092" });
    }
  }
}

/**
 * The project's `.env` is one namespace for the password (KONG_PG_PASSWORD), each instance's
 * secret (`<INSTANCE>_<KEY>`), KNEP's secrets (`<SERVICE>_<NAME>`) and KNEP_IMAGE, and two
 * spellings can give one name (an instance `knep` with a key `target_rabbitmq_url`, KNEP's
 * RabbitMQ URL): one of them would silently read the other's value. Such a pair is refused,
 * naming both; two instances are the gateway preflight's to report.
 */
function checkSecretVariables(spec: ComposeProjectSpec, issues: IssueCollector): void {
  const knep = spec.knep;
  const owners = [
    ...((spec.gateway.database ?? DatabaseMode.Off) === DatabaseMode.Postgres ? [{ variable: PG_PASSWORD_VARIABLE, path: "postgres.password", instance: false }] : []),
    ...spec.gateway.instances.flatMap((instance, index) =>
      Object.keys(instance.secretConfig).map((key) => ({ variable: secretVariableName(instance.name, key), path: joinPath(joinPath(joinPath("gateway.instances", index), "secretConfig"), key), instance: true })),
    ),
    ...(knep?.requiredVariables ?? []).map((variable) => ({ variable, path: "knep.image", instance: false })),
    ...(knep?.secretVariables ?? []).map((variable) => ({ variable, path: prefixPath("knep", knep?.secretSources[variable] ?? variable), instance: false })),
  ];
  const seen = new Map<string, { path: string; instance: boolean }>();
  for (const owner of owners) {
    const other = seen.get(owner.variable);
    if (other === undefined) seen.set(owner.variable, owner);
    else if (!(other.instance && owner.instance)) {
      issues.add(owner.path, `reaches the project's .env as ${owner.variable}, the variable of ${other.path} too: one of them would read the other's value`, {
        expected: "names that give distinct variables: rename the instance, the key, the variable or KNEP's compose service",
      });
    }
  }
}

/** A compose service name, as the compose spec's `services` keys allow it. */
const SERVICE_NAME = /^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/;

/** The services this library renders beside KNEP; a KNEP or an upstream of the same name would replace one. */
const GATEWAY_SERVICES = ["kong", "kong-migrations", "kong-config", "postgres", "kafka", "zookeeper"];

function ownServices(spec: ComposeProjectSpec): string[] {
  return [...GATEWAY_SERVICES, ...(spec.knep ? [spec.knep.name] : [])];
}

function checkUpstreams(spec: ComposeProjectSpec, issues: IssueCollector): void {
  const seen = new Set<string>();
  (spec.upstreams ?? []).forEach((upstream, index) => {
    const path = joinPath("upstreams", index);
    if (typeof upstream.name !== "string" || !SERVICE_NAME.test(upstream.name)) {
      issues.add(joinPath(path, "name"), "is not a compose service name", { received: upstream.name, expected: "letters, digits, '_', '.', '-', starting with a letter or digit" });
    } else if (ownServices(spec).includes(upstream.name) || seen.has(upstream.name)) {
      issues.add(joinPath(path, "name"), "is already a service of this project", { received: upstream.name, expected: `a name other than ${[...ownServices(spec), ...seen].join(", ")}` });
    }
    seen.add(upstream.name);
    if (typeof upstream.image !== "string" || !IMAGE_REFERENCE.test(upstream.image)) {
      issues.add(joinPath(path, "image"), "is not an image reference", { received: upstream.image, expected: "e.g. mccutchen/go-httpbin:v2.15.0" });
    }
    for (const [name, value] of Object.entries(upstream.environment ?? {})) {
      if (!ENV_NAME.test(name) || typeof value !== "string") issues.add(joinPath(joinPath(path, "environment"), name), "is not a variable name with a string value", { received: value, expected: "NAME: \"text\"" });
    }
  });
}

function checkPostgresImage(image: string, issues: IssueCollector): void {
  const tag = /^(?:.*\/)?postgres:(\d+)(?:\.(\d+))?/.exec(image);
  if (!tag) return;
  const major = Number(tag[1]);
  const minor = Number(tag[2] ?? 0);
  if (major < POSTGRES_MIN[0] || (major === POSTGRES_MIN[0] && minor < POSTGRES_MIN[1])) {
    issues.add("postgres.image", `is PostgreSQL ${major}${tag[2] !== undefined ? `.${minor}` : ""}; Kong needs ${POSTGRES_MIN.join(".")} or newer (older ones fail with "function to_regclass(unknown) does not exist")`, {
      received: image,
      expected: COMPOSE_IMAGES.postgres,
    });
  }
}

function checkPorts(spec: ComposeProjectSpec, issues: IssueCollector): void {
  const ports = spec.ports ?? {};
  const used = new Map<number, string>();
  for (const key of ["proxy", "proxyTls", "admin", "adminTls"] as const) {
    const port = ports[key];
    if (port === undefined) continue;
    const path = joinPath("ports", key);
    if (!Number.isInteger(port) || port < 1 || port > 65535) issues.add(path, "is not a port number", { received: port, expected: "1 to 65535" });
    const other = used.get(port);
    if (other) issues.add(path, `is also ${other}'s port`, { received: port });
    used.set(port, key);
  }
  if (ports.adminHost !== undefined && !/^(\d{1,3}\.){3}\d{1,3}$/.test(ports.adminHost)) {
    issues.add("ports.adminHost", "is not an IPv4 address", { received: ports.adminHost, expected: "127.0.0.1" });
  }
}
