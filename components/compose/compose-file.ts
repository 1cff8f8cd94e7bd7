import { createHash } from "node:crypto";
import { stableYaml, type JsonValue } from "../core/canonical";
import { composeDocument, composeSecretReference, ComposeText, renderEnvExample, type ComposeTree } from "../core/compose-text";
import { KongPluginsValidationError } from "../core/errors";
import type { OutputFile } from "../core/files";
import { renderDeclarativeConfig } from "../gateway/declarative";
import { gatewayEnvironment, gatewaySecretVariables } from "../gateway/environment";
import { MOUNT_ROOT } from "../gateway/lua-path";
import { DatabaseMode, PluginDelivery, type GatewaySpec } from "../gateway/model";
import { DEFAULT_BASE_IMAGE } from "../gateway/kong-conventions";
import { composeProjectIssues } from "./checks";
import { kafkaModeOf } from "./kafka-mode";
import { COMPOSE_IMAGES, DECLARATIVE_CONFIG_PATH, KafkaMode, PG_PASSWORD_VARIABLE, type ComposeProjectSpec, type ComposeUpstream } from "./project-spec";
import { arrayOf, enumOf, INTEGER, JSON_OBJECT, mapOf, objectOf, STRING, withShape, type Shape } from "../core/shape";
import { GATEWAY_SPEC } from "../gateway/shapes";
import { ARTIFACT_INSTALL_SPEC } from "../artifact/install-spec";
import { ARTIFACTS_VOLUME, composeArtifactInstall } from "./artifact-install";

/** A rendered compose project: its files and, for previews, the main texts. */
export interface ComposeProject {
  /** Every file of the project folder, sorted by path. */
  readonly files: readonly OutputFile[];
  readonly composeYaml: string;
  readonly kongYaml: string;
  readonly envExample: string;
  /** Variables the project's `.env` must define. */
  readonly secretVariables: readonly string[];
}

type Service = Record<string, ComposeTree>;

/**
 * Renders a compose project folder: `docker-compose.yaml`, `kong.yaml`, the plugin files to
 * mount, and `.env.example`. Kong runs DB-less from kong.yaml, or on PostgreSQL after a
 * one-shot `kong-migrations` service (and a decK sync of kong.yaml once Kong is healthy).
 * Everything is checked first (the gateway preflight included) and all problems are reported
 * at once; no secret is written: each is a required `${VAR}` listed in `.env.example`.
 * @throws KongPluginsValidationError
 */
/** The types of {@link ComposeProjectSpec} (see ../core/shape.ts). */
const COMPOSE_PROJECT_SPEC: Shape = objectOf(
  {
    gateway: GATEWAY_SPEC,
    projectName: STRING,
    knep: objectOf({ name: STRING, service: JSON_OBJECT, volumes: JSON_OBJECT, envExample: STRING, secretVariables: arrayOf(STRING), requiredVariables: arrayOf(STRING) }, ["name", "service"]),
    kafka: enumOf(KafkaMode),
    ports: objectOf({ proxy: INTEGER, proxyTls: INTEGER, admin: INTEGER, adminTls: INTEGER, adminHost: STRING }),
    postgres: objectOf({ image: STRING, user: STRING, database: STRING }),
    upstreams: arrayOf(objectOf({ name: STRING, image: STRING, environment: mapOf(STRING) }, ["name", "image"])),
    artifactInstall: ARTIFACT_INSTALL_SPEC,
  },
  ["gateway"],
);

export function renderComposeProject(spec: ComposeProjectSpec): ComposeProject {
  return withShape(spec, COMPOSE_PROJECT_SPEC, "the compose project", () => renderComposeProjectTyped(spec));
}

