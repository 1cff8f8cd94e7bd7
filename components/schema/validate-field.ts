// One field's value checked as Kong's Schema:validate_field does (kong/db/schema/init.lua, 3.x):
// null handling first, then the type, then the validators in Kong's fixed order, stopping at
// the first failure, with Kong's messages (validation_errors). Records recurse through
// record.ts; values are JSON as a config holds them (null is ngx.null, undefined is absent).
import { asRecord } from "../core/objects";
import { LuaPatternError, luaMatches } from "./lua-pattern";
import { jsonFieldProblem } from "./json-field";
import { luaConcat, luaInteger, luaText } from "./lua-text";
import { isLuaNull, type KongField, type LuaFunctionRef, type SchemaValue } from "./model";

/** Calls schema.lua's functions in the plugin's Lua state. */
export interface SchemaRuntime {
  /** `pcall(fn, ...args)`'s results: `[true, ...returns]` or `[false, message]`. */
  call(fn: LuaFunctionRef, args: readonly unknown[]): unknown[];
}

/** A problem at a path inside the validated value (`config.redis.host`). */
export interface SchemaIssue {
  readonly path: string;
  readonly message: string;
}

/** Where validation is and what it reports to. */
export interface FieldContext {
  readonly runtime: SchemaRuntime;
  readonly issues: SchemaIssue[];
  /** Validates a record value (record.ts), kept apart to avoid an import cycle. */
  readonly record: (field: KongField, value: Record<string, unknown>, path: string, context: FieldContext) => boolean;
}

export const MESSAGES = {
  required: "required field missing",
  unknown: "unknown field",
  entityFieldRequired: "field required for entity check",
} as const;

const TYPE_MESSAGES: Readonly<Record<string, string>> = {
  array: "expected an array",
  set: "expected a set",
  map: "expected a map",
  record: "expected a record",
  string: "expected a string",
  number: "expected a number",
  boolean: "expected a boolean",
  integer: "expected an integer",
  function: "expected a function",
};

/** `{vault://...}` as Kong's PDK recognises a reference (kong/pdk/vault.lua is_reference). */
export function isVaultReference(value: unknown): boolean {
  return typeof value === "string" && value.startsWith("{vault://") && value.endsWith("}") && value.length >= 10;
}

/** Lua's `==` between a config value and a schema value (numbers by value, tables never equal). */
function luaEquals(value: unknown, wanted: SchemaValue | undefined): boolean {
  if (isLuaNull(wanted)) return value === null;
  if (typeof wanted === "object" && wanted !== null) return false;
  return value === wanted;
}

/**
 * Kong's error table holds one entry per field: a later write (the required check, an entity
 * check's set_field) replaces what an earlier one put at that path, nested entries included.
 */
export function replaceIssues(issues: SchemaIssue[], path: string, replacements: readonly SchemaIssue[]): void {
  const kept = issues.filter((issue) => issue.path !== path && !issue.path.startsWith(`${path}.`) && !issue.path.startsWith(`${path}[`));
  issues.splice(0, issues.length, ...kept, ...replacements);
}

/** Child path: `config.limit`, `config.list[0]`. */
export function childPath(path: string, key: string | number): string {
  if (typeof key === "number") return `${path}[${key}]`;
  return path === "" ? key : `${path}.${key}`;
}

/**
 * Checks `value` against `field`, adding Kong's message for each problem. Returns whether it
 * passed. `value` is present (not undefined): absent values are the caller's required check.
 */
export function validateField(field: KongField, value: unknown, path: string, context: FieldContext): boolean {
  if (value === null) {
    if (isLuaNull(field.ne)) return failed(context, path, field.err ?? "value must not be null");
    if (field.eq !== undefined && !isLuaNull(field.eq)) return failed(context, path, `value must be ${luaText(field.eq)}`);
    if (field.required) return failed(context, path, MESSAGES.required);
    return true;
  }
  if (isLuaNull(field.eq)) return failed(context, path, field.err ?? "value must be null");
  if (!hasFieldType(field, value)) return failed(context, path, TYPE_MESSAGES[field.type] ?? `invalid type: ${field.type}`);

  if (field.type === "string") {
    if (field.referenceable && isVaultReference(value)) return true;
    const problem = validatorProblem(withVariant(field, "string"), value, context);
    return problem === undefined || failed(context, path, problem);
  }
  // Kong checks what a collection or record holds before its own validators (a long array
  // with a bad element reports the element, not the length).
  if (!validateContents(field, value, path, context)) return false;
  const problem = validatorProblem(field, value, context);
  return problem === undefined || failed(context, path, problem);
}

/** Adds Kong's message at `path`; false, for `return failed(...)`. */
function failed(context: FieldContext, path: string, message: string): false {
  context.issues.push({ path, message });
  return false;
}

/**
 * A field as Kong checks it in one role, made once per field: a string (`len_min` defaults to 1),
 * or required (an array's elements, a map's keys and values). Validation meets the same field
 * for every value of every instance.
 */
const variants = { string: new WeakMap<KongField, KongField>(), required: new WeakMap<KongField, KongField>() };

