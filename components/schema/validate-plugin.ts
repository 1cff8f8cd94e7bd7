// A plugin instance checked as Kong checks a plugins entity against the plugin's schema.lua
// (kong/db/dao/init.lua check_insert: process_auto_fields, then validate), with the plugin's
// fields (config, protocols, consumer/route/service) taking the place of the plugins entity's.
import { asRecord } from "../core/objects";
import { makeRecordsRequired, type KongField, type NamedField, type PluginSchema } from "./model";
import { processRecord, validateProcessedRecord, validateRecordValue } from "./record";
import type { FieldContext, SchemaIssue, SchemaRuntime } from "./validate-field";

/** What an instance gives Kong besides its config. */
export interface PluginEntityInput {
  readonly config?: Record<string, unknown>;
  /** The instance's protocols; Kong's default applies when absent. */
  readonly protocols?: readonly string[];
  /** Whether the instance is attached to a consumer, a route, a service. */
  readonly consumer?: boolean;
  readonly route?: boolean;
  readonly service?: boolean;
}

/** The result: the config with Kong's defaults filled in, and every problem. */
export interface PluginEntityResult {
  /** The config as Kong stores it: defaults filled, shorthand fields translated, absent optional fields null. */
  readonly config: Record<string, unknown>;
  readonly issues: readonly SchemaIssue[];
}

/** Protocols by Kong's constants (PROTOCOLS, sorted; `ws`/`wss` in Kong Gateway Enterprise). */
const PROTOCOLS = ["grpc", "grpcs", "http", "https", "tcp", "tls", "tls_passthrough", "udp", "ws", "wss"];

/**
 * The plugins entity's own fields that a plugin's schema may specialize
 * (kong/db/schema/entities/plugins.lua): protocols is `typedefs.protocols`, the foreign keys are
 * nullable references.
 */
const ENTITY_FIELDS: readonly NamedField[] = [
  { name: "consumer", field: { type: "foreign", reference: "consumers", required: false } },
  { name: "route", field: { type: "foreign", reference: "routes", required: false } },
  { name: "service", field: { type: "foreign", reference: "services", required: false } },
  { name: "config", field: { type: "record", abstract: true, fields: [] } },
  {
    name: "protocols",
    field: { type: "set", required: true, default: ["grpc", "grpcs", "http", "https", "ws", "wss"], elements: { type: "string", oneOf: PROTOCOLS } },
  },
];

/** A stand-in reference: the instance names its consumer, route or service, Kong stores its id. */
const REFERENCE = { id: "00000000-0000-4000-8000-000000000000" };

/** The plugins entity specialized by each schema, built once per schema (a program checks many instances of one plugin). */
const entities = new WeakMap<PluginSchema, KongField>();

function entityOf(schema: PluginSchema): KongField {
  let entity = entities.get(schema);
  if (entity === undefined) {
    const own = new Map(schema.fields.map((entry) => [entry.name, entry.field]));
    const fields = ENTITY_FIELDS.map(({ name, field }) => ({ name, field: makeRecordsRequired(own.get(name) ?? field) }));
    entity = { type: "record", fields, entityChecks: schema.entityChecks };
    entities.set(schema, entity);
  }
  return entity;
}

/** Validates an instance's config (and scope and protocols) with Kong's semantics. */
export function validatePluginEntity(schema: PluginSchema, input: PluginEntityInput, runtime: SchemaRuntime): PluginEntityResult {
  const entity = entityOf(schema);
  const issues: SchemaIssue[] = [];
  const context: FieldContext = { runtime, issues, record: validateRecordValue };
  const data: Record<string, unknown> = {
    ...(input.config !== undefined ? { config: input.config } : {}),
    ...(input.protocols !== undefined ? { protocols: [...input.protocols] } : {}),
    ...(input.consumer ? { consumer: REFERENCE } : {}),
    ...(input.route ? { route: REFERENCE } : {}),
    ...(input.service ? { service: REFERENCE } : {}),
  };
  const processed = processRecord(entity, data, "", context);
  if (processed !== undefined) validateProcessedRecord(entity, processed, "", context);
  return { config: asRecord(processed?.["config"]) ?? input.config ?? {}, issues };
}
