// Ajv is loaded when a schema is first compiled: a program whose plugins are all judged by their
// schema.lua never compiles one, and does not pay Ajv's load (issue 18).
import type Ajv from "ajv";
import type { AnySchema, ErrorObject, ValidateFunction } from "ajv";
import type Ajv2019 from "ajv/dist/2019";
import type Ajv2020 from "ajv/dist/2020";
import type AjvDraft04 from "ajv-draft-04";
import type addFormatsFunction from "ajv-formats";
import { canonicalJson } from "./canonical";
import { sha256Hex } from "./digest";
import { joinPath, type ValidationIssue } from "./errors";

/** The JSON Schema dialects a user's schema may declare with `$schema`. */
export enum JsonSchemaDialect {
  Draft04 = "draft-04",
  Draft07 = "draft-07",
  Draft2019 = "2019-09",
  Draft2020 = "2020-12",
}

type AnyAjv = Ajv | Ajv2019 | Ajv2020 | AjvDraft04;

const instances = new Map<JsonSchemaDialect, AnyAjv>();
const validators = new Map<string, ValidateFunction>();

/** Which dialect a schema is written in, from its `$schema`; draft-07 when it names none. */
export function schemaDialect(schema: unknown): JsonSchemaDialect {
  const declared = isObject(schema) && typeof schema.$schema === "string" ? schema.$schema : "";
  if (declared.includes("draft-04")) return JsonSchemaDialect.Draft04;
  if (declared.includes("2019-09")) return JsonSchemaDialect.Draft2019;
  if (declared.includes("2020-12")) return JsonSchemaDialect.Draft2020;
  return JsonSchemaDialect.Draft07;
}

/**
 * The one Ajv instance of a dialect. Instances are expensive (each compiles its
 * meta-schemas), so they are created once per process and shared.
 */
export function ajvFor(dialect: JsonSchemaDialect): AnyAjv {
  let ajv = instances.get(dialect);
  if (!ajv) {
    // strict:false because user schemas legitimately carry vendor keywords
    // (x-kubernetes-*, descriptions of their own); the meta-schema check still runs.
    const options = { allErrors: true, strict: false, validateFormats: true };
    ajv = newAjv(dialect, options);
    (require("ajv-formats") as { default: typeof addFormatsFunction }).default(ajv as Ajv);
    instances.set(dialect, ajv);
  }
  return ajv;
}

function newAjv(dialect: JsonSchemaDialect, options: object): AnyAjv {
  switch (dialect) {
    case JsonSchemaDialect.Draft04:
      return new (require("ajv-draft-04") as { default: typeof AjvDraft04 }).default(options);
    case JsonSchemaDialect.Draft07:
      return new (require("ajv") as { default: typeof Ajv }).default(options);
    case JsonSchemaDialect.Draft2019:
      return new (require("ajv/dist/2019") as { default: typeof Ajv2019 }).default(options);
    case JsonSchemaDialect.Draft2020:
      return new (require("ajv/dist/2020") as { default: typeof Ajv2020 }).default(options);
    default: {
      const unreachable: never = dialect;
      throw new Error(`unknown JSON Schema dialect ${String(unreachable)}`);
    }
  }
}

/** Validators by schema object: a schema object is an input's value, which no one changes once given. */
const validatorsBySchema = new WeakMap<object, ValidateFunction>();

/**
 * A compiled validator for `schema`, cached by the schema object and by the hash of its
 * canonical JSON, so that validating many objects against one schema compiles it once and
 * hashes it once (not once per validation).
 */
export function compiledValidator(schema: AnySchema): ValidateFunction {
  const known = typeof schema === "object" && schema !== null ? validatorsBySchema.get(schema) : undefined;
  if (known) return known;
  const dialect = schemaDialect(schema);
  const key = `${dialect}:${sha256Hex(canonicalJson(schema))}`;
  let validate = validators.get(key);
  if (!validate) {
    validate = ajvFor(dialect).compile(forInstance(schema));
    validators.set(key, validate);
  }
  if (typeof schema === "object" && schema !== null) validatorsBySchema.set(schema, validate);
  return validate;
}

/**
 * The schema as the dialect's instance compiles it: without `$id`, which would collide between
 * two versions of one schema in the shared instance (the cache key identifies the schema), and
 * without `$schema`, whose spellings vary (`https://json-schema.org/draft-07/schema` is common)
 * and which has already chosen the instance.
 */