function withVariant(field: KongField, role: keyof typeof variants): KongField {
  let variant = variants[role].get(field);
  if (variant === undefined) {
    variant = role === "string" ? { ...field, lenMin: field.lenMin ?? 1 } : { ...field, required: true };
    variants[role].set(field, variant);
  }
  return variant;
}

function validateContents(field: KongField, value: unknown, path: string, context: FieldContext): boolean {
  switch (field.type) {
    case "array":
    case "set":
      return validateElements(field, value as unknown[], path, context);
    case "map":
      return validateMap(field, value as Record<string, unknown> | unknown[], path, context);
    case "record":
      return context.record(field, value as Record<string, unknown>, path, context);
    case "json": {
      const problem = jsonFieldProblem(field.jsonSchema, value);
      if (problem === undefined) return true;
      context.issues.push({ path, message: problem });
      return false;
    }
    default:
      return true;
  }
}

/** Whether the value has the field's Lua type, as Kong's type check sees JSON values. */
function hasFieldType(field: KongField, value: unknown): boolean {
  switch (field.type) {
    case "array":
    case "set":
      return Array.isArray(value) || (asRecord(value) !== undefined && Object.keys(value as object).length === 0);
    // A JSON array is a Lua table too: a map then fails on its number keys (validateMap).
    case "map":
      return asRecord(value) !== undefined || Array.isArray(value);
    case "record":
      return asRecord(value) !== undefined || (Array.isArray(value) && value.length === 0);
    case "string":
      return typeof value === "string";
    case "number":
      return typeof value === "number";
    case "integer":
      return typeof value === "number" && Number.isInteger(value);
    case "boolean":
      return typeof value === "boolean";
    case "foreign":
      return asRecord(value) !== undefined;
    case "json":
      return true;
    default:
      return false;
  }
}

/** Elements must all be valid; each is required (validate_elements). */
function validateElements(field: KongField, values: unknown[], path: string, context: FieldContext): boolean {
  if (field.elements === undefined || !Array.isArray(values)) return true;
  const elements = withVariant(field.elements, "required");
  let ok = true;
  values.forEach((value, index) => {
    if (!validateField(elements, value, childPath(path, index), context)) ok = false;
  });
  return ok;
}

/**
 * Keys and values are required; Kong reports only the first problem, at the map itself. An
 * array's keys are Lua's 1-based indexes.
 */
function validateMap(field: KongField, map: Record<string, unknown> | unknown[], path: string, context: FieldContext): boolean {
  const entries: [string | number, unknown][] = Array.isArray(map) ? map.map((value, index) => [index + 1, value]) : Object.entries(map);
  for (const [key, value] of entries) {
    for (const [part, item] of [[field.keys, key], [field.values, value]] as const) {
      if (part === undefined) continue;
      const probe: SchemaIssue[] = [];
      validateField(withVariant(part, "required"), item, path, { ...context, issues: probe });
      if (probe.length > 0) {
        context.issues.push({ path, message: (probe[0] as SchemaIssue).message });
        return false;
      }
    }
  }
  return true;
}

/** The first validator that fails, in Kong's order, with its message (`field.err` overrides). */
function validatorProblem(field: KongField, value: unknown, context: FieldContext): string | undefined {
  for (const check of validatorsOf(field)) {
    let problem: string | undefined;
    try {
      problem = check(field, value, context);
    } catch (error) {
      // Kong raises on a malformed pattern (the Admin API answers 500): the schema is broken.
      if (!(error instanceof LuaPatternError)) throw error;
      return `schema.lua has a malformed Lua pattern: ${error.message}`;
    }
    if (problem !== undefined) return field.err ?? problem;
  }
  return undefined;
}

/**
 * The validators a field declares, in Kong's order, found once per field: a validator whose
 * attribute the field lacks passes every value, and validation meets each field once per
 * value of every instance.
 */
const declaredValidators = new WeakMap<KongField, readonly Validator[]>();

function validatorsOf(field: KongField): readonly Validator[] {
  let declared = declaredValidators.get(field);
  if (declared === undefined) {
    declared = VALIDATORS.filter(([attribute]) => field[attribute] !== undefined).map(([, check]) => check);
    declaredValidators.set(field, declared);
  }
  return declared;
}

type Validator = (field: KongField, value: unknown, context: FieldContext) => string | undefined;

const length = (value: unknown): number =>
  typeof value === "string" ? Buffer.byteLength(value, "utf8") : Array.isArray(value) ? value.length : Object.keys(value as object).length;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Kong's validators, in the order Schema.validators_order runs them, each with the attribute it reads: a field without it passes it. */
