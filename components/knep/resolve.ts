import { IssueCollector, joinPath, REDACTED, type ValidationIssue } from "../core/errors";
import { compareStrings } from "../core/digest";
import { withShape } from "../core/shape";
import { KNEP_SPEC } from "./shapes";
import {
  KafkaCompression,
  KnepEventType,
  KnepHttpMethod,
  KnepLogLevel,
  KnepTargetType,
  type KnepSpec,
  type KnepVariable,
  type ResolvedKnep,
} from "./spec";

/** The variables KNEP's environment is made of, which extraEnv and secretEnv may not set. */
export const KNEP_MANAGED_VARIABLES = [
  "KONG_ADMIN_URL",
  "KONG_ADMIN_TIMEOUT",
  "TARGET_TYPE",
  "EVENT_FILTER_TYPES",
  "LOG_LEVEL",
  "TARGET_KAFKA_BROKERS",
  "TARGET_KAFKA_TOPIC",
  "TARGET_KAFKA_COMPRESSION",
  "TARGET_KAFKA_RETRY_MAX",
  "TARGET_HTTP_URL",
  "TARGET_HTTP_METHOD",
  "TARGET_HTTP_TIMEOUT",
  "TARGET_FILE_PATH",
  "TARGET_RABBITMQ_URL",
  "TARGET_RABBITMQ_EXCHANGE",
  "TARGET_RABBITMQ_ROUTING_KEY",
] as const;

/** The defaults of KNEP's documented variables. */
export const KNEP_DEFAULTS = {
  adminTimeoutSeconds: 5,
  logLevel: KnepLogLevel.Info,
  kafkaCompression: KafkaCompression.None,
  kafkaRetryMax: 3,
  httpMethod: KnepHttpMethod.Post,
  httpTimeoutSeconds: 5,
  rabbitMqRoutingKey: "kong.events",
  replicas: 1,
} as const;

const TARGET_BLOCKS = { kafka: KnepTargetType.Kafka, http: KnepTargetType.Http, file: KnepTargetType.File, rabbitmq: KnepTargetType.RabbitMq } as const;
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
// Kafka's own rule (kafka.common.internals.Topic): 1 to 249 of [a-zA-Z0-9._-], not "." or "..".
const KAFKA_TOPIC = /^[a-zA-Z0-9._-]{1,249}$/;
const HOST_PORT = /^(?:\[[0-9a-fA-F:]+\]|[a-zA-Z0-9](?:[a-zA-Z0-9.-]*[a-zA-Z0-9])?):([0-9]{1,5})$/;
const QUANTITY = /^[+]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][-+]?[0-9]+|[numkMGTPE]|[KMGTPE]i)?$/;

/** Options of {@link resolveKnep}. */
export interface ResolveKnepOptions {
  /**
   * The secret values (rabbitmq.url, secretEnv) are placeholders the caller withholds so that
   * what it renders publicly cannot depend on them; only their presence is checked.
   */
  readonly secretValuesWithheld?: boolean;
  /** The image must be given: KNEP runs on Kubernetes, where nothing can ask for it later. @default false */
  readonly imageRequired?: boolean;
}

/** KNEP has no public image: on Kubernetes, nothing can ask for one when it starts, as compose does. */
export const IMAGE_REQUIRED_ON_KUBERNETES: ValidationIssue = {
  path: "image",
  message: "is required on Kubernetes: KNEP has no public image",
  expected: "your registry's KNEP image, e.g. registry.example.com/knep:1.2.0",
};

/**
 * Checks a KNEP spec and lays out its environment, reporting every problem at once: a target
 * block that does not match `targetType` or is missing, bad URLs, brokers, topics, enums and
 * timeouts, variables that would override the managed ones.
 * @throws KongPluginsValidationError
 */
export function resolveKnep(spec: KnepSpec, options: ResolveKnepOptions = {}): ResolvedKnep {
  return withShape(spec, KNEP_SPEC, "the KNEP deployment", () => resolveKnepTyped(spec, options));
}

