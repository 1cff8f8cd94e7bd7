import { isPathWithin, joinPath, KongPluginsValidationError, type ValidationIssue } from "./errors";

// The types every public entry point reads, checked before anything else reads them: other
// Pulumi languages and hand-written definitions can send any JSON, and a number where a string
// belongs must come back as the typed error with its path, never as `x.replace is not a
// function` from deep inside a renderer.

/** The type of a value an entry point reads. */
export type Shape =
  | { readonly kind: "string" | "number" | "integer" | "boolean" | "json" | "jsonObject" }
  | { readonly kind: "enum"; readonly values: readonly string[] }
  | { readonly kind: "array"; readonly items: Shape }
  | { readonly kind: "map"; readonly values: Shape }
  | { readonly kind: "object"; readonly fields: Readonly<Record<string, Shape>>; readonly required?: readonly string[] };

export const STRING: Shape = { kind: "string" };
export const NUMBER: Shape = { kind: "number" };
export const INTEGER: Shape = { kind: "integer" };
export const BOOLEAN: Shape = { kind: "boolean" };
/** Any JSON value: data the user owns, such as a plugin's config. */
export const JSON_VALUE: Shape = { kind: "json" };
/** A JSON object whose content the user owns (a config, a JSON Schema). */
export const JSON_OBJECT: Shape = { kind: "jsonObject" };
export const arrayOf = (items: Shape): Shape => ({ kind: "array", items });
export const mapOf = (values: Shape): Shape => ({ kind: "map", values });
export const enumOf = (values: Record<string, string>): Shape => ({ kind: "enum", values: Object.values(values) });
export const objectOf = (fields: Record<string, Shape>, required: readonly string[] = []): Shape => ({ kind: "object", fields, required });

/**
 * How deep values may nest. Renderers and YAML writers recurse over values, so a deeper one
 * would overflow the stack; no plugin schema nests records this deep (each level is a record
 * field that schema.lua declares), and Kong's own JSON decoder stops at 1000.
 */
export const MAX_DEPTH = 100;

const isPlainObject = (value: unknown): value is Record<string, unknown> => value !== null && typeof value === "object" && !Array.isArray(value);

/** How a value is described in an issue: its JSON type, never its content (it may be a secret). */
function typeName(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  if (isPlainObject(value)) return "an object";
  return `a ${typeof value}`;
}

function expectedOf(shape: Shape): string {
  switch (shape.kind) {
    case "string":
      return "a string";
    case "number":
      return "a number";
    case "integer":
      return "a whole number";
    case "boolean":
      return "true or false";
    case "json":
      return "a JSON value";
    case "jsonObject":
    case "object":
      return "an object";
    case "map":
      return "an object of names to values";
    case "array":
      return "an array";
    case "enum":
      return `one of ${shape.values.join(", ")}`;
    default: {
      const unreachable: never = shape;
      return String(unreachable);
    }
  }
}

/** A value the walk of {@link shapeIssues} is to check, and where it was found. */
interface Visit {
  readonly value: unknown;
  readonly shape: Shape;
  readonly parent: Visit | undefined;
  /** Its key or index in the parent's value. */
  readonly key: string | number | undefined;
  /** How many objects and arrays hold it. */
  readonly depth: number;
}

/** Whether an object is one of the objects that hold it (a cycle). */
function holdsItself(visit: Visit): boolean {
  for (let holder = visit.parent; holder !== undefined; holder = holder.parent) if (holder.value === visit.value) return true;
  return false;
}

/** What is wrong with a value where it stands, without its path. */
type LeafProblem = Omit<ValidationIssue, "path">;

/** Said of a scalar where a container belongs: the walk goes on to report it. */
const DESCEND = Symbol("descend");

function wrongType(value: unknown, shape: Shape): LeafProblem {
  return { message: `must be ${expectedOf(shape)}`, received: typeName(value), expected: expectedOf(shape) };
}

/**
 * The problem of a value against a scalar shape (undefined when it is right), or DESCEND when
 * the shape is a container's, whose walk reports it.
 */
function leafProblem(value: unknown, shape: Shape): LeafProblem | undefined | typeof DESCEND {
  switch (shape.kind) {
    case "string":
      return typeof value === "string" ? undefined : wrongType(value, shape);
    case "number":
      return typeof value === "number" && Number.isFinite(value) ? undefined : wrongType(value, shape);
    case "integer":
      return typeof value === "number" && Number.isInteger(value) ? undefined : wrongType(value, shape);
    case "boolean":
      return typeof value === "boolean" ? undefined : wrongType(value, shape);
    case "enum":
      return typeof value === "string" && shape.values.includes(value) ? undefined : { message: `is not ${expectedOf(shape)}`, received: typeof value === "string" ? value : typeName(value), expected: shape.values.join(", ") };
    case "json":
      return value === null || typeof value === "string" || typeof value === "number" || typeof value === "boolean" ? undefined : value !== null && typeof value === "object" ? DESCEND : wrongType(value, shape);
    default:
      return DESCEND;
  }
}

