// A record's entity checks as Kong runs them (kong/db/schema/init.lua 3.x: run_entity_check and
// Schema.entity_checkers), with Kong's gating (a check whose fields are invalid, all absent, or
// a required one missing does not run) and messages. Field names may be dotted (`config.x`).
import { asRecord } from "../core/objects";
import { quotedList } from "./lua-text";
import { readFieldAttributes, type EntityCheck, type KongField, type LuaFunctionRef } from "./model";
import { childPath, isVaultReference, MESSAGES, replaceIssues, validateField, type FieldContext, type SchemaIssue } from "./validate-field";

/** How a checker reads its argument (Kong's `field_sources`, `required_fields`, run_with_* flags). */
interface Checker {
  /** Argument keys that name fields; none means the argument is the list of field names. */
  readonly sources?: readonly string[];
  /** Of `sources`, those whose fields must be present. */
  readonly required?: readonly string[];
  readonly runWithMissing?: boolean;
  readonly runWithInvalid?: boolean;
  /** `undefined` when the check passes, else the message for `@entity`. */
  readonly check: (input: Record<string, unknown>, argument: Record<string, unknown>, names: readonly string[], context: CheckContext) => string | undefined;
}

interface CheckContext extends FieldContext {
  readonly record: FieldContext["record"];
  readonly fields: ReadonlyMap<string, KongField>;
  readonly path: string;
}

/** Kong's is_nonempty: not nil, not null, not an empty table, not "" (0 and false count). */
function nonEmpty(value: unknown): boolean {
  if (value === undefined || value === null || value === "") return false;
  if (Array.isArray(value)) return value.length > 0;
  const record = asRecord(value);
  return record === undefined || Object.keys(record).length > 0;
}

function fieldAt(input: unknown, dotted: string): unknown {
  let value = input;
  for (const part of dotted.split(".")) value = asRecord(value)?.[part];
  return value;
}

const list = (argument: Record<string, unknown>, key: string): string[] => (Array.isArray(argument[key]) ? (argument[key] as string[]) : typeof argument[key] === "string" ? [argument[key] as string] : []);

const CHECKERS: Readonly<Record<string, Checker>> = {
  at_least_one_of: {
    runWithMissing: true,
    runWithInvalid: true,
    check: (input, _argument, names) => (names.some((name) => nonEmpty(fieldAt(input, name))) ? undefined : `at least one of these fields must be non-empty: ${quotedList(names)}`),
  },
  only_one_of: {
    runWithInvalid: true,
    check: (input, _argument, names) => (names.filter((name) => nonEmpty(fieldAt(input, name))).length === 1 ? undefined : `exactly one of these fields must be non-empty: ${quotedList(names)}`),
  },
  distinct: {
    runWithInvalid: true,
    check: (input, _argument, names) => {
      const values = names.map((name) => fieldAt(input, name)).filter(nonEmpty);
      return values.every((value, index) => values.indexOf(value) === index || typeof value === "object") ? undefined : `values of these fields must be distinct: ${quotedList(names)}`;
    },
  },
  mutually_required: {
    runWithMissing: true,
    check: (input, _argument, names) => {
      const set = names.filter((name) => nonEmpty(fieldAt(input, name))).length;
      return set === 0 || set === names.length ? undefined : `all or none of these fields must be set: ${quotedList(names)}`;
    },
  },
  mutually_exclusive: {
    runWithMissing: true,
    check: (input, _argument, names) => (names.filter((name) => nonEmpty(fieldAt(input, name))).length <= 1 ? undefined : `only one or none of these fields must be set: ${quotedList(names)}`),
  },
  mutually_exclusive_sets: {
    sources: ["set1", "set2"],
    runWithMissing: true,
    check: (input, argument) => {
      const used = (key: string) => list(argument, key).filter((name) => nonEmpty(fieldAt(input, name)));
      const [first, second] = [used("set1"), used("set2")];
      return first.length > 0 && second.length > 0 ? `these sets are mutually exclusive: (${quotedList(first)}), (${quotedList(second)})` : undefined;
    },
  },
  conditional: {
    sources: ["if_field", "then_field"],
    required: ["if_field"],
    runWithInvalid: true,
    check: (input, argument, _names, context) => conditional(input, argument, context),
  },
  conditional_at_least_one_of: {
    sources: ["if_field", "then_at_least_one_of", "else_then_at_least_one_of"],
    required: ["if_field"],
    runWithMissing: true,
    runWithInvalid: true,
    check: (input, argument, _names, context) => conditionalAtLeastOneOf(input, argument, context),
  },
  custom_entity_check: {
    sources: ["field_sources"],
    required: ["field_sources"],
    check: (input, argument, names, context) => {
      const projection: Record<string, unknown> = {};
      for (const name of names) setAt(projection, name, fieldAt(input, name) ?? null);
      const [ok, passed, message] = context.runtime.call(argument["fn"] as LuaFunctionRef, [projection]);
      if (ok !== true) return `custom_entity_check raised an error: ${String(passed)}`;
      if (passed !== null && passed !== false && passed !== undefined) return undefined;
      return typeof message === "string" ? message : `failed entity check: custom_entity_check(${names.join(", ")})`;
    },
  },
};

