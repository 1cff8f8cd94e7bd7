import { readFileSync } from "node:fs";
import Ajv, { type ValidateFunction } from "ajv";
import { parseAllDocuments } from "yaml";

/** An ajv instance that knows Kubernetes' vendor keywords (they carry no validation for ajv). */
const ajv = new Ajv({ allErrors: true, strict: false });
for (const keyword of [
  "x-kubernetes-preserve-unknown-fields",
  "x-kubernetes-validations",
  "x-kubernetes-list-type",
  "x-kubernetes-list-map-keys",
  "x-kubernetes-map-type",
  "x-kubernetes-int-or-string",
  "x-kubernetes-embedded-resource",
]) {
  ajv.addKeyword({ keyword });
}

type Schema = Record<string, unknown>;

/** The openAPIV3Schema of one version of a CRD (given as an object or a YAML file path). */
export function crdSchema(crd: string | Schema, version?: string): Schema {
  const object = typeof crd === "string" ? (parseAllDocuments(readFileSync(crd, "utf8"))[0]?.toJSON() as Schema) : crd;
  const versions = (object.spec as { versions: { name: string; schema: { openAPIV3Schema: Schema } }[] }).versions;
  const chosen = version === undefined ? versions[0] : versions.find((v) => v.name === version);
  if (!chosen) throw new Error(`CRD has no version ${version}`);
  return chosen.schema.openAPIV3Schema;
}

const compiled = new WeakMap<Schema, ValidateFunction>();

/**
 * Validates an object against a CRD schema and also reports keys the schema does not declare
 * (the API server would prune them silently, so a typo would pass unnoticed). Returns the
 * problems, empty when the object is valid.
 */
export function crdProblems(schema: Schema, object: unknown): string[] {
  let validate = compiled.get(schema);
  if (!validate) {
    validate = ajv.compile(schema);
    compiled.set(schema, validate);
  }
  const problems = validate(object) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath || "/"} ${e.message ?? e.keyword}`);
  return [...problems, ...unknownKeys(schema, object, "")];
}

/** Keys present in `value` but not declared by `schema` where the schema closes the object. */
export function unknownKeys(schema: Schema, value: unknown, path: string): string[] {
  if (value === null || typeof value !== "object") return [];
  if (Array.isArray(value)) {
    const items = schema.items as Schema | undefined;
    return items ? value.flatMap((item, index) => unknownKeys(items, item, `${path}/${index}`)) : [];
  }
  if (schema["x-kubernetes-preserve-unknown-fields"] === true) return [];
  const properties = schema.properties as Record<string, Schema> | undefined;
  const additional = schema.additionalProperties;
  const found: string[] = [];
  for (const [key, item] of Object.entries(value)) {
    const itemSchema = properties?.[key] ?? (typeof additional === "object" ? (additional as Schema) : undefined);
    if (itemSchema) found.push(...unknownKeys(itemSchema, item, `${path}/${key}`));
    else if (properties !== undefined && additional !== true) found.push(`${path}/${key} is not declared by the schema`);
  }
  return found;
}
