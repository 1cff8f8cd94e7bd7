// A TypeScript declaration of a plugin's config, derived from its schema.lua: a field Kong
// fills (a default, an optional field) is optional, one_of becomes a union of literals, the
// description becomes TSDoc. `kong-plugins types` writes it, so configs are checked in editors.
import { isLuaNull, type KongField, type PluginSchema } from "./model";
import { jsonValue, mustBeWritten } from "./record";

/** `rate-limit-example` → `RateLimitExampleConfig`. */
export function configTypeName(pluginName: string): string {
  return `${pluginName.split(/[^A-Za-z0-9]+/).filter(Boolean).map((word) => word[0]?.toUpperCase() + word.slice(1)).join("")}Config`;
}

/** The declaration file's text: one exported interface for the plugin's config. */
export function configTypeScript(schema: PluginSchema): string {
  const config = schema.fields.find((entry) => entry.name === "config")?.field;
  const name = configTypeName(schema.name);
  const body = config === undefined ? "{}" : objectType(config, "");
  return `// The config of the Kong plugin ${schema.name}, derived from its schema.lua by kong-plugins.\n\n/** The \`config\` of a ${schema.name} plugin instance. */\nexport interface ${name} ${body}\n`;
}

function objectType(record: KongField, indent: string): string {
  const inner = `${indent}  `;
  const members = (record.fields ?? []).map(({ name, field }) => member(name, field, inner, false));
  for (const shorthand of record.shorthandFields ?? []) members.push(member(shorthand.name, shorthand.field, inner, true));
  return members.length === 0 ? "{}" : `{\n${members.join("\n")}\n${indent}}`;
}

function member(name: string, field: KongField, indent: string, deprecated: boolean): string {
  const optional = !mustBeWritten(field);
  const nullable = field.required !== true && field.type !== "record";
  const type = `${valueType(field, indent)}${nullable && optional ? " | null" : ""}`;
  const key = /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(name) ? name : JSON.stringify(name);
  return `${doc(field, indent, deprecated)}${indent}${key}${optional ? "?" : ""}: ${type};`;
}

function valueType(field: KongField, indent: string): string {
  if (field.oneOf !== undefined && field.oneOf.length > 0) return field.oneOf.map((value) => JSON.stringify(jsonValue(value))).join(" | ");
  switch (field.type) {
    case "string":
      return "string";
    case "number":
    case "integer":
      return "number";
    case "boolean":
      return "boolean";
    case "array":
    case "set":
      return `Array<${field.elements !== undefined ? valueType(field.elements, indent) : "unknown"}>`;
    case "map":
      return `Record<string, ${field.values !== undefined ? valueType(field.values, indent) : "unknown"}>`;
    case "record":
      return objectType(field, indent);
    default:
      return "unknown";
  }
}

/** TSDoc from the field's description, default and deprecation. */
function doc(field: KongField, indent: string, deprecated: boolean): string {
  const lines = [
    ...(field.description !== undefined ? field.description.split("\n") : []),
    ...(field.type === "integer" ? ["An integer."] : []),
    ...(field.default !== undefined && !isLuaNull(field.default) ? [`@default ${JSON.stringify(jsonValue(field.default))}`] : []),
    ...(deprecated || field.deprecation !== undefined ? ["@deprecated a shorthand Kong translates into another field"] : []),
  ].map((line) => line.replace(/\*\//g, "*\\/"));
  if (lines.length === 0) return "";
  return `${indent}/**\n${lines.map((line) => `${indent} * ${line}`).join("\n")}\n${indent} */\n`;
}
