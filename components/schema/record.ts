// A record as Kong processes and validates it (kong/db/schema/init.lua 3.x): process_auto_fields
// for "insert" (shorthand fields translated, then defaults: a default applies only to an absent
// value, an absent optional field becomes null, an absent required record is built from its
// own defaults), then validate (every present field, the required ones, the entity checks).
// Records reached through `fields` from the entity are required unless they say otherwise
// (validate-plugin.ts marks them, as kong/db/schema/entity.lua make_records_required does).
import { isDeepStrictEqual } from "node:util";
import { asRecord } from "../core/objects";
import { runEntityChecks } from "./entity-checks";
import { luaText } from "./lua-text";
import type { KongField, LuaFunctionRef, ShorthandField } from "./model";
import { childPath, MESSAGES, replaceIssues, validateField, type FieldContext, type SchemaIssue } from "./validate-field";

/** Whether a field is required: Kong's `field.required == true`. */
export function isRequired(field: KongField): boolean {
  return field.required === true;
}

/**
 * Whether a config must hold the field: it is required and Kong has nothing to fill it with
 * (no default; for a record, a field inside it that must be written).
 */
export function mustBeWritten(field: KongField): boolean {
  if (!isRequired(field) || field.default !== undefined) return false;
  if (field.type !== "record") return true;
  return (field.fields ?? []).some((entry) => mustBeWritten(entry.field));
}

/**
 * A shorthand field failed: Kong's process_auto_fields returns its errors up through every
 * enclosing record, and nothing else of the entity is checked.
 */
class ShorthandFailure extends Error {}

/**
 * process_auto_fields: a new object with shorthand fields translated and defaults filled.
 * Returns undefined when a shorthand field, here or in a nested record, is invalid (Kong stops
 * there and reports only that).
 */
export function processRecord(record: KongField, data: Record<string, unknown>, path: string, context: FieldContext): Record<string, unknown> | undefined {
  try {
    return processFields(record, data, path, context);
  } catch (error) {
    if (error instanceof ShorthandFailure) return undefined;
    throw error;
  }
}

function processFields(record: KongField, data: Record<string, unknown>, path: string, context: FieldContext): Record<string, unknown> {
  const result: Record<string, unknown> = { ...data };
  let shorthandsOk = true;
  for (const shorthand of record.shorthandFields ?? []) {
    if (!translateShorthand(shorthand, result, path, context)) shorthandsOk = false;
  }
  if (!shorthandsOk) throw new ShorthandFailure();
  for (const { name, field } of record.fields ?? []) {
    const value = result[name];
    if (value === undefined) {
      const filled = missingValue(field, childPath(path, name), context);
      if (filled !== undefined) result[name] = filled;
    } else {
      result[name] = processValue(field, value, childPath(path, name), context);
    }
  }
  return result;
}

/** handle_missing_field: the default, null for an optional field, a built record, or nothing. */
function missingValue(field: KongField, path: string, context: FieldContext): unknown {
  if (field.default !== undefined) return processValue(field, jsonValue(field.default), path, context);
  if (!isRequired(field)) return null;
  if (field.abstract) return undefined;
  if (field.type === "record") return processFields(field, {}, path, context);
  return undefined;
}

/** Present values: records recurse, sets lose duplicates, elements and map values are processed. */
function processValue(field: KongField, given: unknown, path: string, context: FieldContext): unknown {
  const value = emptyTableAs(field, given);
  const record = asRecord(value);
  if (field.type === "record" && record !== undefined) return processFields(field, record, path, context);
  if ((field.type === "array" || field.type === "set") && Array.isArray(value)) {
    // make_set keeps the first of equal values; tables are never equal, nulls (one ngx.null) are.
    const items = field.type === "set" ? value.filter((item, index) => (typeof item === "object" && item !== null) || value.indexOf(item) === index) : value;
    return field.elements === undefined ? items : items.map((item, index) => (item === null ? item : processValue(field.elements as KongField, item, childPath(path, index), context)));
  }
  if (field.type === "map" && record !== undefined && field.values !== undefined) {
    return Object.fromEntries(Object.entries(record).map(([key, item]) => [key, item === null ? item : processValue(field.values as KongField, item, childPath(path, key), context)]));
  }
  return value;
}

/**
 * JSON's `[]` and `{}` are one empty Lua table: Kong stores it as an array for an array or a
 * set (make_array gives it cjson's array_mt) and as an object otherwise.
 */
function emptyTableAs(field: KongField, value: unknown): unknown {
  const empty = (Array.isArray(value) && value.length === 0) || (asRecord(value) !== undefined && Object.keys(value as object).length === 0);
  if (!empty) return value;
  if (field.type === "array" || field.type === "set") return [];
  return field.type === "map" || field.type === "record" ? {} : value;
}

/**
 * A shorthand field present in the data is validated, checked against the fields that replace
 * it, removed, and translated by its `func` into real fields: tables merge into the real ones
 * (a deprecated shorthand's values yield to the real field's non-null ones, a current one's
 * win), scalars are set (a deprecated one only where the real field is empty).
 */