function renderComposeProjectTyped(spec: ComposeProjectSpec): ComposeProject {
  const issues = composeProjectIssues(spec);
  if (issues.length > 0) throw new KongPluginsValidationError(issues, "the compose project");

  const { gateway } = spec;
  const database = gateway.database ?? DatabaseMode.Off;
  const kafka = kafkaModeOf(spec);
  const project = spec.projectName ?? "kong";
  const gatewaySecrets = gatewaySecretVariables(gateway);
  const artifacts = spec.artifactInstall && composeArtifactInstall(spec.artifactInstall, gateway.plugins);
  const secretVariables = [...(database === DatabaseMode.Postgres ? [PG_PASSWORD_VARIABLE] : []), ...gatewaySecrets, ...(spec.knep?.secretVariables ?? []), ...(artifacts?.secretVariables ?? [])];

  const kongImage = gateway.delivery === PluginDelivery.Image && gateway.image ? gateway.image.name : (gateway.baseImage ?? DEFAULT_BASE_IMAGE);
  const kongEnvironment: Record<string, ComposeTree> = {
    ...kongEnvironmentOf(spec),
    ...(database === DatabaseMode.Postgres ? { [PG_PASSWORD_VARIABLE]: composeSecretReference(PG_PASSWORD_VARIABLE) } : {}),
    ...Object.fromEntries(gatewaySecrets.map((v) => [v, composeSecretReference(v)])),
  };
  const pluginVolumes = artifacts ? [artifacts.pluginVolume] : gateway.delivery === PluginDelivery.Mount ? gateway.plugins.map((plugin) => `./plugins/${plugin.name}:${MOUNT_ROOT}/kong/plugins/${plugin.name}:ro`).sort() : [];

  const services: Record<string, Service> = {
    kong: {
      image: kongImage,
      environment: kongEnvironment,
      ports: publishedPorts(spec),
      volumes: [...(database === DatabaseMode.Off ? [`./kong.yaml:${DECLARATIVE_CONFIG_PATH}:ro`] : []), ...pluginVolumes],
      healthcheck: { test: ["CMD", "kong", "health"], interval: "10s", timeout: "10s", retries: 10 },
      restart: "unless-stopped",
      ...(database === DatabaseMode.Postgres || artifacts
        ? {
            depends_on: {
              ...(database === DatabaseMode.Postgres ? { postgres: { condition: "service_healthy" }, "kong-migrations": { condition: "service_completed_successfully" } } : {}),
              ...artifacts?.dependsOn,
            },
          }
        : {}),
    },
    ...(database === DatabaseMode.Postgres ? postgresServices(spec, kongImage, kongEnvironment, pluginVolumes, artifacts?.dependsOn) : {}),
    ...artifacts?.services,
    ...kafkaServices(kafka, project),
    ...(spec.knep ? { [spec.knep.name]: knepService(spec) } : {}),
    ...Object.fromEntries((spec.upstreams ?? []).map((upstream) => [upstream.name, upstreamService(upstream)])),
  };
  const volumes = {
    ...(database === DatabaseMode.Postgres ? { "postgres-data": {} } : {}),
    ...(kafka !== KafkaMode.None ? { "kafka-data": {} } : {}),
    ...(spec.knep?.volumes ?? {}),
    ...(artifacts ? { [ARTIFACTS_VOLUME]: {} } : {}),
  };

  // No top-level `name`: docker-compose 1.29 rejects it; the folder names the project.
  // Every string is written literally here, once; only the secret references are interpolated.
  const composeYaml = stableYaml(composeDocument({ services, ...(Object.keys(volumes).length > 0 ? { volumes } : {}) }));
  const kongYaml = stableYaml(renderDeclarativeConfig(gateway));
  const envExample = renderEnvExample("Secrets of this compose project.", secretVariables, spec.knep?.requiredVariables);
  const pluginFiles = artifacts ? artifacts.files : gateway.delivery === PluginDelivery.Mount ? gateway.plugins.flatMap((plugin) => plugin.files.map((file) => ({ path: `plugins/${plugin.name}/${file.path}`, content: file.content }))) : [];
  const files = [
    { path: ".env.example", content: envExample },
    { path: "docker-compose.yaml", content: composeYaml },
    { path: "kong.yaml", content: kongYaml },
    ...pluginFiles,
  ].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return { files, composeYaml, kongYaml, envExample, secretVariables };
}

/** Kong's environment in this project: the gateway's, plus where its configuration comes from. */
function kongEnvironmentOf(spec: ComposeProjectSpec): Record<string, string> {
  const postgres = spec.postgres ?? {};
  const database = spec.gateway.database ?? DatabaseMode.Off;
  return {
    ...gatewayEnvironment(spec.gateway),
    ...(database === DatabaseMode.Off
      ? { KONG_DECLARATIVE_CONFIG: DECLARATIVE_CONFIG_PATH }
      : { KONG_PG_HOST: "postgres", KONG_PG_USER: postgres.user ?? "kong", KONG_PG_DATABASE: postgres.database ?? "kong" }),
  };
}

function publishedPorts(spec: ComposeProjectSpec): string[] {
  const ports = spec.ports ?? {};
  const adminHost = ports.adminHost ?? "127.0.0.1";
  return [`${ports.proxy ?? 8000}:8000`, `${ports.proxyTls ?? 8443}:8443`, `${adminHost}:${ports.admin ?? 8001}:8001`, `${adminHost}:${ports.adminTls ?? 8444}:8444`];
}

