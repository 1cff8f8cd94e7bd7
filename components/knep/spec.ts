/** Where KNEP forwards events (`TARGET_TYPE`). */
export enum KnepTargetType {
  Kafka = "kafka",
  Http = "http",
  File = "file",
  RabbitMq = "rabbitmq",
}

/** Kong event types KNEP can forward (`EVENT_FILTER_TYPES`). */
export enum KnepEventType {
  Request = "request",
  Response = "response",
  PluginUpdated = "plugin_updated",
  NodeHealth = "node_health",
}

/** KNEP's log levels (`LOG_LEVEL`). */
export enum KnepLogLevel {
  Debug = "debug",
  Info = "info",
  Warn = "warn",
  Error = "error",
}

/** Kafka message compression (`TARGET_KAFKA_COMPRESSION`). */
export enum KafkaCompression {
  None = "none",
  Gzip = "gzip",
  Snappy = "snappy",
}

/** HTTP methods the HTTP target can send with (`TARGET_HTTP_METHOD`). */
export enum KnepHttpMethod {
  Post = "POST",
  Put = "PUT",
}

/** A Kafka target. */
export interface KnepKafkaTarget {
  /** Brokers as `host:port` (`TARGET_KAFKA_BROKERS`). */
  readonly brokers: string[];
  /** Topic events are written to (`TARGET_KAFKA_TOPIC`). */
  readonly topic: string;
  /**
   * Message compression (`TARGET_KAFKA_COMPRESSION`).
   * @default KafkaCompression.None
   */
  readonly compression?: KafkaCompression;
  /**
   * Retries of a failed delivery (`TARGET_KAFKA_RETRY_MAX`).
   * @default 3
   */
  readonly retryMax?: number;
}

/** An HTTP target. */
export interface KnepHttpTarget {
  /** Endpoint that receives events, http or https (`TARGET_HTTP_URL`). */
  readonly url: string;
  /**
   * Method events are sent with (`TARGET_HTTP_METHOD`).
   * @default KnepHttpMethod.Post
   */
  readonly method?: KnepHttpMethod;
  /**
   * Request timeout in seconds (`TARGET_HTTP_TIMEOUT`).
   * @default 5
   */
  readonly timeoutSeconds?: number;
}

/** A file target. */
export interface KnepFileTarget {
  /** Absolute path of the file events are appended to, inside KNEP's container (`TARGET_FILE_PATH`). */
  readonly path: string;
}

/** A RabbitMQ target. */
export interface KnepRabbitMqTarget {
  /** AMQP URL with credentials, `amqp://` or `amqps://` (`TARGET_RABBITMQ_URL`); always a secret. */
  readonly url: string;
  /** Exchange events are published to (`TARGET_RABBITMQ_EXCHANGE`). */
  readonly exchange: string;
  /**
   * Routing key of the published events (`TARGET_RABBITMQ_ROUTING_KEY`).
   * @default "kong.events"
   */
  readonly routingKey?: string;
}

/** CPU and memory quantities of a container, in Kubernetes' units. */
export interface ResourceQuantities {
  /**
   * CPU, e.g. `250m` or `1`.
   * @default - none
   */
  readonly cpu?: string;
  /**
   * Memory, e.g. `256Mi`.
   * @default - none
   */
  readonly memory?: string;
}

/** Kubernetes resource requests and limits of a container. */
export interface KnepResources {
  /**
   * What the scheduler reserves for the container.
   * @default - none
   */
  readonly requests?: ResourceQuantities;
  /**
   * What the container may use at most.
   * @default - none
   */
  readonly limits?: ResourceQuantities;
}

/** A KNEP event proxy, as plain values. Secret values are plain strings here. */
export interface KnepSpec {
  /**
   * KNEP's image; there is no public one. Kubernetes needs it here.
   * @default - none: a compose project asks for `KNEP_IMAGE` (in its `.env`) when it starts
   */
  readonly image?: string;
  /** Kong Admin API URL, http or https (`KONG_ADMIN_URL`). */
  readonly kongAdminUrl: string;
  /**
   * Timeout of Admin API calls in seconds (`KONG_ADMIN_TIMEOUT`).
   * @default 5
   */
  readonly adminTimeoutSeconds?: number;
  /** Where events go (`TARGET_TYPE`). */
  readonly targetType: KnepTargetType;
  /**
   * The Kafka target, with `targetType: kafka`.
   * @default - none
   */
  readonly kafka?: KnepKafkaTarget;
  /**
   * The HTTP target, with `targetType: http`.
   * @default - none
   */
  readonly http?: KnepHttpTarget;
  /**
   * The file target, with `targetType: file`.
   * @default - none
   */
  readonly file?: KnepFileTarget;
  /**
   * The RabbitMQ target, with `targetType: rabbitmq`; its URL is a secret value.
   * @default - none
   */
  readonly rabbitmq?: KnepRabbitMqTarget;
  /**
   * Event types to forward (`EVENT_FILTER_TYPES`).
   * @default [] (all events)
   */
  readonly eventTypes?: KnepEventType[];
  /**
   * KNEP's log level (`LOG_LEVEL`).
   * @default KnepLogLevel.Info
   */
  readonly logLevel?: KnepLogLevel;
  /**
   * Replicas of the Kubernetes Deployment.
   * @default 1
   */
  readonly replicas?: number;
  /**
   * Resource requests and limits of the KNEP container.
   * @default - none
   */
  readonly resources?: KnepResources;
  /**
   * Further plain variables; they cannot override the managed ones.
   * @default {}
   */
  readonly extraEnv?: Readonly<Record<string, string>>;
  /**
   * Further variables whose values are secrets: referenced, never inlined.
   * @default {}
   */
  readonly secretEnv?: Readonly<Record<string, string>>;
}

/** One environment variable of KNEP: a plain value, or a secret to be referenced, never inlined. */
export interface KnepVariable {
  readonly name: string;
  readonly value: string;
  readonly secret: boolean;
  /** For a secret variable, the input it comes from (`rabbitmq.url`, `secretEnv.API_TOKEN`), to name it by. */
  readonly path?: string;
}

/** A KNEP that passed every check, with its environment in order. */
export interface ResolvedKnep {
  /** The image, when given (a compose project asks for it otherwise). */
  readonly image?: string;
  readonly targetType: KnepTargetType;
  readonly replicas: number;
  readonly resources?: KnepResources;
  /** Every variable: the documented ones in the documented order, then extraEnv, then secretEnv. */
  readonly environment: readonly KnepVariable[];
}