function translateShorthand(shorthand: ShorthandField, data: Record<string, unknown>, path: string, context: FieldContext): boolean {
  const value = data[shorthand.name];
  if (value === undefined) return true;
  if (!validateField(shorthand.field, value, childPath(path, shorthand.name), context)) return false;
  const mismatch = replacementMismatch(shorthand, value, data, context);
  if (mismatch !== undefined) {
    context.issues.push({ path: childPath(path, shorthand.name), message: mismatch });
    return false;
  }
  delete data[shorthand.name];
  if (shorthand.translate === undefined) return true;
  const [ok, translated] = context.runtime.call(shorthand.translate, [value]);
  if (ok !== true) {
    context.issues.push({ path: childPath(path, shorthand.name), message: `the shorthand field's translation raised an error: ${String(translated)}` });
    return false;
  }
  const deprecated = shorthand.field.deprecation !== undefined;
  for (const [key, item] of Object.entries(asRecord(translated) ?? {})) {
    const current = data[key];
    const itemRecord = asRecord(item);
    if (itemRecord !== undefined) {
      const source = asRecord(current) ?? {};
      // kong.tools.table null_aware_table_merge: a null of the real record yields only to a value of the shorthand's.
      data[key] = deprecated ? { ...itemRecord, ...Object.fromEntries(Object.entries(source).filter(([k, v]) => v !== null || itemRecord[k] === undefined)) } : { ...source, ...itemRecord };
    } else if (!deprecated || current === undefined || current === null) {
      data[key] = item;
    }
  }
  return true;
}

/**
 * validate_deprecation_exclusiveness: a deprecated shorthand given together with a field of
 * its `deprecation.replaced_with` (found by `path`, or by `reverse_mapping_function`) must
 * agree with it; the message when they differ.
 */
function replacementMismatch(shorthand: ShorthandField, value: unknown, data: Record<string, unknown>, context: FieldContext): string | undefined {
  const replacedWith = shorthand.field.deprecation?.["replaced_with"];
  if (value === null || !Array.isArray(replacedWith)) return undefined;
  for (const replacement of replacedWith) {
    const entry = asRecord(replacement) ?? {};
    const path = Array.isArray(entry["path"]) ? (entry["path"] as string[]) : [];
    const reverse = asRecord(entry["reverse_mapping_function"]) as LuaFunctionRef | undefined;
    const current = reverse !== undefined ? jsonValue(context.runtime.call(reverse, [data])[1]) : tablePath(data, path);
    // Lua truthiness: nil, false and ngx.null are no value to disagree with.
    if (current === undefined || current === null || current === false || isDeepStrictEqual(current, value)) continue;
    return `both deprecated and new field are used but their values mismatch: ${shorthand.name} = ${luaText(value)} vs ${path.join(".")} = ${luaText(current)}`;
  }
  return undefined;
}

/** kong.tools.table table_path: the value at `path`, undefined where a step is missing. */
function tablePath(data: unknown, path: readonly string[]): unknown {
  let current = data;
  for (const step of path) current = asRecord(current)?.[step];
  return current;
}

/** Schema values as config values: ngx.null becomes null. */
export function jsonValue(value: unknown): unknown {
  if (asRecord(value)?.["$null"] === true) return null;
  if (Array.isArray(value)) return value.map(jsonValue);
  const record = asRecord(value);
  return record === undefined ? value : Object.fromEntries(Object.entries(record).map(([key, item]) => [key, jsonValue(item)]));
}

/** validate for a processed record: unknown and invalid fields, required ones, entity checks. */
export function validateProcessedRecord(record: KongField, data: Record<string, unknown>, path: string, context: FieldContext): boolean {
  const fields = new Map((record.fields ?? []).map(({ name, field }) => [name, field]));
  const invalid = new Set<string>();
  const before = context.issues.length;
  for (const [name, value] of Object.entries(data)) {
    const field = fields.get(name);
    if (field === undefined) {
      context.issues.push({ path: childPath(path, name), message: MESSAGES.unknown });
      invalid.add(name);
    } else if (value !== undefined && !validateField(field, value, childPath(path, name), context)) {
      invalid.add(name);
    }
  }
  for (const [name, field] of fields) {
    const value = data[name];
    if (isRequired(field) && (value === null || value === undefined)) {
      const fieldPath = childPath(path, name);
      replaceIssues(context.issues, fieldPath, [{ path: fieldPath, message: MESSAGES.required }]);
      invalid.add(name);
    }
  }
  runEntityChecks(record, data, path, invalid, context);
  return context.issues.length === before;
}

/** A record value checked as validate_field(record) does: processed, then validated. */
export function validateRecordValue(record: KongField, value: Record<string, unknown>, path: string, context: FieldContext): boolean {
  const processed = processRecord(record, value, path, context);
  return processed !== undefined && validateProcessedRecord(record, processed, path, context);
}

export type { SchemaIssue };