function resolveKnepTyped(spec: KnepSpec, options: ResolveKnepOptions): ResolvedKnep {
  const issues = new IssueCollector();
  const withheld = options.secretValuesWithheld ?? false;
  if (spec.image === undefined) {
    if (options.imageRequired) issues.addAll([IMAGE_REQUIRED_ON_KUBERNETES]);
  } else if (typeof spec.image !== "string" || spec.image.trim() === "") {
    issues.add("image", "must name KNEP's image", { received: spec.image, expected: IMAGE_REQUIRED_ON_KUBERNETES.expected });
  }
  checkUrl(spec.kongAdminUrl, "kongAdminUrl", ["http:", "https:"], issues);
  checkPositive(spec.adminTimeoutSeconds, "adminTimeoutSeconds", issues);
  checkEnum(spec.targetType, "targetType", KnepTargetType, issues);
  checkTargetBlocks(spec, withheld, issues);
  (spec.eventTypes ?? []).forEach((eventType, index) => checkEnum(eventType, joinPath("eventTypes", index), KnepEventType, issues));
  if (spec.logLevel !== undefined) checkEnum(spec.logLevel, "logLevel", KnepLogLevel, issues);
  if (spec.replicas !== undefined && (!Number.isInteger(spec.replicas) || spec.replicas < 0)) {
    issues.add("replicas", "must be a whole number, 0 or more", { received: spec.replicas });
  }
  checkResources(spec, issues);
  checkExtraVariables(spec.extraEnv ?? {}, "extraEnv", false, issues);
  checkExtraVariables(spec.secretEnv ?? {}, "secretEnv", true, issues, withheld);
  for (const name of Object.keys(spec.secretEnv ?? {})) {
    if (name in (spec.extraEnv ?? {})) issues.add(joinPath("secretEnv", name), "is also set in extraEnv");
  }
  issues.throwIfAny("the KNEP deployment");

  return {
    ...(spec.image !== undefined ? { image: spec.image } : {}),
    targetType: spec.targetType,
    replicas: spec.replicas ?? KNEP_DEFAULTS.replicas,
    ...(spec.resources !== undefined ? { resources: spec.resources } : {}),
    environment: environmentOf(spec),
  };
}

function environmentOf(spec: KnepSpec): KnepVariable[] {
  const plain = (name: string, value: string | number): KnepVariable => ({ name, value: String(value), secret: false });
  const variables: KnepVariable[] = [
    plain("KONG_ADMIN_URL", spec.kongAdminUrl),
    plain("KONG_ADMIN_TIMEOUT", spec.adminTimeoutSeconds ?? KNEP_DEFAULTS.adminTimeoutSeconds),
    plain("TARGET_TYPE", spec.targetType),
    // Empty means "all events", which is what leaving the variable out says too.
    ...((spec.eventTypes ?? []).length > 0 ? [plain("EVENT_FILTER_TYPES", [...new Set(spec.eventTypes)].join(","))] : []),
    plain("LOG_LEVEL", spec.logLevel ?? KNEP_DEFAULTS.logLevel),
  ];
  switch (spec.targetType) {
    case KnepTargetType.Kafka: {
      const kafka = spec.kafka!;
      variables.push(
        plain("TARGET_KAFKA_BROKERS", kafka.brokers.join(",")),
        plain("TARGET_KAFKA_TOPIC", kafka.topic),
        plain("TARGET_KAFKA_COMPRESSION", kafka.compression ?? KNEP_DEFAULTS.kafkaCompression),
        plain("TARGET_KAFKA_RETRY_MAX", kafka.retryMax ?? KNEP_DEFAULTS.kafkaRetryMax),
      );
      break;
    }
    case KnepTargetType.Http: {
      const http = spec.http!;
      variables.push(
        plain("TARGET_HTTP_URL", http.url),
        plain("TARGET_HTTP_METHOD", http.method ?? KNEP_DEFAULTS.httpMethod),
        plain("TARGET_HTTP_TIMEOUT", http.timeoutSeconds ?? KNEP_DEFAULTS.httpTimeoutSeconds),
      );
      break;
    }
    case KnepTargetType.File:
      variables.push(plain("TARGET_FILE_PATH", spec.file!.path));
      break;
    case KnepTargetType.RabbitMq: {
      const rabbitmq = spec.rabbitmq!;
      variables.push(
        { name: "TARGET_RABBITMQ_URL", value: rabbitmq.url, secret: true, path: "rabbitmq.url" },
        plain("TARGET_RABBITMQ_EXCHANGE", rabbitmq.exchange),
        plain("TARGET_RABBITMQ_ROUTING_KEY", rabbitmq.routingKey ?? KNEP_DEFAULTS.rabbitMqRoutingKey),
      );
      break;
    }
    default: {
      const unreachable: never = spec.targetType;
      throw new Error(`unknown KNEP target ${String(unreachable)}`);
    }
  }
  const sorted = (map: Readonly<Record<string, string>>) => Object.entries(map).sort(([a], [b]) => compareStrings(a, b));
  return [
    ...variables,
    ...sorted(spec.extraEnv ?? {}).map(([name, value]) => ({ name, value, secret: false })),
    ...sorted(spec.secretEnv ?? {}).map(([name, value]) => ({ name, value, secret: true, path: joinPath("secretEnv", name) })),
  ];
}