function postgresServices(spec: ComposeProjectSpec, kongImage: string, kongEnvironment: Record<string, ComposeTree>, pluginVolumes: string[], installs: Record<string, ComposeTree> = {}): Record<string, Service> {
  const user = spec.postgres?.user ?? "kong";
  const database = spec.postgres?.database ?? "kong";
  const services: Record<string, Service> = {
    postgres: {
      image: spec.postgres?.image ?? COMPOSE_IMAGES.postgres,
      environment: { POSTGRES_USER: user, POSTGRES_DB: database, POSTGRES_PASSWORD: composeSecretReference(PG_PASSWORD_VARIABLE) },
      healthcheck: { test: ["CMD", "pg_isready", "-U", user, "-d", database], interval: "5s", timeout: "5s", retries: 10 },
      volumes: ["postgres-data:/var/lib/postgresql/data"],
      restart: "unless-stopped",
    },
    // Bootstrap on a new database, then run what is new (a new plugin's migrations: "database
    // is missing migration"), then finish. Each step is a no-op when there is nothing to do.
    "kong-migrations": {
      image: kongImage,
      command: ["sh", "-c", "kong migrations bootstrap && kong migrations up && kong migrations finish"],
      environment: kongEnvironment,
      ...(pluginVolumes.length > 0 ? { volumes: pluginVolumes } : {}),
      // A new plugin's migrations are in its installed files.
      depends_on: { postgres: { condition: "service_healthy" }, ...installs },
      restart: "no",
    },
  };
  if (hasDeclarativeEntities(spec.gateway)) {
    services["kong-config"] = {
      image: COMPOSE_IMAGES.deck,
      command: ["gateway", "sync", "--kong-addr", "http://kong:8001", DECLARATIVE_CONFIG_PATH],
      volumes: [`./kong.yaml:${DECLARATIVE_CONFIG_PATH}:ro`],
      depends_on: { kong: { condition: "service_healthy" } },
      restart: "no",
    };
  }
  return services;
}

function hasDeclarativeEntities(gateway: GatewaySpec): boolean {
  return gateway.instances.length + (gateway.services?.length ?? 0) + (gateway.routes?.length ?? 0) + (gateway.consumers?.length ?? 0) > 0;
}

/** Kafka's KRaft cluster id: 16 bytes, URL-safe base64, derived from the project name so renders repeat. */
export function kafkaClusterId(project: string): string {
  return createHash("sha256").update(`kafka-cluster:${project}`).digest().subarray(0, 16).toString("base64url");
}

function kafkaServices(mode: KafkaMode, project: string): Record<string, Service> {
  const healthcheck = { test: ["CMD", "kafka-topics", "--bootstrap-server", "localhost:9092", "--list"], interval: "10s", timeout: "10s", retries: 12, start_period: "20s" };
  const common = {
    KAFKA_ADVERTISED_LISTENERS: "PLAINTEXT://kafka:9092",
    KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR: "1",
    KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR: "1",
    KAFKA_TRANSACTION_STATE_LOG_MIN_ISR: "1",
  };
  switch (mode) {
    case KafkaMode.None:
      return {};
    case KafkaMode.KRaft:
      return {
        kafka: {
          image: COMPOSE_IMAGES.kafka,
          environment: {
            ...common,
            CLUSTER_ID: kafkaClusterId(project),
            KAFKA_NODE_ID: "1",
            KAFKA_PROCESS_ROLES: "broker,controller",
            KAFKA_LISTENERS: "PLAINTEXT://0.0.0.0:9092,CONTROLLER://0.0.0.0:9093",
            KAFKA_CONTROLLER_LISTENER_NAMES: "CONTROLLER",
            KAFKA_LISTENER_SECURITY_PROTOCOL_MAP: "CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT",
            KAFKA_CONTROLLER_QUORUM_VOTERS: "1@kafka:9093",
          },
          healthcheck,
          volumes: ["kafka-data:/var/lib/kafka/data"],
          restart: "unless-stopped",
        },
      };
    case KafkaMode.ZooKeeper:
      return {
        zookeeper: {
          image: COMPOSE_IMAGES.zookeeper,
          environment: { ZOOKEEPER_CLIENT_PORT: "2181", ZOOKEEPER_TICK_TIME: "2000" },
          restart: "unless-stopped",
        },
        kafka: {
          image: COMPOSE_IMAGES.kafka,
          environment: { ...common, KAFKA_BROKER_ID: "1", KAFKA_ZOOKEEPER_CONNECT: "zookeeper:2181" },
          depends_on: ["zookeeper"],
          healthcheck,
          volumes: ["kafka-data:/var/lib/kafka/data"],
          restart: "unless-stopped",
        },
      };
    default: {
      const unreachable: never = mode;
      throw new Error(`unknown Kafka mode ${String(unreachable)}`);
    }
  }
}

function upstreamService(upstream: ComposeUpstream): Service {
  const environment = upstream.environment ?? {};
  return { image: upstream.image, restart: "unless-stopped", ...(Object.keys(environment).length > 0 ? { environment } : {}) };
}

/**
 * KNEP starts once Kong (and Kafka, when the project has it) is healthy. Its service is already
 * compose text (renderKnepComposeService writes it through the same escaping), so it is taken as it is.
 */
function knepService(spec: ComposeProjectSpec): Service {
  const { depends_on: _ignored, ...service } = spec.knep?.service ?? {};
  return {
    ...Object.fromEntries(Object.entries(service).map(([key, value]) => [key, new ComposeText(value as JsonValue)])),
    depends_on: {
      kong: { condition: "service_healthy" },
      ...(kafkaModeOf(spec) !== KafkaMode.None ? { kafka: { condition: "service_healthy" } } : {}),
    },
  };
}
