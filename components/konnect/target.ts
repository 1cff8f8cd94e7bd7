// Which Konnect API a plugin goes to: a region's API host, or a base URL, and a control plane.
// Regions and hosts: the servers of Konnect's OpenAPI (../shared/fixtures/konnect/custom-plugins.openapi.yaml).
import { IssueCollector } from "../core/errors";

/** Konnect's API regions, each served at `https://<region>.api.konghq.com`. */
export enum KonnectRegion {
  Us = "us",
  Eu = "eu",
  Au = "au",
  Me = "me",
  In = "in",
  Global = "global",
}

/** Where a plugin goes in Konnect, as plain values. */
export interface KonnectTargetSpec {
  /** The control plane's UUID (Gateway Manager shows it). */
  readonly controlPlaneId: string;
  /**
   * The Konnect region whose API serves the control plane.
   * @default - "us", unless baseUrl is given
   */
  readonly region?: KonnectRegion;
  /**
   * The Konnect API's base URL, instead of a region (e.g. `https://eu.api.konghq.com`). Plain
   * `http://` only to a loopback address: the token travels in every request.
   * @default - `https://<region>.api.konghq.com`
   */
  readonly baseUrl?: string;
}

/** A checked target: the API base URL without a trailing slash, and the control plane. */
export interface ResolvedKonnectTarget {
  readonly baseUrl: string;
  readonly controlPlaneId: string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const LOOPBACK = new Set(["127.0.0.1", "localhost", "[::1]"]);

/** Checks the target, recording problems in `issues` under `path`; undefined when it is unusable. */
export function resolveKonnectTarget(spec: KonnectTargetSpec, issues: IssueCollector): ResolvedKonnectTarget | undefined {
  const before = issues.issues.length;
  // The OpenAPI declares controlPlaneId `format: uuid`.
  if (typeof spec.controlPlaneId !== "string" || !UUID.test(spec.controlPlaneId)) {
    issues.add("controlPlaneId", "must be the control plane's UUID", { received: spec.controlPlaneId, expected: "e.g. 9524ec7d-36d9-465d-a8c5-83a3c9390458" });
  }
  if (spec.region !== undefined && spec.baseUrl !== undefined) {
    issues.add("baseUrl", "cannot be combined with region: both name the API to call", { received: spec.baseUrl, expected: "region or baseUrl, not both" });
  }
  issues.oneOf("region", spec.region, KonnectRegion);
  let baseUrl = `https://${spec.region ?? KonnectRegion.Us}.api.konghq.com`;
  if (spec.baseUrl !== undefined) {
    const url = parseUrl(spec.baseUrl);
    const expected = "an https:// URL (http:// only to 127.0.0.1 or localhost), without query or fragment";
    if (url === undefined || (url.protocol !== "https:" && !(url.protocol === "http:" && LOOPBACK.has(url.hostname))) || url.search !== "" || url.hash !== "" || url.username !== "" || url.password !== "") {
      issues.add("baseUrl", "is not a Konnect API base URL", { received: spec.baseUrl, expected });
    } else {
      baseUrl = `${url.origin}${url.pathname}`.replace(/\/+$/, "");
    }
  }
  return issues.issues.length > before ? undefined : { baseUrl, controlPlaneId: spec.controlPlaneId.toLowerCase() };
}

function parseUrl(text: unknown): URL | undefined {
  if (typeof text !== "string") return undefined;
  try {
    return new URL(text);
  } catch {
    return undefined;
  }
}