/**
 * Every place where `value` is not of `shape`, each with its path. `undefined` stands for an
 * absent optional field; required fields are named by the object shape. The walk is iterative,
 * so no input is deep enough to overflow the stack, and a value met twice on one path (a
 * cycle) is reported instead of followed.
 */
export function shapeIssues(value: unknown, shape: Shape, path = ""): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  // Each pending value knows its parent and its key there: its path is built only when a
  // problem is reported (the walk meets every value of a large input, and most are right).
  const pending: Visit[] = [{ value, shape, parent: undefined, key: undefined, depth: 0 }];
  const pathOf = (visit: Visit): string => (visit.parent === undefined ? path : joinPath(pathOf(visit.parent), visit.key as string | number));
  const report = (visit: Visit, problem: LeafProblem) => issues.push({ path: pathOf(visit), ...problem });
  while (pending.length > 0) {
    const visit = pending.pop() as Visit;
    const { value: current, shape: expected, depth } = visit;
    const isObject = current !== null && typeof current === "object";
    if (isObject) {
      if (holdsItself(visit)) {
        issues.push({ path: pathOf(visit), message: "refers back to an object that holds it: a cycle cannot be rendered", expected: "a tree of plain values" });
        continue;
      }
      if (depth >= MAX_DEPTH) {
        issues.push({ path: pathOf(visit), message: `nests deeper than ${MAX_DEPTH} levels`, expected: `at most ${MAX_DEPTH} levels of objects and arrays` });
        continue;
      }
    }
    // Most values are scalars where a scalar belongs: checked here, with no visit of their own
    // unless they are wrong (a large input holds many thousands).
    const child = (item: unknown, itemShape: Shape, key: string | number): void => {
      if (item === null || typeof item !== "object") {
        const problem = leafProblem(item, itemShape);
        if (problem === undefined) return;
        if (problem !== DESCEND) {
          report({ value: item, shape: itemShape, parent: visit, key, depth }, problem);
          return;
        }
      }
      pending.push({ value: item, shape: itemShape, parent: visit, key, depth: isObject ? depth + 1 : depth });
    };
    const problem = isObject ? undefined : leafProblem(current, expected);
    if (problem !== undefined && problem !== DESCEND) {
      report(visit, problem);
      continue;
    }
    switch (expected.kind) {
      case "string":
      case "number":
      case "integer":
      case "boolean":
      case "enum":
        if (isObject) report(visit, leafProblem(current, expected) as LeafProblem);
        break;
      case "json":
      case "jsonObject":
        if (expected.kind === "jsonObject" && !isPlainObject(current)) report(visit, wrongType(current, expected));
        else if (isObject) {
          if (Array.isArray(current)) current.forEach((item, index) => child(item, JSON_VALUE, index));
          else for (const key of Object.keys(current as object)) child((current as Record<string, unknown>)[key], JSON_VALUE, key);
        }
        break;
      case "array":
        if (!Array.isArray(current)) report(visit, wrongType(current, expected));
        else current.forEach((item, index) => child(item, expected.items, index));
        break;
      case "map":
        if (!isPlainObject(current)) report(visit, wrongType(current, expected));
        else for (const key of Object.keys(current)) child(current[key], expected.values, key);
        break;
      case "object":
        if (!isPlainObject(current)) {
          report(visit, wrongType(current, expected));
          break;
        }
        for (const field of expected.required ?? []) {
          if (current[field] === undefined) issues.push({ path: joinPath(pathOf(visit), field), message: "is required", expected: expectedOf(expected.fields[field] as Shape) });
        }
        for (const field of Object.keys(expected.fields)) {
          if (current[field] !== undefined) child(current[field], expected.fields[field] as Shape, field);
        }
        break;
      default: {
        const unreachable: never = expected;
        throw new Error(`unknown shape ${String(unreachable)}`);
      }
    }
  }
  return issues.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

/**
 * Runs an entry point's `check` on `value` once its types are right. When they are not, the
 * check still runs, so that every other problem is reported with them; what it finds wins
 * where both name one place (its words are the precise ones), and if a wrong type makes it
 * fail in any other way, the type problems alone are reported.
 * @throws KongPluginsValidationError
 */
export function withShape<T>(value: unknown, shape: Shape, subject: string, check: () => T): T {
  const typeProblems = shapeIssues(value, shape);
  if (typeProblems.length === 0) return check();
  let found: readonly ValidationIssue[] = [];
  try {
    check();
  } catch (error) {
    if (error instanceof KongPluginsValidationError) found = error.issues;
  }
  const covered = (path: string) => found.some((issue) => isPathWithin(issue.path, path) || isPathWithin(path, issue.path));
  throw new KongPluginsValidationError([...found, ...typeProblems.filter((issue) => !covered(issue.path))], subject);
}
