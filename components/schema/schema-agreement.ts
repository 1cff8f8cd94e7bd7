// A hand-written JSON Schema for a plugin's config checked against the one derived from its
// schema.lua: the field names, their types and which are required must agree, or the
// hand-written one (which other tools may trust) describes a config Kong would not accept.
import type { ValidationIssue } from "../core/errors";
import { joinPath } from "../core/errors";
import { asRecord } from "../core/objects";

/** Every disagreement between `written` and `derived`, under `path` (e.g. `configSchema`). */
export function schemaDisagreements(written: unknown, derived: unknown, path: string): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  const pending: { written: Record<string, unknown>; derived: Record<string, unknown>; path: string; where: string }[] = [];
  const start = { written: asRecord(written), derived: objectPart(derived) };
  if (start.written !== undefined && start.derived !== undefined) pending.push({ written: start.written, derived: start.derived, path, where: "config" });
  while (pending.length > 0) {
    const level = pending.pop() as (typeof pending)[number];
    const writtenProperties = asRecord(level.written["properties"]) ?? {};
    const derivedProperties = asRecord(level.derived["properties"]) ?? {};
    const known = Object.keys(derivedProperties);
    for (const name of Object.keys(writtenProperties)) {
      if (!(name in derivedProperties)) {
        issues.push({ path: joinPath(joinPath(level.path, "properties"), name), message: `is not a field of ${level.where} in schema.lua`, received: name, expected: `one of ${known.join(", ") || "(none)"}` });
      }
    }
    const writtenRequired = new Set(asStrings(level.written["required"]));
    const derivedRequired = new Set(asStrings(level.derived["required"]));
    for (const name of known) {
      if (derivedRequired.has(name) !== writtenRequired.has(name) && (name in writtenProperties || derivedRequired.has(name))) {
        issues.push({
          path: joinPath(joinPath(level.path, "properties"), name),
          message: derivedRequired.has(name) ? `is required by schema.lua (${level.where}.${name}) but not by configSchema` : `is required by configSchema but not by schema.lua (${level.where}.${name} is optional or has a default)`,
        });
      }
      const writtenField = asRecord(writtenProperties[name]);
      const derivedField = objectPart(derivedProperties[name]);
      if (writtenField === undefined || derivedField === undefined) continue;
      const [writtenType, derivedType] = [writtenField["type"], primaryType(derivedField["type"])];
      if (typeof writtenType === "string" && typeof derivedType === "string" && writtenType !== derivedType) {
        issues.push({ path: joinPath(joinPath(joinPath(level.path, "properties"), name), "type"), message: `disagrees with schema.lua (${level.where}.${name} is ${derivedType})`, received: writtenType, expected: derivedType });
      }
      if (derivedType === "object" && asRecord(derivedField["properties"]) !== undefined) {
        pending.push({ written: writtenField, derived: derivedField, path: joinPath(joinPath(level.path, "properties"), name), where: `${level.where}.${name}` });
      }
    }
  }
  return issues;
}

/** A derived property's own schema, unwrapped from `anyOf: [schema, null]` and `anyOf: [vault reference, schema]`. */
function objectPart(schema: unknown): Record<string, unknown> | undefined {
  let record = asRecord(schema);
  for (let anyOf = record?.["anyOf"]; Array.isArray(anyOf); anyOf = record?.["anyOf"]) {
    record = asRecord(anyOf.find((option) => asRecord(option)?.["type"] !== "null" && asRecord(option)?.["pattern"] !== "^\\{vault://.*\\}$"));
  }
  return record;
}

/** The derived type as a hand-written schema would say it (`["object", "array"]`: an object that may also be written `[]`). */
function primaryType(type: unknown): unknown {
  return Array.isArray(type) ? type[0] : type;
}

function asStrings(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === "string") : [];
}