function setAt(target: Record<string, unknown>, dotted: string, value: unknown): void {
  const parts = dotted.split(".");
  let node = target;
  for (const part of parts.slice(0, -1)) node = (node[part] = asRecord(node[part]) ?? {}) as Record<string, unknown>;
  node[parts[parts.length - 1] as string] = value;
}

/** The field a dotted name points at, with its schema, so `if_match`/`then_match` inherit its type and validators. */
function fieldFor(context: CheckContext, dotted: string): KongField | undefined {
  const [first, ...rest] = dotted.split(".");
  let field = context.fields.get(first as string);
  for (const part of rest) field = field?.fields?.find((entry) => entry.name === part)?.field;
  return field;
}

/** Whether `value` passes `match` (a partial field) layered over the named field's own schema. */
function passes(context: CheckContext, dotted: string, match: unknown, value: unknown): { ok: boolean; issues: SchemaIssue[] } {
  const base = fieldFor(context, dotted);
  const layered = { ...(base ?? { type: "string" }), ...readFieldAttributes(asRecord(match) ?? {}) } as KongField;
  const issues: SchemaIssue[] = [];
  const ok = value === undefined ? true : validateField(layered, value, childPath(context.path, dotted), { ...context, issues });
  return { ok, issues };
}

function conditional(input: Record<string, unknown>, argument: Record<string, unknown>, context: CheckContext): string | undefined {
  const ifField = argument["if_field"] as string;
  const thenField = argument["then_field"] as string;
  if (!passes(context, ifField, argument["if_match"], fieldAt(input, ifField) ?? null).ok) return undefined;
  const thenValue = fieldAt(input, thenField) ?? null;
  const thenMatch = asRecord(argument["then_match"]) ?? {};
  if (thenMatch["required"] === true && thenValue === null) {
    const path = childPath(context.path, thenField);
    replaceIssues(context.issues, path, [{ path, message: MESSAGES.required }]);
    return `failed conditional validation given value of field '${ifField}'`;
  }
  const result = passes(context, thenField, thenMatch, thenValue);
  if (result.ok) return undefined;
  replaceIssues(context.issues, childPath(context.path, thenField), result.issues);
  const thenErr = argument["then_err"];
  return typeof thenErr === "string" ? thenErr.replace("%s", ifField) : `failed conditional validation given value of field '${ifField}'`;
}

function conditionalAtLeastOneOf(input: Record<string, unknown>, argument: Record<string, unknown>, context: CheckContext): string | undefined {
  const ifField = argument["if_field"] as string;
  const ifValue = fieldAt(input, ifField);
  if (ifValue === undefined) return undefined;
  const atLeastOne = (key: string, errKey: string) => {
    const names = list(argument, key);
    if (names.some((name) => nonEmpty(fieldAt(input, name)))) return undefined;
    const err = argument[errKey];
    return typeof err === "string" ? err.replace("%s", quotedList(names)) : `at least one of these fields must be non-empty: ${quotedList(names)}`;
  };
  if (passes(context, ifField, argument["if_match"], ifValue).ok) return atLeastOne("then_at_least_one_of", "then_err");
  if (argument["else_match"] === undefined || !passes(context, ifField, argument["else_match"], ifValue).ok) return undefined;
  return atLeastOne("else_then_at_least_one_of", "else_then_err");
}

/** Runs a record's entity checks on its processed data; `invalid` holds the names of fields already in error. */
export function runEntityChecks(record: KongField, data: Record<string, unknown>, path: string, invalid: ReadonlySet<string>, context: FieldContext): void {
  const fields = new Map((record.fields ?? []).map(({ name, field }) => [name, field]));
  for (const entityCheck of record.entityChecks ?? []) runEntityCheck(entityCheck, data, { ...context, fields, path }, invalid);
}

function runEntityCheck(entityCheck: EntityCheck, data: Record<string, unknown>, context: CheckContext, invalid: ReadonlySet<string>): void {
  const checker = CHECKERS[entityCheck.kind];
  if (checker === undefined) return;
  const argument = (asRecord(entityCheck.argument) ?? {}) as Record<string, unknown>;
  const names = checker.sources === undefined ? (Array.isArray(entityCheck.argument) ? (entityCheck.argument as string[]) : []) : checker.sources.flatMap((source) => list(argument, source));
  const required = new Set(checker.sources === undefined ? names : (checker.required ?? []).flatMap((source) => list(argument, source)));
  const runWithMissing = checker.runWithMissing === true || argument["run_with_missing_fields"] === true;
  const runWithInvalid = checker.runWithInvalid === true || argument["run_with_invalid_fields"] === true;

  const missing: string[] = [];
  let allAbsent = true;
  for (const name of names) {
    const value = fieldAt(data, name);
    if (value === undefined) {
      if (!runWithMissing && required.has(name)) missing.push(name);
    } else {
      allAbsent = false;
    }
    // A vault reference is checked by no one before Kong resolves it.
    if (isVaultReference(value) && fieldFor(context, name)?.referenceable) return;
  }
  if (!runWithInvalid && names.some((name) => invalid.has(name))) return;
  if (allAbsent && !runWithMissing) return;
  if (missing.length > 0) {
    for (const name of missing) {
      const path = childPath(context.path, name);
      replaceIssues(context.issues, path, [{ path, message: MESSAGES.entityFieldRequired }]);
    }
    return;
  }
  const message = checker.check(data, argument, names, context);
  if (message !== undefined) context.issues.push({ path: context.path === "" ? "@entity" : context.path, message });
}