function checkTargetBlocks(spec: KnepSpec, withheld: boolean, issues: IssueCollector): void {
  for (const [block, type] of Object.entries(TARGET_BLOCKS) as [keyof typeof TARGET_BLOCKS, KnepTargetType][]) {
    const given = spec[block] !== undefined;
    if (given && type !== spec.targetType) {
      issues.add(block, `is given but targetType is ${JSON.stringify(spec.targetType)}`, { expected: `only the ${spec.targetType} block` });
    } else if (!given && type === spec.targetType) {
      issues.add(block, `is required when targetType is ${JSON.stringify(type)}`);
    }
  }
  if (spec.targetType === KnepTargetType.Kafka && spec.kafka) checkKafka(spec.kafka, issues);
  if (spec.targetType === KnepTargetType.Http && spec.http) {
    checkUrl(spec.http.url, "http.url", ["http:", "https:"], issues);
    if (spec.http.method !== undefined) checkEnum(spec.http.method, "http.method", KnepHttpMethod, issues);
    checkPositive(spec.http.timeoutSeconds, "http.timeoutSeconds", issues);
  }
  if (spec.targetType === KnepTargetType.File && spec.file && !/^\/[^\0\n]*$/.test(spec.file.path ?? "")) {
    issues.add("file.path", "must be an absolute path inside KNEP's container", { received: spec.file.path });
  }
  if (spec.targetType === KnepTargetType.RabbitMq && spec.rabbitmq) {
    if (!withheld) checkUrl(spec.rabbitmq.url, "rabbitmq.url", ["amqp:", "amqps:"], issues, true);
    for (const key of ["exchange", "routingKey"] as const) {
      const value = spec.rabbitmq[key];
      if ((key === "exchange" || value !== undefined) && (typeof value !== "string" || value === "" || value.length > 255 || /[\s,]/.test(value))) {
        issues.add(joinPath("rabbitmq", key), "must be 1 to 255 characters without spaces or commas", { received: value });
      }
    }
  }
}

function checkKafka(kafka: NonNullable<KnepSpec["kafka"]>, issues: IssueCollector): void {
  if (!Array.isArray(kafka.brokers) || kafka.brokers.length === 0) {
    issues.add("kafka.brokers", "must list at least one broker", { expected: "host:port, e.g. kafka:9092" });
  } else {
    kafka.brokers.forEach((broker, index) => {
      const match = typeof broker === "string" ? HOST_PORT.exec(broker) : null;
      if (!match || Number(match[1]) < 1 || Number(match[1]) > 65535) {
        issues.add(joinPath("kafka.brokers", index), "is not host:port", { received: broker, expected: "e.g. kafka:9092" });
      }
    });
  }
  if (kafka.topic === undefined) issues.add("kafka.topic", "is required");
  else if (typeof kafka.topic !== "string" || !KAFKA_TOPIC.test(kafka.topic) || kafka.topic === "." || kafka.topic === "..") {
    issues.add("kafka.topic", "is not a Kafka topic name", { received: kafka.topic, expected: "1 to 249 of letters, digits, '.', '_' and '-'" });
  }
  if (kafka.compression !== undefined) checkEnum(kafka.compression, "kafka.compression", KafkaCompression, issues);
  if (kafka.retryMax !== undefined && (!Number.isInteger(kafka.retryMax) || kafka.retryMax < 0)) {
    issues.add("kafka.retryMax", "must be a whole number, 0 or more", { received: kafka.retryMax });
  }
}

function checkResources(spec: KnepSpec, issues: IssueCollector): void {
  for (const kind of ["requests", "limits"] as const) {
    for (const [resource, quantity] of Object.entries(spec.resources?.[kind] ?? {})) {
      if (typeof quantity !== "string" || !QUANTITY.test(quantity)) {
        issues.add(joinPath(joinPath("resources", kind), resource), "is not a Kubernetes quantity", { received: quantity, expected: "e.g. 100m or 128Mi" });
      }
    }
  }
}

function checkExtraVariables(map: Readonly<Record<string, string>>, path: string, secret: boolean, issues: IssueCollector, withheld = false): void {
  for (const [name, value] of Object.entries(map)) {
    const variablePath = joinPath(path, name);
    if (!ENV_NAME.test(name)) issues.add(variablePath, "is not a variable name", { received: name, expected: "letters, digits and '_', not starting with a digit" });
    if ((KNEP_MANAGED_VARIABLES as readonly string[]).includes(name)) issues.add(variablePath, "would override a variable the KNEP deployment manages; set it through its own argument");
    if (!withheld && typeof value !== "string") issues.add(variablePath, "must be a string", { received: secret ? REDACTED : value });
  }
}

function checkUrl(value: unknown, path: string, protocols: readonly string[], issues: IssueCollector, secret = false): void {
  let url: URL | undefined;
  try {
    url = typeof value === "string" ? new URL(value) : undefined;
  } catch {
    url = undefined;
  }
  if (!url || !protocols.includes(url.protocol) || url.hostname === "") {
    issues.add(path, "is not a valid URL", { received: secret ? REDACTED : value, expected: `a ${protocols.map((p) => p.replace(":", "")).join(" or ")} URL` });
  }
}

function checkPositive(value: number | undefined, path: string, issues: IssueCollector): void {
  if (value !== undefined && !(typeof value === "number" && Number.isFinite(value) && value > 0)) {
    issues.add(path, "must be a positive number of seconds", { received: value });
  }
}

function checkEnum(value: unknown, path: string, values: Record<string, string>, issues: IssueCollector): void {
  if (!Object.values(values).includes(value as string)) {
    issues.add(path, "is not one of the allowed values", { received: value, expected: `one of ${Object.values(values).join(", ")}` });
  }
}
