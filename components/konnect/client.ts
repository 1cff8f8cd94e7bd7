// One Konnect API call at a time, made to survive the real network: 429 is retried after the
// Retry-After Konnect sends, 5xx and lost connections with exponential backoff (GET, PUT and
// DELETE only: they are idempotent), each attempt under a timeout, the whole operation under a
// deadline. A POST whose outcome is unknown is not repeated here: the caller looks the entity up
// first (see entities.ts), so a lost response never makes a second plugin.
import { KonnectApiError, konnectErrorIssues, type FieldPaths } from "./api-errors";

/** How long and how often a Konnect operation may try. */
export interface KonnectRetryPolicy {
  /** Time one request may take, response body included. */
  readonly requestTimeoutMs: number;
  /** Time a whole operation (create, read, update, delete with its retries) may take. */
  readonly totalTimeoutMs: number;
  /** First backoff after a 5xx or a lost connection; doubled each time. */
  readonly initialBackoffMs: number;
  /** Longest backoff. */
  readonly maxBackoffMs: number;
}

/** The policy every operation uses unless a test gives its own. */
export const DEFAULT_RETRY_POLICY: KonnectRetryPolicy = {
  requestTimeoutMs: 30_000,
  totalTimeoutMs: 300_000,
  initialBackoffMs: 1_000,
  maxBackoffMs: 30_000,
};

/** A connection to one Konnect API with one token, for one operation (its deadline starts now). */
export interface KonnectConnection {
  readonly baseUrl: string;
  readonly token: string;
  /** Where each request field comes from in the inputs, for error messages. */
  readonly fieldPaths: FieldPaths;
  readonly retry: KonnectRetryPolicy;
  /** `Date.now()` after which no new attempt starts. */
  readonly deadline: number;
}

/** Opens a connection whose operation must end within the policy's total time. */
export function konnectConnection(baseUrl: string, token: string, fieldPaths: FieldPaths, retry: KonnectRetryPolicy = DEFAULT_RETRY_POLICY): KonnectConnection {
  return { baseUrl, token, fieldPaths, retry, deadline: Date.now() + retry.totalTimeoutMs };
}

/** A response Konnect gave: its status and JSON body (undefined when empty). */
export interface KonnectResponse {
  readonly status: number;
  readonly body: unknown;
}

/**
 * A POST may or may not have been carried out: the connection dropped, the request timed out
 * or Konnect answered 5xx. The caller must look before posting again.
 */
export class KonnectUncertainOutcome extends Error {
  override readonly name = "KonnectUncertainOutcome";
}

/** Konnect could not be reached in the time allowed. */
export class KonnectUnavailableError extends Error {
  override readonly name = "KonnectUnavailableError";
}

type Method = "GET" | "POST" | "PUT" | "DELETE";

/**
 * Sends one request, retrying as the module comment says. Answers with statuses in `accepted`
 * are returned; any other 4xx throws {@link KonnectApiError} with the body's issues.
 * @throws KonnectUncertainOutcome for a POST whose outcome is unknown.
 * @throws KonnectUnavailableError when the deadline passes.
 */
export async function konnectRequest(connection: KonnectConnection, method: Method, path: string, body: unknown, accepted: readonly number[]): Promise<KonnectResponse> {
  const described = `${method} ${path}`;
  for (let attempt = 0; ; attempt += 1) {
    const outcome = await attemptOnce(connection, method, path, body);
    if ("response" in outcome) {
      const { status } = outcome.response;
      if (accepted.includes(status)) return outcome.response;
      if (status === 429) {
        await pause(connection, retryAfterMs(outcome.retryAfter) ?? backoffMs(connection.retry, attempt), described, "HTTP 429 Too Many Requests");
        continue;
      }
      if (status < 500) throw new KonnectApiError(described, status, konnectErrorIssues(outcome.response.body, status, connection.fieldPaths, connection.token));
    }
    const reason = "response" in outcome ? `HTTP ${outcome.response.status}` : outcome.failure;
    if (method === "POST") throw new KonnectUncertainOutcome(`${described}: ${reason}`);
    await pause(connection, backoffMs(connection.retry, attempt), described, reason);
  }
}

/** Waits `ms` before the next attempt, or gives up when that would pass the deadline. */
export async function pause(connection: KonnectConnection, ms: number, request: string, reason: string): Promise<void> {
  if (Date.now() + ms > connection.deadline) {
    throw new KonnectUnavailableError(`Konnect did not complete ${request} within ${connection.retry.totalTimeoutMs / 1000} s (last: ${reason})`);
  }
  await new Promise((resolve) => setTimeout(resolve, ms));
}

/** Exponential backoff with jitter, so that many clients do not retry in step. */
export function backoffMs(retry: KonnectRetryPolicy, attempt: number): number {
  const ceiling = Math.min(retry.maxBackoffMs, retry.initialBackoffMs * 2 ** Math.min(attempt, 20));
  return Math.round(ceiling / 2 + (Math.random() * ceiling) / 2);
}

/** Retry-After in delay-seconds or as an HTTP date (RFC 9110 §10.2.3), in ms; undefined when absent or unreadable. */
export function retryAfterMs(header: string | null): number | undefined {
  if (header === null || header.trim() === "") return undefined;
  if (/^\d+$/.test(header.trim())) return Number(header.trim()) * 1000;
  const date = Date.parse(header);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}

type Attempt = { readonly response: KonnectResponse; readonly retryAfter: string | null } | { readonly failure: string };

async function attemptOnce(connection: KonnectConnection, method: Method, path: string, body: unknown): Promise<Attempt> {
  const left = connection.deadline - Date.now();
  if (left <= 0) throw new KonnectUnavailableError(`Konnect did not complete ${method} ${path} within ${connection.retry.totalTimeoutMs / 1000} s`);
  const signal = AbortSignal.timeout(Math.min(connection.retry.requestTimeoutMs, left));
  try {
    const response = await fetch(`${connection.baseUrl}${path}`, {
      method,
      headers: {
        Authorization: `Bearer ${connection.token}`,
        Accept: "application/json",
        ...(body !== undefined ? { "Content-Type": "application/json" } : {}),
      },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
      signal,
      redirect: "error",
    });
    const text = await response.text();
    return { response: { status: response.status, body: parseBody(text) }, retryAfter: response.headers.get("retry-after") };
  } catch (error) {
    // Only the kind of failure is kept: a fetch error's text could carry the request's headers.
    const timedOut = signal.aborted;
    return { failure: timedOut ? "the request timed out" : `the connection failed (${(error as { cause?: { code?: string } }).cause?.code ?? "network error"})` };
  }
}

function parseBody(text: string): unknown {
  if (text === "") return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