function forInstance(schema: AnySchema): AnySchema {
  if (!isObject(schema)) return schema;
  const { $id: _id, $schema: _schema, ...rest } = schema;
  return rest;
}

/**
 * Checks that `schema` is a valid JSON Schema of its dialect (and that Ajv can compile it).
 * Returns issues with paths under `rootPath`, empty when the schema is usable.
 */
export function checkJsonSchema(schema: unknown, rootPath: string): ValidationIssue[] {
  if (!isObject(schema) && typeof schema !== "boolean") {
    return [{ path: rootPath, message: "must be a JSON Schema object", received: schema, expected: "an object" }];
  }
  const ajv = ajvFor(schemaDialect(schema));
  if (!ajv.validateSchema(forInstance(schema as AnySchema))) {
    return ajvErrorsToIssues(ajv.errors ?? [], rootPath, schema);
  }
  try {
    compiledValidator(schema as AnySchema);
    return [];
  } catch (error) {
    return [{ path: rootPath, message: `cannot be compiled: ${(error as Error).message}` }];
  }
}

/** Validates `data` against `schema` and returns every problem, paths under `rootPath`. */
export function validateWithSchema(schema: AnySchema, data: unknown, rootPath: string): ValidationIssue[] {
  const validate = compiledValidator(schema);
  if (validate(data)) return [];
  return ajvErrorsToIssues(validate.errors ?? [], rootPath, data);
}

/** Converts Ajv's errors to issues whose paths read like TypeScript property access. */
export function ajvErrorsToIssues(errors: readonly ErrorObject[], rootPath: string, data: unknown): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  const seen = new Set<string>();
  for (const error of errors) {
    // An if/then failure is also reported as "must match then schema" at the object itself;
    // the errors of the then-schema already say what is wrong, and where.
    if (error.keyword === "if") continue;
    const issue = toIssue(error, rootPath, data);
    const key = `${issue.path}\0${issue.message}`;
    if (!seen.has(key)) {
      seen.add(key);
      issues.push(issue);
    }
  }
  return issues;
}

function toIssue(error: ErrorObject, rootPath: string, data: unknown): ValidationIssue {
  const segments = pointerSegments(error.instancePath);
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case "required":
      return {
        path: pathOf(rootPath, [...segments, String(params.missingProperty)], data),
        message: "is required",
      };
    case "additionalProperties":
      return {
        path: pathOf(rootPath, [...segments, String(params.additionalProperty)], data),
        message: "is not an allowed property",
        expected: "only the properties the schema declares",
      };
    default:
      return {
        path: pathOf(rootPath, segments, data),
        message: error.message ?? error.keyword,
        received: valueAt(data, segments),
        expected: expectedOf(error),
      };
  }
}

function expectedOf(error: ErrorObject): string | undefined {
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case "enum":
      return `one of ${(params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(", ")}`;
    case "const":
      return JSON.stringify(params.allowedValue);
    case "type":
      return String(params.type);
    case "minimum":
    case "maximum":
    case "exclusiveMinimum":
    case "exclusiveMaximum":
      return `${String(params.comparison)} ${String(params.limit)}`;
    case "pattern":
      return `a string matching ${String(params.pattern)}`;
    case "format":
      return `format ${String(params.format)}`;
    default:
      return undefined;
  }
}

function pointerSegments(pointer: string): string[] {
  if (!pointer) return [];
  return pointer
    .slice(1)
    .split("/")
    .map((part) => part.replace(/~1/g, "/").replace(/~0/g, "~"));
}

/** Builds the path, writing `[2]` only where the data really is an array, so a key "2" stays `["2"]`. */
function pathOf(rootPath: string, segments: readonly string[], data: unknown): string {
  let path = rootPath;
  let current: unknown = data;
  for (const segment of segments) {
    const inArray = Array.isArray(current);
    path = joinPath(path, inArray ? Number(segment) : segment);
    current = current !== null && typeof current === "object" ? (current as Record<string, unknown>)[segment] : undefined;
  }
  return path;
}

function valueAt(data: unknown, segments: readonly string[]): unknown {
  let current: unknown = data;
  for (const segment of segments) {
    if (current === null || typeof current !== "object") return undefined;
    current = (current as Record<string, unknown>)[segment];
  }
  return current;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}
