// A record as Kong processes and validates it (kong/db/schema/init.lua 3.x): process_auto_fields
// for "insert" (shorthand fields translated, then defaults: a default applies only to an absent
// value, an absent optional field becomes null, an absent required record is built from its
// own defaults), then validate (every present field, the required ones, the entity checks).
// Records reached through `fields` are required unless they say otherwise, as Kong makes them
// when it registers a plugin's schema (kong/db/schema/entity.lua make_records_required).
import { asRecord } from "../core/objects";
import { runEntityChecks } from "./entity-checks";
import type { KongField, ShorthandField } from "./model";
import { childPath, MESSAGES, validateField, type FieldContext, type SchemaIssue } from "./validate-field";

/** Whether a field of a record's `fields` is required (records are, unless `required = false`). */
export function isRequired(field: KongField): boolean {
  return field.required ?? field.type === "record";
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
 * process_auto_fields: a new object with shorthand fields translated and defaults filled.
 * Returns undefined when a shorthand field is invalid (Kong stops there and reports it).
 */
export function processRecord(record: KongField, data: Record<string, unknown>, path: string, context: FieldContext): Record<string, unknown> | undefined {
  const result: Record<string, unknown> = { ...data };
  let shorthandsOk = true;
  for (const shorthand of record.shorthandFields ?? []) {
    if (!translateShorthand(shorthand, result, path, context)) shorthandsOk = false;
  }
  if (!shorthandsOk) return undefined;
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
  if (field.type === "record") return processRecord(field, {}, path, context);
  return undefined;
}

/** Present values: records recurse, sets lose duplicates, elements and map values are processed. */
function processValue(field: KongField, value: unknown, path: string, context: FieldContext): unknown {
  const record = asRecord(value);
  if (field.type === "record" && record !== undefined) return processRecord(field, record, path, context) ?? value;
  if ((field.type === "array" || field.type === "set") && Array.isArray(value)) {
    const items = field.type === "set" ? value.filter((item, index) => typeof item === "object" || value.indexOf(item) === index) : value;
    return field.elements === undefined ? items : items.map((item, index) => (item === null ? item : processValue(field.elements as KongField, item, childPath(path, index), context)));
  }
  if (field.type === "map" && record !== undefined && field.values !== undefined) {
    return Object.fromEntries(Object.entries(record).map(([key, item]) => [key, item === null ? item : processValue(field.values as KongField, item, childPath(path, key), context)]));
  }
  return value;
}

/**
 * A shorthand field present in the data is validated, removed, and translated by its `func`
 * into real fields: tables merge into the real ones (a deprecated shorthand's values yield to
 * the real field's, a current one's win), scalars are set (a deprecated one only where the real
 * field is empty).
 */
function translateShorthand(shorthand: ShorthandField, data: Record<string, unknown>, path: string, context: FieldContext): boolean {
  const value = data[shorthand.name];
  if (value === undefined) return true;
  if (!validateField(shorthand.field, value, childPath(path, shorthand.name), context)) return false;
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
      data[key] = deprecated ? { ...itemRecord, ...Object.fromEntries(Object.entries(source).filter(([, v]) => v !== null)) } : { ...source, ...itemRecord };
    } else if (!deprecated || current === undefined || current === null) {
      data[key] = item;
    }
  }
  return true;
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
  const reported = new Set<string>();
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
  for (const issue of context.issues.slice(before)) reported.add(issue.path);
  for (const [name, field] of fields) {
    const value = data[name];
    if (isRequired(field) && (value === null || value === undefined) && !reported.has(childPath(path, name))) {
      context.issues.push({ path: childPath(path, name), message: MESSAGES.required });
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
