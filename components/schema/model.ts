// Kong's schema language as typed values: what schema.lua returns, read from the table the
// sandbox exported (lua/kong/load-plugin.ts). Functions (custom_validator, custom entity
// checks, shorthand translations) stay in the plugin's Lua state and are called there.
import { asList, asRecord } from "../core/objects";
import { FIELD_TYPES } from "./metaschema";

/** A Kong field type (kong/db/schema/init.lua Schema.valid_types). */
export type FieldType = (typeof FIELD_TYPES)[number];

/** A function of schema.lua, called in the plugin's Lua state by its id. */
export interface LuaFunctionRef {
  readonly $function: number;
}

/** ngx.null as the sandbox exports it. */
export interface LuaNull {
  readonly $null: true;
}

/** A value of a schema (a default, an `eq`, a `one_of` member): JSON, or ngx.null. */
export type SchemaValue = null | boolean | number | string | LuaNull | readonly SchemaValue[] | { readonly [key: string]: SchemaValue };

/** `match_all` / `match_none` entries; `match_any` has several patterns and one message. */
export interface PatternRule {
  readonly pattern: string;
  readonly err?: string;
}

/** One field of a schema, with every attribute Kong's validators read. */
export interface KongField {
  readonly type: FieldType;
  readonly required?: boolean;
  readonly default?: SchemaValue;
  /** The message that replaces every validator's own. */
  readonly err?: string;
  readonly referenceable?: boolean;
  readonly encrypted?: boolean;
  readonly description?: string;
  readonly deprecation?: Readonly<Record<string, unknown>>;
  readonly abstract?: boolean;
  readonly auto?: boolean;
  readonly reference?: string;
  /** array and set: the elements' field. */
  readonly elements?: KongField;
  /** map: the keys' and values' fields. */
  readonly keys?: KongField;
  readonly values?: KongField;
  /** record: its fields, in order. */
  readonly fields?: readonly NamedField[];
  readonly entityChecks?: readonly EntityCheck[];
  readonly shorthandFields?: readonly ShorthandField[];
  readonly jsonSchema?: Readonly<Record<string, unknown>>;
  // Validators (kong/db/schema/init.lua Schema.validators).
  readonly between?: readonly [number, number];
  readonly eq?: SchemaValue;
  readonly ne?: SchemaValue;
  readonly gt?: number;
  readonly lenEq?: number;
  readonly lenMin?: number;
  readonly lenMax?: number;
  readonly match?: string;
  readonly notMatch?: string;
  readonly matchAll?: readonly PatternRule[];
  readonly matchAny?: { readonly patterns: readonly string[]; readonly err?: string };
  readonly matchNone?: readonly PatternRule[];
  readonly startsWith?: string;
  readonly oneOf?: readonly SchemaValue[];
  readonly notOneOf?: readonly SchemaValue[];
  readonly contains?: SchemaValue;
  readonly isRegex?: boolean;
  readonly uuid?: boolean;
  readonly timestamp?: boolean;
  readonly customValidator?: LuaFunctionRef;
  readonly mutuallyExclusiveSubsets?: readonly (readonly string[])[];
}

export interface NamedField {
  readonly name: string;
  readonly field: KongField;
}

/** An entity check: its kind (`at_least_one_of`, `conditional`, ...) and its argument as written. */
export interface EntityCheck {
  readonly kind: string;
  readonly argument: SchemaValue | LuaFunctionRef | Readonly<Record<string, unknown>>;
}

/** A deprecated alias: a field that is translated into others by a function of schema.lua. */
export interface ShorthandField {
  readonly name: string;
  readonly field: KongField;
  readonly translate?: LuaFunctionRef;
}

/** A plugin's schema: its name and top-level fields (config, protocols, consumer, ...). */
export interface PluginSchema {
  readonly name: string;
  readonly fields: readonly NamedField[];
  readonly entityChecks: readonly EntityCheck[];
}

const ATTRIBUTE_NAMES: Readonly<Record<string, keyof KongField>> = {
  len_eq: "lenEq",
  len_min: "lenMin",
  len_max: "lenMax",
  not_match: "notMatch",
  match_all: "matchAll",
  match_any: "matchAny",
  match_none: "matchNone",
  starts_with: "startsWith",
  one_of: "oneOf",
  not_one_of: "notOneOf",
  is_regex: "isRegex",
  custom_validator: "customValidator",
  mutually_exclusive_subsets: "mutuallyExclusiveSubsets",
  json_schema: "jsonSchema",
};

