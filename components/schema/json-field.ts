// A `json` field's value checked against its `json_schema.inline`, as Kong does with
// lua-resty-ljsonschema (kong/db/schema/init.lua validate_fields: kong.db.schema.json.validate).
// ljsonschema implements draft-04 and stops at the first problem; its messages for the common
// keywords are reproduced ("wrong type: expected object, got string", "property level
// validation failed: ..."), others keep Ajv's words.
import type { ErrorObject } from "ajv";
import { compiledValidator } from "../core/ajv";
import { asRecord } from "../core/objects";

/** ljsonschema's name of a value's type. */
function jsonType(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  if (typeof value === "number") return Number.isInteger(value) ? "integer" : "number";
  return typeof value === "object" ? "object" : typeof value;
}

/** The problem with `value`, or undefined when the inline schema accepts it. */
export function jsonFieldProblem(jsonSchema: unknown, value: unknown): string | undefined {
  const inline = asRecord(asRecord(jsonSchema)?.["inline"]);
  if (inline === undefined) return undefined;
  const validate = compiledValidator({ $schema: "http://json-schema.org/draft-04/schema#", ...inline });
  if (validate(value)) return undefined;
  const error = (validate.errors ?? [])[0] as ErrorObject;
  const segments = error.instancePath.split("/").slice(1).map((segment) => segment.replace(/~1/g, "/").replace(/~0/g, "~"));
  let at: unknown = value;
  for (const segment of segments) at = Array.isArray(at) ? at[Number(segment)] : asRecord(at)?.[segment];
  let message = keywordMessage(error, at);
  for (const segment of [...segments].reverse()) {
    message = /^\d+$/.test(segment) ? `failed to validate item ${Number(segment) + 1}: ${message}` : `property ${segment} validation failed: ${message}`;
  }
  return message;
}

function keywordMessage(error: ErrorObject, value: unknown): string {
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case "type": {
      const types = Array.isArray(params["type"]) ? (params["type"] as string[]) : String(params["type"]).split(",");
      return `wrong type: expected ${types.length > 1 ? `one of ${types.join(", ")}` : types[0]}, got ${jsonType(value)}`;
    }
    case "required":
      return `property ${String(params["missingProperty"])} is required`;
    case "additionalProperties":
      return `additional properties forbidden, found ${String(params["additionalProperty"])}`;
    case "enum":
      return "matches none of the enum values";
    default:
      return error.message ?? "is not valid";
  }
}
