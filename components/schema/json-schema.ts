// The JSON Schema (draft-07) of a plugin's config, derived from its schema.lua. Where JSON
// Schema says exactly what Kong checks, the keyword is used; where it cannot (byte lengths, Lua
// patterns, custom validators, entity checks, sets' silent de-duplication), an `x-kong-*`
// keyword carries the rule and Kong's validator (validate-plugin.ts) enforces it. So a config
// the JSON Schema refuses, Kong refuses too; one it accepts, Kong may still refuse only for an
// `x-kong-*` rule. Editors and YAML language servers can use it as is.
import type { JsonSchema } from "../plugin/model";
import { isLuaNull, type KongField, type PluginSchema } from "./model";
import { jsonValue, isRequired, mustBeWritten } from "./record";

/**
 * JSON's `{}` and `[]` both decode to an empty Lua table, which Kong takes for an array, a map or
 * a record alike (is_sequence({}) is true; a map or record is any table).
 */
const EMPTY_OBJECT_TOO: JsonSchema = { type: ["array", "object"], maxProperties: 0, "x-kong-empty-table": true };
const EMPTY_ARRAY_TOO: JsonSchema = { type: ["object", "array"], maxItems: 0, "x-kong-empty-table": true };

/** A `{vault://...}` reference, which a referenceable string field takes instead of a value. */
const VAULT_REFERENCE: JsonSchema = { type: "string", pattern: "^\\{vault://.*\\}$" };

/** The JSON Schema of the plugin's `config` (an object schema; `{}` when schema.lua has no config record). */
export function configJsonSchema(schema: PluginSchema): JsonSchema {
  const config = schema.fields.find((entry) => entry.name === "config")?.field;
  const derived = config === undefined ? { type: "object" } : fieldSchema(config);
  const pluginChecks = schema.entityChecks.length > 0 ? { "x-kong-plugin-entity-checks": schema.entityChecks.map((check) => ({ [check.kind]: plainCheck(check.argument) })) } : {};
  return { $schema: "http://json-schema.org/draft-07/schema#", title: `${schema.name} config`, ...derived, ...pluginChecks };
}

/** A field's schema; `null` is allowed where Kong accepts it (a field that is not required). */
function fieldSchema(field: KongField): JsonSchema {
  const base = typedSchema(field);
  const annotated: JsonSchema = {
    ...base,
    ...(field.description !== undefined ? { description: field.description } : {}),
    ...(field.default !== undefined && !isLuaNull(field.default) ? { default: jsonValue(field.default) } : {}),
    ...(field.deprecation !== undefined ? { deprecated: true } : {}),
    ...(field.encrypted ? { "x-kong-encrypted": true } : {}),
    ...markers(field),
  };
  return field.type === "string" && field.referenceable ? { "x-kong-referenceable": true, anyOf: [VAULT_REFERENCE, annotated] } : annotated;
}

/** The keywords of the field's type and the validators JSON Schema expresses exactly. */
function typedSchema(field: KongField): JsonSchema {
  const schema: JsonSchema = { ...valueConstraints(field) };
  switch (field.type) {
    case "string":
      schema["type"] = "string";
      // len_min counts bytes; 1 byte and 1 character are the same bound, larger ones are not.
      if ((field.lenMin ?? 1) === 1) schema["minLength"] = 1;
      if (field.startsWith !== undefined) schema["pattern"] = `^${escapeRegex(field.startsWith)}`;
      if (field.uuid) schema["pattern"] = "^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$";
      return schema;
    case "number":
    case "integer":
      schema["type"] = field.type;
      if (field.between !== undefined) Object.assign(schema, { minimum: field.between[0], maximum: field.between[1] });
      if (field.gt !== undefined) schema["exclusiveMinimum"] = field.gt;
      if (field.timestamp) schema["exclusiveMinimum"] = Math.max(0, field.gt ?? 0);
      return schema;
    case "boolean":
      schema["type"] = "boolean";
      return schema;
    case "array":
    case "set":
      Object.assign(schema, { ...EMPTY_OBJECT_TOO, ...(field.elements !== undefined ? { items: fieldSchema({ ...field.elements, required: true }) } : {}), ...countBounds(field, "Items") });
      if (field.contains !== undefined) schema["contains"] = { const: jsonValue(field.contains) };
      return schema;
    case "map":
      Object.assign(schema, {
        ...EMPTY_ARRAY_TOO,
        ...(field.keys !== undefined ? { propertyNames: typedSchema(field.keys) } : {}),
        ...(field.values !== undefined ? { additionalProperties: fieldSchema({ ...field.values, required: true }) } : {}),
        ...countBounds(field, "Properties"),
      });
      return schema;
    case "record":
      return { ...schema, ...recordSchema(field) };
    default:
      // foreign, json, function: Kong's own entities and validators; nothing JSON Schema can say.
      return { ...schema, [`x-kong-type`]: field.type };
  }
}

