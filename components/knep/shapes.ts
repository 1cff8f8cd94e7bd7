import { arrayOf, enumOf, INTEGER, mapOf, NUMBER, objectOf, STRING, type Shape } from "../core/shape";
import { KafkaCompression, KnepEventType, KnepHttpMethod, KnepLogLevel, KnepTargetType } from "./spec";

// The types of KNEP's plain values (see ../core/shape.ts).

const QUANTITIES = objectOf({ cpu: STRING, memory: STRING });

/** {@link KnepSpec}. */
export const KNEP_SPEC: Shape = objectOf(
  {
    image: STRING,
    kongAdminUrl: STRING,
    adminTimeoutSeconds: NUMBER,
    targetType: enumOf(KnepTargetType),
    kafka: objectOf({ brokers: arrayOf(STRING), topic: STRING, compression: enumOf(KafkaCompression), retryMax: INTEGER }, ["brokers", "topic"]),
    http: objectOf({ url: STRING, method: enumOf(KnepHttpMethod), timeoutSeconds: NUMBER }, ["url"]),
    file: objectOf({ path: STRING }, ["path"]),
    rabbitmq: objectOf({ url: STRING, exchange: STRING, routingKey: STRING }, ["url", "exchange"]),
    eventTypes: arrayOf(enumOf(KnepEventType)),
    logLevel: enumOf(KnepLogLevel),
    replicas: INTEGER,
    resources: objectOf({ requests: QUANTITIES, limits: QUANTITIES }),
    extraEnv: mapOf(STRING),
    secretEnv: mapOf(STRING),
  },
  ["kongAdminUrl", "targetType"],
);
