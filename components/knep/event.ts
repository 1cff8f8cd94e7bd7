import { validateWithSchema } from "../core/ajv";
import { KongPluginsValidationError, type ValidationIssue } from "../core/errors";
import { KnepEventType } from "./spec";

/** Fields every KNEP event has (seed 001). */
interface KnepEventEnvelope<Type extends KnepEventType, Data> {
  readonly event_type: Type;
  /** When the event happened, in Unix seconds. */
  readonly timestamp: number;
  /** The Kong node the event comes from. */
  readonly kong_node_id: string;
  readonly data: Data;
}

/** `data` of a `request` event. */
export interface KnepRequestData {
  readonly request_id: string;
  readonly method: string;
  readonly path: string;
  readonly status: number;
  readonly [field: string]: unknown;
}

/** `data` of a `response` event: the request it answers and its status. */
export interface KnepResponseData {
  readonly request_id: string;
  readonly status: number;
  readonly [field: string]: unknown;
}

/** `data` of the other event types, whose fields KNEP's documentation leaves open. */
export type KnepOpenData = Readonly<Record<string, unknown>>;

/** An event KNEP forwards. */
export type KnepEvent =
  | KnepEventEnvelope<KnepEventType.Request, KnepRequestData>
  | KnepEventEnvelope<KnepEventType.Response, KnepResponseData>
  | KnepEventEnvelope<KnepEventType.PluginUpdated, KnepOpenData>
  | KnepEventEnvelope<KnepEventType.NodeHealth, KnepOpenData>;

/** The largest timestamp read as seconds: larger values are milliseconds (year 5138 onwards). */
const MAX_UNIX_SECONDS = 99_999_999_999;

const dataFor = (required: readonly string[], properties: Record<string, object>) => ({
  properties: { data: { type: "object", required: [...required], properties } },
});

/** JSON Schema (draft-07) of a KNEP event. */
export const KNEP_EVENT_SCHEMA = {
  $schema: "http://json-schema.org/draft-07/schema#",
  title: "KNEP event",
  type: "object",
  required: ["event_type", "timestamp", "kong_node_id", "data"],
  properties: {
    event_type: { type: "string", enum: Object.values(KnepEventType) },
    timestamp: { type: "integer", minimum: 0, maximum: MAX_UNIX_SECONDS, description: "Unix seconds" },
    kong_node_id: { type: "string", minLength: 1 },
    data: { type: "object" },
  },
  allOf: [
    {
      if: { properties: { event_type: { const: KnepEventType.Request } } },
      then: dataFor(["request_id", "method", "path", "status"], {
        request_id: { type: "string", minLength: 1 },
        method: { type: "string", pattern: "^[A-Z]+$" },
        path: { type: "string", pattern: "^/" },
        status: { type: "integer", minimum: 100, maximum: 599 },
      }),
    },
    {
      if: { properties: { event_type: { const: KnepEventType.Response } } },
      then: dataFor(["request_id", "status"], {
        request_id: { type: "string", minLength: 1 },
        status: { type: "integer", minimum: 100, maximum: 599 },
      }),
    },
  ],
} as const;

/**
 * Parses one KNEP event (JSON text) into a typed event.
 * @throws KongPluginsValidationError for text that is not JSON, an unknown `event_type`,
 *   missing fields, or a timestamp that is not Unix seconds.
 */
export function parseKnepEvent(text: string): KnepEvent {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new KongPluginsValidationError([{ path: "", message: `is not JSON: ${(error as Error).message}` }], "the KNEP event");
  }
  const issues = validateWithSchema(KNEP_EVENT_SCHEMA as never, value, "").map(explainTimestamp);
  if (issues.length > 0) throw new KongPluginsValidationError(issues, "the KNEP event");
  return value as KnepEvent;
}

function explainTimestamp(issue: ValidationIssue): ValidationIssue {
  if (issue.path !== "timestamp" || issue.message === "is required") return issue;
  const looksLikeMilliseconds = typeof issue.received === "number" && issue.received > MAX_UNIX_SECONDS;
  return {
    ...issue,
    message: looksLikeMilliseconds ? "must be Unix seconds, not milliseconds" : "must be Unix seconds",
    expected: "a whole number of seconds since 1970-01-01T00:00:00Z",
  };
}
