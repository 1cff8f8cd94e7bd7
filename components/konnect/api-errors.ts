// Konnect's error bodies read into issues that name the field they are about. Konnect answers in
// three shapes, all read here:
// - core entities (shared with Kong's Admin API): `{code, message, details: [{type, field, messages}]}`;
//   a unique name taken is `code` 3 "data constraint error" with `field: "name"` and
//   "name (type: unique) constraint failed" (Kong/gateway-operator controller/konnect/ops/ops_errors.go
//   `SDKErrorIsConflict`: shared APIs answer 400, Konnect-only ones 409);
// - Konnect's own APIs (problem+json): `{status, title, detail, invalid_parameters: [{field, reason}]}`
//   (Kong/sdk-konnect-go models/sdkerrors/badrequesterror.go);
// - the plugin-schemas API and 401s: `{message}` (sdk-konnect-go KonnectCPLegacy*Error; the
//   OpenAPI's GatewayUnauthorizedError `{message, status}`).
import { REDACTED, type ValidationIssue } from "../core/errors";

/** Where a request field comes from in the user's inputs (`handler` → `plugin.source.files["handler.lua"]`). */
export type FieldPaths = Readonly<Record<string, string>>;

/** A problem Konnect named, at the input it is about, with the request field it named. */
export type KonnectIssue = ValidationIssue & { readonly field?: string };

/** Konnect refused a request: its status, and its error body as issues. */
export class KonnectApiError extends Error {
  override readonly name = "KonnectApiError";

  constructor(
    /** `POST /v2/control-planes/.../custom-plugins`: what was asked (no host, no token). */
    readonly request: string,
    /** The HTTP status Konnect answered. */
    readonly status: number,
    /** The problems the body names, each at the input it is about. */
    readonly issues: readonly KonnectIssue[],
  ) {
    super(`Konnect refused ${request} (HTTP ${status}):\n${issues.map((issue) => `  - ${issue.path || "(request)"}: ${issue.message}`).join("\n")}`);
  }

  /** Whether Konnect says the name is taken: another plugin (or schema) by that name exists. */
  get nameTaken(): boolean {
    if (this.status === 409) return true;
    return this.status === 400 && this.issues.some((issue) => issue.field === "name" && /unique|already exists/i.test(issue.message));
  }
}


/**
 * Reads Konnect's error body into issues at the inputs the fields come from, with `token`
 * taken out of every text (a server could echo a header).
 */
export function konnectErrorIssues(body: unknown, status: number, fieldPaths: FieldPaths, token: string): KonnectIssue[] {
  const scrub = (text: string) => (token === "" ? text : text.split(token).join(REDACTED));
  const at = (field: string | undefined, message: string): KonnectIssue => ({
    path: field === undefined || field === "" ? "" : fieldPaths[field] ?? field,
    message: scrub(message),
    ...(field ? { field } : {}),
  });
  const object = isObject(body) ? body : {};
  const issues: KonnectIssue[] = [];
  for (const detail of asArray(object.details)) {
    if (!isObject(detail)) continue;
    const messages = asArray(detail.messages).filter((text): text is string => typeof text === "string");
    issues.push(at(typeof detail.field === "string" ? detail.field : undefined, messages.join("; ") || String(object.message ?? "rejected")));
  }
  for (const parameter of asArray(object.invalid_parameters)) {
    if (!isObject(parameter)) continue;
    issues.push(at(typeof parameter.field === "string" ? parameter.field : undefined, String(parameter.reason ?? parameter.rule ?? "is invalid")));
  }
  if (issues.length === 0) {
    const text = [object.message, object.title, object.detail].filter((part): part is string => typeof part === "string" && part !== "");
    issues.push(at(undefined, text.length > 0 ? text.join(": ") : typeof body === "string" && body !== "" ? body.slice(0, 500) : `HTTP ${status} without an error body`));
  }
  return issues;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

function asArray(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}
