// The rules Kong checks a plugin's schema.lua against before it loads the plugin
// (kong/db/schema/plugin_loader.lua load_subschema: MetaSchema.MetaSubSchema, then
// Entity.new_subschema against the plugins entity), in Kong's words, on the table the sandbox
// exported (functions appear as `{ $function: id }`).
import type { IssueCollector } from "../core/errors";
import { asList, asRecord } from "../core/objects";

/** Kong's field types (kong/db/schema/init.lua Schema.valid_types). */
export const FIELD_TYPES = ["array", "boolean", "foreign", "function", "integer", "json", "map", "number", "record", "set", "string"] as const;

/**
 * Fields of the plugins entity a plugin schema may specialize (kong/db/schema/entities/plugins.lua;
 * `consumer_group`, `ordering` and `partials` in Kong Gateway Enterprise). Any other top-level
 * field cannot be created.
 */
const PLUGIN_ENTITY_FIELDS = new Set(["id", "name", "instance_name", "created_at", "updated_at", "route", "service", "consumer", "consumer_group", "config", "protocols", "enabled", "tags", "ordering", "partials"]);

/** Each type's attributes that must be present (metaschema.lua check_field). */
const REQUIRED_ATTRIBUTES: Readonly<Record<string, readonly string[]>> = {
  array: ["elements"],
  set: ["elements"],
  map: ["keys", "values"],
  record: ["fields"],
  json: ["json_schema"],
};

/** Adds every metaschema problem of `schema` (schema.lua's value) under `path`. */
export function metaschemaIssues(pluginName: string, schema: unknown, path: string, issues: IssueCollector): void {
  const table = asRecord(schema);
  if (table === undefined) {
    issues.add(path, "returns no table: Kong loads the plugin's schema from the table schema.lua returns", { received: typeof schema });
    return;
  }
  const fields = asList(table["fields"]);
  if (fields === undefined) {
    issues.add(path, "schema violation (fields: 'fields' must be a table)", { expected: "fields = { { config = { type = \"record\", fields = { ... } } } }" });
    return;
  }
  const topLevel = fieldEntries(fields, "fields", path, issues);
  for (const [name] of topLevel) {
    if (!PLUGIN_ENTITY_FIELDS.has(name)) {
      issues.add(path, `error initializing schema for plugin: error in definition of '${pluginName}': ${name}: cannot create a new field`, {
        expected: "config, protocols, consumer, route or service",
      });
    }
  }
  // Walk every field definition without recursion: a schema may nest records deeply.
  const pending = topLevel.map(([name, definition]) => ({ name, definition, where: name }));
  while (pending.length > 0) {
    const { definition, where } = pending.pop() as { name: string; definition: unknown; where: string };
    const field = asRecord(definition);
    if (field === undefined || "$inert" in field) continue;
    const type = field["type"];
    if (type === undefined) {
      issues.add(path, `schema violation (${where}: missing type declaration)`);
      continue;
    }
    if (typeof type !== "string" || !(FIELD_TYPES as readonly string[]).includes(type)) {
      issues.add(path, `schema violation (${where}.type: expected one of: ${FIELD_TYPES.join(", ")})`, { received: type });
      continue;
    }
    for (const attribute of REQUIRED_ATTRIBUTES[type] ?? []) {
      if (field[attribute] === undefined && !(type === "record" && field["abstract"] === true)) {
        issues.add(path, `schema violation (${where}: field of type '${type}' must declare '${attribute}')`);
      }
    }
    const children = type === "record" ? asList(field["fields"]) : undefined;
    if (children !== undefined) {
      for (const [name, child] of fieldEntries(children, `${where}.fields`, path, issues)) pending.push({ name, definition: child, where: `${where}.${name}` });
    }
    for (const attribute of ["elements", "keys", "values"]) {
      if (field[attribute] !== undefined) pending.push({ name: attribute, definition: field[attribute], where: `${where}.${attribute}` });
    }
  }
}

/** A fields array's `{ name = definition }` entries; an entry with other than one key is Kong's error. */
function fieldEntries(fields: readonly unknown[], where: string, path: string, issues: IssueCollector): [string, unknown][] {
  const entries: [string, unknown][] = [];
  fields.forEach((entry, index) => {
    const record = asRecord(entry);
    const keys = record === undefined ? [] : Object.keys(record);
    if (record === undefined || keys.length !== 1) {
      issues.add(path, `schema violation (${where}.${index + 1}: each entry in fields must be a sub-table with one field name)`, { received: keys });
      return;
    }
    entries.push([keys[0] as string, record[keys[0] as string]]);
  });
  return entries;
}