const VALIDATORS: readonly (readonly [keyof KongField, Validator])[] = [
  ["eq", (f, v) => (f.eq !== undefined && !luaEquals(v, f.eq) ? `value must be ${luaText(f.eq)}` : undefined)],
  ["ne", (f, v) => (f.ne !== undefined && luaEquals(v, f.ne) ? `value must not be ${luaText(v)}` : undefined)],
  ["notOneOf", (f, v) => (f.notOneOf !== undefined && f.notOneOf.some((option) => luaEquals(v, option)) ? `must not be one of: ${luaConcat(f.notOneOf)}` : undefined)],
  ["oneOf", (f, v) => (f.oneOf !== undefined && !f.oneOf.some((option) => luaEquals(v, option)) ? `expected one of: ${luaConcat(f.oneOf)}` : undefined)],
  ["gt", (f, v) => (f.gt !== undefined && !((v as number) > f.gt) ? `value must be greater than ${luaText(f.gt)}` : undefined)],
  ["timestamp", (f, v) => (f.timestamp && !((v as number) > 0) ? "expected a valid timestamp" : undefined)],
  ["uuid", (f, v) => (f.uuid && !(typeof v === "string" && v.length === 36 && UUID.test(v)) ? "expected a valid UUID" : undefined)],
  ["isRegex", (f, v) => (f.isRegex && !isRegex(v as string) ? `not a valid regex: ${v as string}` : undefined)],
  ["between", (f, v) => {
      if (f.between === undefined) return undefined;
      const [low, high] = f.between;
      return (v as number) < low || (v as number) > high ? `value should be between ${luaInteger(low)} and ${luaInteger(high)}` : undefined;
    }],
  ["lenEq", (f, v) => (f.lenEq !== undefined && length(v) !== f.lenEq ? `length must be ${luaInteger(f.lenEq)}` : undefined)],
  ["lenMin", (f, v) => (f.lenMin !== undefined && length(v) < f.lenMin ? `length must be at least ${luaInteger(f.lenMin)}` : undefined)],
  ["lenMax", (f, v) => (f.lenMax !== undefined && length(v) > f.lenMax ? `length must be at most ${luaInteger(f.lenMax)}` : undefined)],
  ["startsWith", (f, v) => (f.startsWith !== undefined && !Buffer.from(v as string).subarray(0, Buffer.byteLength(f.startsWith)).equals(Buffer.from(f.startsWith)) ? `should start with: ${f.startsWith}` : undefined)],
  ["notMatch", (f, v) => (f.notMatch !== undefined && luaMatches(v as string, f.notMatch) ? `invalid value: ${v as string}` : undefined)],
  ["matchNone", (f, v) => {
      const rule = f.matchNone?.find((item) => luaMatches(v as string, item.pattern));
      return rule !== undefined ? (rule.err ?? `invalid value: ${v as string}`) : undefined;
    }],
  ["match", (f, v) => (f.match !== undefined && !luaMatches(v as string, f.match) ? `invalid value: ${v as string}` : undefined)],
  ["matchAll", (f, v) => {
      const rule = f.matchAll?.find((item) => !luaMatches(v as string, item.pattern));
      return rule !== undefined ? (rule.err ?? `invalid value: ${v as string}`) : undefined;
    }],
  ["matchAny", (f, v) => (f.matchAny !== undefined && !f.matchAny.patterns.some((pattern) => luaMatches(v as string, pattern)) ? (f.matchAny.err ?? `invalid value: ${v as string}`) : undefined)],
  ["contains", (f, v) => (f.contains !== undefined && !(v as unknown[]).some((item) => luaEquals(item, f.contains)) ? `expected to contain: ${luaText(f.contains)}` : undefined)],
  ["customValidator", (f, v, context) => {
      if (f.customValidator === undefined) return undefined;
      const [ok, result, message] = context.runtime.call(f.customValidator, [v]);
      if (ok !== true) return `custom_validator raised an error: ${String(result)}`;
      return result !== null && result !== false && result !== undefined ? undefined : typeof message === "string" ? message : `failed validating: ${luaText(v)}`;
    }],
  ["mutuallyExclusiveSubsets", (f, v) => mutuallyExclusiveSubsets(f, v)],
];

/** The subsets the set's elements touch (first seen first) must be at most one. */
function mutuallyExclusiveSubsets(field: KongField, value: unknown): string | undefined {
  if (field.mutuallyExclusiveSubsets === undefined || !Array.isArray(value)) return undefined;
  const touched: (readonly string[])[] = [];
  for (const item of value) {
    const subset = field.mutuallyExclusiveSubsets.find((candidate) => candidate.includes(item as string));
    if (subset !== undefined && !touched.includes(subset)) touched.push(subset);
  }
  if (touched.length <= 1) return undefined;
  return `these sets are mutually exclusive: ${touched.map((subset) => `(${subset.map((name) => `'${name}'`).join(", ")})`).join(", ")}`;
}

/**
 * `is_regex`: Kong compiles the value with PCRE (ngx.re). JavaScript's RegExp accepts nearly
 * the same syntax; where it refuses a construct PCRE has and it lacks (atomic groups,
 * possessive quantifiers, `\A`/`\z`, inline options, `(?P<name>`, `\Q...\E`, comments), the
 * value is accepted: this project never refuses what Kong may accept.
 */
export function isRegex(value: string): boolean {
  try {
    new RegExp(value);
    return true;
  } catch {
    return /\(\?>|\(\?P<|\(\?#|\(\?[imsxJU-]+\)|\(\?[imsxJU-]+:|[*+?}]\+|\\[AZzQEGKRXhHvV]/.test(value);
  }
}