function recordSchema(record: KongField): JsonSchema {
  const fields = record.fields ?? [];
  const properties: Record<string, JsonSchema> = {};
  for (const { name, field } of fields) {
    const schema = fieldSchema(field);
    properties[name] = isRequired(field) ? schema : { anyOf: [schema, { type: "null" }] };
  }
  // A shorthand is translated whenever it is present, null included (its func receives ngx.null).
  for (const shorthand of record.shorthandFields ?? []) {
    const schema = { ...fieldSchema(shorthand.field), deprecated: true, "x-kong-shorthand": true };
    properties[shorthand.name] = isRequired(shorthand.field) ? schema : { anyOf: [schema, { type: "null" }] };
  }
  // Kong fills a default itself; only a required field without one must be written.
  const required = fields.filter(({ field }) => mustBeWritten(field)).map(({ name }) => name);
  return {
    ...EMPTY_ARRAY_TOO,
    properties,
    ...(required.length > 0 ? { required } : {}),
    additionalProperties: false,
    ...(record.entityChecks !== undefined && record.entityChecks.length > 0 ? { "x-kong-entity-checks": record.entityChecks.map((check) => ({ [check.kind]: plainCheck(check.argument) })) } : {}),
  };
}

/** eq, ne, one_of, not_one_of: exact in JSON Schema for numbers, strings and booleans. */
function valueConstraints(field: KongField): JsonSchema {
  const constraints: JsonSchema = {};
  if (field.oneOf !== undefined) constraints["enum"] = field.oneOf.map(jsonValue);
  if (field.eq !== undefined && !isLuaNull(field.eq)) constraints["const"] = jsonValue(field.eq);
  const excluded = [...(field.notOneOf ?? []), ...(field.ne !== undefined && !isLuaNull(field.ne) ? [field.ne] : [])];
  if (excluded.length > 0) constraints["not"] = { enum: excluded.map(jsonValue) };
  return constraints;
}

/** len_eq/len_min/len_max of arrays (elements) and maps (keys): counts, exact in JSON Schema. */
function countBounds(field: KongField, unit: "Items" | "Properties"): JsonSchema {
  return {
    ...(field.lenEq !== undefined ? { [`min${unit}`]: field.lenEq, [`max${unit}`]: field.lenEq } : {}),
    ...(field.lenMin !== undefined ? { [`min${unit}`]: field.lenMin } : {}),
    ...(field.lenMax !== undefined ? { [`max${unit}`]: field.lenMax } : {}),
  };
}

/** The rules only Kong's validator checks, as `x-kong-*` keywords. */
function markers(field: KongField): JsonSchema {
  const stringLengths = field.type === "string";
  const marks: JsonSchema = {
    ...(stringLengths && field.lenEq !== undefined ? { "x-kong-len-eq-bytes": field.lenEq } : {}),
    ...(stringLengths && field.lenMin !== undefined && field.lenMin !== 1 ? { "x-kong-len-min-bytes": field.lenMin } : {}),
    ...(stringLengths && field.lenMax !== undefined ? { "x-kong-len-max-bytes": field.lenMax } : {}),
    ...(field.match !== undefined ? { "x-kong-match": field.match } : {}),
    ...(field.notMatch !== undefined ? { "x-kong-not-match": field.notMatch } : {}),
    ...(field.matchAll !== undefined ? { "x-kong-match-all": field.matchAll } : {}),
    ...(field.matchAny !== undefined ? { "x-kong-match-any": field.matchAny } : {}),
    ...(field.matchNone !== undefined ? { "x-kong-match-none": field.matchNone } : {}),
    ...(field.isRegex ? { "x-kong-is-regex": true } : {}),
    ...(field.customValidator !== undefined ? { "x-kong-custom-validator": true } : {}),
    ...(field.mutuallyExclusiveSubsets !== undefined ? { "x-kong-mutually-exclusive-subsets": field.mutuallyExclusiveSubsets } : {}),
    ...(field.type === "set" ? { "x-kong-set": true } : {}),
    ...(field.err !== undefined ? { "x-kong-err": field.err } : {}),
  };
  return marks;
}

/** An entity check's argument without its functions (they stay in schema.lua). */
function plainCheck(argument: unknown): unknown {
  if (Array.isArray(argument)) return argument.map(plainCheck);
  if (argument !== null && typeof argument === "object") {
    if ("$function" in argument) return "<function>";
    return Object.fromEntries(Object.entries(argument).map(([key, value]) => [key, plainCheck(value)]));
  }
  return argument;
}

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
}
