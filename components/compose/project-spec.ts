import type { KnepComposeService } from "../knep/compose";
import type { ArtifactInstallSpec } from "../artifact/install-spec";
import type { GatewaySpec } from "../gateway/model";

/** Kafka in the compose project. */
export enum KafkaMode {
  None = "none",
  /** One broker in KRaft mode, without ZooKeeper: today's default. */
  KRaft = "kraft",
  /** ZooKeeper and one broker, as in the KNEP source document. */
  ZooKeeper = "zookeeper",
}

/** Ports the project publishes on the host. */
export interface ComposePorts {
  /**
   * Host port of Kong's proxy (HTTP).
   * @default 8000
   */
  readonly proxy?: number;
  /**
   * Host port of Kong's proxy (HTTPS).
   * @default 8443
   */
  readonly proxyTls?: number;
  /**
   * Host port of Kong's Admin API (HTTP).
   * @default 8001
   */
  readonly admin?: number;
  /**
   * Host port of Kong's Admin API (HTTPS).
   * @default 8444
   */
  readonly adminTls?: number;
  /**
   * Host address the Admin API is published on; `0.0.0.0` exposes it to the network.
   * @default "127.0.0.1"
   */
  readonly adminHost?: string;
}

/** PostgreSQL settings; the password is read from `.env` as KONG_PG_PASSWORD. */
export interface PostgresSettings {
  /**
   * PostgreSQL's image.
   * @default "postgres:16"
   */
  readonly image?: string;
  /**
   * The user Kong connects as (KONG_PG_USER).
   * @default "kong"
   */
  readonly user?: string;
  /**
   * The database Kong uses (KONG_PG_DATABASE).
   * @default "kong"
   */
  readonly database?: string;
}

/** A container beside Kong that its services proxy to, such as an echo server to try routes on. */
export interface ComposeUpstream {
  /** The compose service's name: the host name Kong's service URLs use (`http://<name>:<port>`). */
  readonly name: string;
  /** Its image, e.g. `mccutchen/go-httpbin:v2.15.0`. */
  readonly image: string;
  /**
   * Environment of its container (written literally: compose interpolates nothing in it).
   * @default {}
   */
  readonly environment?: Record<string, string>;
}

/** A compose project: a gateway and what runs beside it. */
export interface ComposeProjectSpec {
  readonly gateway: GatewaySpec;
  /** Names the project's named volumes and derives Kafka's cluster id. @default "kong" */
  readonly projectName?: string;
  /** KNEP's rendered compose service. @default - no KNEP */
  readonly knep?: KnepComposeService;
  /** @default - KafkaMode.KRaft when the KNEP forwards to Kafka, KafkaMode.None otherwise */
  readonly kafka?: KafkaMode;
  /** @default - the defaults of {@link ComposePorts} */
  readonly ports?: ComposePorts;
  /** @default - the defaults of {@link PostgresSettings} */
  readonly postgres?: PostgresSettings;
  /** Upstream containers Kong's services proxy to. @default [] */
  readonly upstreams?: readonly ComposeUpstream[];
  /** Install the plugins from signed artifacts, by one-shot installer services, instead of mounting their files. @default - files mounted */
  readonly artifactInstall?: ArtifactInstallSpec;
}

/** Images of the services this library adds beside Kong, pinned so renders are reproducible. */
export const COMPOSE_IMAGES = {
  postgres: "postgres:16",
  kafka: "confluentinc/cp-kafka:7.7.1",
  zookeeper: "confluentinc/cp-zookeeper:7.7.1",
  deck: "kong/deck:v1.54.0",
} as const;

/** The project variable of PostgreSQL's password, which Kong and PostgreSQL both read. */
export const PG_PASSWORD_VARIABLE = "KONG_PG_PASSWORD";

/** Where Kong reads its declarative configuration inside the container. */
export const DECLARATIVE_CONFIG_PATH = "/kong/declarative/kong.yaml";