/**
 * Kong's make_records_required (kong/db/schema/entity.lua, run when a plugin's schema is
 * registered): a record reached through `fields` is required unless it says otherwise, "so
 * that they return their full structure". Records inside array, set or map values are not.
 */
export function makeRecordsRequired(field: KongField): KongField {
  if (field.type !== "record") return field;
  return {
    ...field,
    required: field.required ?? true,
    ...(field.fields !== undefined ? { fields: field.fields.map(({ name, field: child }) => ({ name, field: makeRecordsRequired(child) })) } : {}),
  };
}

/**
 * Reads schema.lua's exported table (already checked by metaschemaIssues) as a typed schema.
 * Lists that Lua exported as `{}` (empty tables) become empty arrays.
 */
export function readPluginSchema(value: unknown): PluginSchema {
  const table = asRecord(value) ?? {};
  return {
    name: typeof table["name"] === "string" ? table["name"] : "",
    // As Kong registers a plugin's schema: its records are required unless they say otherwise.
    fields: readFields(table["fields"]).map(({ name, field }) => ({ name, field: makeRecordsRequired(field) })),
    entityChecks: readEntityChecks(table["entity_checks"]),
  };
}

function readFields(value: unknown): NamedField[] {
  return (asList(value) ?? []).flatMap((entry) => {
    const record = asRecord(entry);
    const name = record && Object.keys(record)[0];
    const field = name !== undefined ? readField(record?.[name]) : undefined;
    return name !== undefined && field !== undefined ? [{ name, field }] : [];
  });
}

function readField(value: unknown): KongField | undefined {
  const table = asRecord(value);
  if (table === undefined || typeof table["type"] !== "string" || !(FIELD_TYPES as readonly string[]).includes(table["type"])) return undefined;
  return readFieldAttributes(table) as KongField;
}

/**
 * A field's attributes under the model's names, whether or not it declares a type: the
 * `if_match` / `then_match` / `else_match` of entity checks are partial fields that take what
 * they lack from the checked field (kong/db/schema/init.lua sets the field as their __index).
 */
export function readFieldAttributes(table: Readonly<Record<string, unknown>>): Partial<KongField> {
  const field: Record<string, unknown> = {};
  for (const [key, raw] of Object.entries(table)) {
    if (key === "elements" || key === "keys" || key === "values") field[key] = readField(raw);
    else if (key === "fields") field["fields"] = readFields(raw);
    else if (key === "entity_checks") field["entityChecks"] = readEntityChecks(raw);
    else if (key === "shorthand_fields") field["shorthandFields"] = readShorthands(raw);
    else if (key === "match_all" || key === "match_none") field[ATTRIBUTE_NAMES[key] as string] = (asList(raw) ?? []).map((rule) => asRecord(rule) ?? {});
    else if (key === "one_of" || key === "not_one_of" || key === "between" || key === "mutually_exclusive_subsets") field[ATTRIBUTE_NAMES[key] ?? key] = asList(raw) ?? [];
    else field[ATTRIBUTE_NAMES[key] ?? key] = raw;
  }
  return field as Partial<KongField>;
}

function readEntityChecks(value: unknown): EntityCheck[] {
  return (asList(value) ?? []).flatMap((entry) => {
    const record = asRecord(entry);
    const kind = record && Object.keys(record)[0];
    return kind !== undefined ? [{ kind, argument: record?.[kind] as EntityCheck["argument"] }] : [];
  });
}

function readShorthands(value: unknown): ShorthandField[] {
  return (asList(value) ?? []).flatMap((entry) => {
    const record = asRecord(entry);
    const name = record && Object.keys(record)[0];
    const definition = name !== undefined ? asRecord(record?.[name]) : undefined;
    const field = readField(definition);
    if (name === undefined || definition === undefined || field === undefined) return [];
    const translate = asRecord(definition["func"]);
    return [{ name, field, ...(translate && typeof translate["$function"] === "number" ? { translate: translate as unknown as LuaFunctionRef } : {}) }];
  });
}

/** Whether a value is ngx.null as the sandbox exports it. */
export function isLuaNull(value: unknown): value is LuaNull {
  return asRecord(value)?.["$null"] === true;
}
