// Part of the installer: this file imports Node's own modules and the installer's files only, so
// that the init step can run it from a ConfigMap with nothing but `node` (installer-files.ts).
import { createHash } from "node:crypto";

/**
 * An OCI distribution client over HTTP(S) from Node: the few endpoints a signed artifact needs
 * (OCI distribution spec, https://github.com/opencontainers/distribution-spec/blob/main/spec.md):
 * blob existence (`HEAD /v2/<name>/blobs/<digest>`), monolithic upload (`POST .../blobs/uploads/`
 * then `PUT <location>?digest=`), manifests (`PUT`/`GET /v2/<name>/manifests/<reference>`) and
 * blob download. Authentication follows the registry's `WWW-Authenticate` challenge: none,
 * `Basic`, or `Bearer` through the token endpoint it names (Docker's token authentication,
 * https://distribution.github.io/distribution/spec/auth/token/).
 */

/** A parsed `registry/repository[:tag][@sha256:...]` reference. */
export interface ArtifactReference {
  /** `host[:port]` of the registry. */
  readonly registry: string;
  /** The repository inside it, e.g. `acme/plugins/rate-limit`. */
  readonly repository: string;
  /** The tag, when the reference names one. */
  readonly tag?: string;
  /** The digest, when the reference names one. */
  readonly digest?: string;
}

/** Credentials for a registry; both are Pulumi secrets where they come from. */
export interface RegistryCredentials {
  readonly username: string;
  readonly password: string;
}

/** How to reach a registry. */
export interface RegistryClientOptions {
  /** Credentials, for `Basic` or for the token endpoint of `Bearer`. */
  readonly credentials?: RegistryCredentials;
  /** Speak plain HTTP instead of HTTPS (a registry on the local host). */
  readonly plainHttp?: boolean;
  /**
   * Blobs larger than this are uploaded in chunks of this size (`PATCH` with `Content-Range`),
   * smaller ones in one `PUT`. @default 8 MiB
   */
  readonly chunkBytes?: number;
}

/** The size above which blobs are uploaded in chunks. */
const DEFAULT_CHUNK_BYTES = 8 * 1024 * 1024;

/** A problem talking to a registry: the request, the status and what the registry said. */
export class RegistryError extends Error {
  override readonly name = "RegistryError";
}

const REPOSITORY = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:\/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*$/;
/** The distribution spec's tag pattern. */
export const TAG = /^[A-Za-z0-9_][A-Za-z0-9._-]{0,127}$/;
const DIGEST = /^sha256:[a-f0-9]{64}$/;
const REGISTRY = /^[A-Za-z0-9.-]+(?::[0-9]+)?$|^\[[0-9a-fA-F:]+\](?::[0-9]+)?$/;

/**
 * Parses a reference as the distribution spec names its parts (repository `<name>` pattern,
 * tag pattern `[a-zA-Z0-9_][a-zA-Z0-9._-]{0,127}`); the registry host must be given, since a
 * signed artifact is pinned to one registry. Returns the problems found, or the parts.
 */
export function parseArtifactReference(text: string): ArtifactReference | string {
  const at = text.indexOf("@");
  const digest = at >= 0 ? text.slice(at + 1) : undefined;
  const named = at >= 0 ? text.slice(0, at) : text;
  const slash = named.indexOf("/");
  if (slash <= 0) return "names no registry host (expected host[:port]/repository)";
  const registry = named.slice(0, slash);
  const rest = named.slice(slash + 1);
  const colon = rest.lastIndexOf(":");
  const repository = colon >= 0 ? rest.slice(0, colon) : rest;
  const tag = colon >= 0 ? rest.slice(colon + 1) : undefined;
  if (!REGISTRY.test(registry)) return `has an invalid registry host ${JSON.stringify(registry)}`;
  if (!REPOSITORY.test(repository)) return `has an invalid repository ${JSON.stringify(repository)} (lower-case letters, digits, separators . _ __ - and /)`;
  if (tag !== undefined && !TAG.test(tag)) return `has an invalid tag ${JSON.stringify(tag)}`;
  if (digest !== undefined && !DIGEST.test(digest)) return `has an invalid digest ${JSON.stringify(digest)} (expected sha256:<64 hex>)`;
  return { registry, repository, ...(tag !== undefined ? { tag } : {}), ...(digest !== undefined ? { digest } : {}) };
}

/** `registry/repository`, the name a digest reference and cosign's docker-reference use. */
export function repositoryName(reference: Pick<ArtifactReference, "registry" | "repository">): string {
  return `${reference.registry}/${reference.repository}`;
}

/** `sha256:<hex>` of some bytes, as OCI descriptors name content. */
export function ociDigest(bytes: Uint8Array): string {
  return `sha256:${createHash("sha256").update(bytes).digest("hex")}`;
}

/** One parsed `WWW-Authenticate` challenge. */
interface Challenge {
  readonly scheme: string;
  readonly params: Readonly<Record<string, string>>;
}

/** Parses `Bearer realm="...",service="...",scope="..."` (RFC 7235 auth-params, quoted or not). */
export function parseChallenge(header: string): Challenge | undefined {
  const match = /^\s*([A-Za-z]+)\s*(.*)$/.exec(header);
  if (!match) return undefined;
  const params: Record<string, string> = {};
  const param = /([A-Za-z_]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^,\s]*))\s*,?\s*/g;
  for (let found = param.exec(match[2]!); found; found = param.exec(match[2]!)) {
    params[found[1]!.toLowerCase()] = found[2] !== undefined ? found[2].replace(/\\(.)/g, "$1") : found[3]!;
  }
  return { scheme: match[1]!.toLowerCase(), params };
}

/** A client for one repository of one registry. */
export class RegistryClient {
  private authorization: string | undefined;

  constructor(
    private readonly reference: Pick<ArtifactReference, "registry" | "repository">,
    private readonly options: RegistryClientOptions = {},
  ) {}

  private url(path: string): string {
    return `${this.options.plainHttp ? "http" : "https"}://${this.reference.registry}/v2/${this.reference.repository}${path}`;
  }

  /** Sends a request, answering one authentication challenge if the registry asks. */
  private async send(method: string, url: string, init: { headers?: Record<string, string>; body?: Uint8Array } = {}, scope = "pull,push"): Promise<Response> {
    const attempt = () =>
      fetch(url, {
        method,
        headers: { ...(init.headers ?? {}), ...(this.authorization ? { authorization: this.authorization } : {}) },
        ...(init.body !== undefined ? { body: init.body } : {}),
        redirect: "follow",
      });
    const first = await attempt();
    if (first.status !== 401) return first;
    const header = first.headers.get("www-authenticate");
    await first.arrayBuffer();
    if (!header) throw new RegistryError(`${method} ${url}: 401 Unauthorized without a WWW-Authenticate challenge`);
    this.authorization = await this.answer(header, scope);
    return attempt();
  }

  /** The Authorization header that answers a challenge. */
  private async answer(header: string, scope: string): Promise<string> {
    const challenge = parseChallenge(header);
    const credentials = this.options.credentials;
    const basic = credentials ? `Basic ${Buffer.from(`${credentials.username}:${credentials.password}`, "utf8").toString("base64")}` : undefined;
    if (challenge?.scheme === "basic") {
      if (!basic) throw new RegistryError(`registry ${this.reference.registry} requires credentials (Basic authentication) and none were given`);
      return basic;
    }
    if (challenge?.scheme !== "bearer" || !challenge.params.realm) {
      throw new RegistryError(`registry ${this.reference.registry} asked for an authentication this client does not speak: ${header}`);
    }
    const token = new URL(challenge.params.realm);
    if (challenge.params.service) token.searchParams.set("service", challenge.params.service);
    token.searchParams.set("scope", challenge.params.scope ?? `repository:${this.reference.repository}:${scope}`);
    const response = await fetch(token, { headers: basic ? { authorization: basic } : {} });
    const body = await response.text();
    if (!response.ok) throw new RegistryError(`token endpoint ${token.origin}${token.pathname} refused: ${response.status} ${body.slice(0, 200)}`);
    const parsed = JSON.parse(body) as { token?: string; access_token?: string };
    const value = parsed.token ?? parsed.access_token;
    if (!value) throw new RegistryError(`token endpoint ${token.origin}${token.pathname} answered without a token`);
    return `Bearer ${value}`;
  }

  private async expect(response: Response, what: string, statuses: readonly number[]): Promise<Response> {
    if (statuses.includes(response.status)) return response;
    const text = await response.text();
    throw new RegistryError(`${what}: registry answered ${response.status} ${text.slice(0, 300)}`);
  }

  /** Whether the repository already holds a blob. */
  async hasBlob(digest: string): Promise<boolean> {
    const response = await this.send("HEAD", this.url(`/blobs/${digest}`), {}, "pull");
    await response.arrayBuffer();
    return response.status === 200;
  }

  /** The upload session's next URL, from a response's Location (relative to the registry). */
  private async location(response: Response, what: string): Promise<URL> {
    await response.arrayBuffer();
    const location = response.headers.get("location");
    if (!location) throw new RegistryError(`${what}: registry gave no Location`);
    return new URL(location, this.url("/"));
  }

  /**
   * Uploads a blob after opening an upload session (`POST .../blobs/uploads/`): in one `PUT`, or
   * past `chunkBytes` in `PATCH` chunks with `Content-Range`, each to the Location the registry
   * answered, closed by a `PUT ?digest=` (distribution spec, "Pushing a blob monolithically" and
   * "Pushing a blob in chunks"). Skipped when the repository already holds it.
   */
  async pushBlob(bytes: Uint8Array): Promise<string> {
    const digest = ociDigest(bytes);
    if (await this.hasBlob(digest)) return digest;
    const chunk = this.options.chunkBytes ?? DEFAULT_CHUNK_BYTES;
    let target = await this.location(await this.expect(await this.send("POST", this.url("/blobs/uploads/")), `opening an upload of ${digest}`, [202]), `opening an upload of ${digest}`);
    let body = bytes;
    if (bytes.length > chunk) {
      for (let start = 0; start < bytes.length; start += chunk) {
        const part = bytes.subarray(start, Math.min(start + chunk, bytes.length));
        const headers = { "content-type": "application/octet-stream", "content-length": String(part.length), "content-range": `${start}-${start + part.length - 1}` };
        const patched = await this.expect(await this.send("PATCH", target.toString(), { headers, body: part }), `uploading bytes ${start}- of blob ${digest}`, [202]);
        target = await this.location(patched, `uploading blob ${digest}`);
      }
      body = new Uint8Array(0);
    }
    target.searchParams.set("digest", digest);
    const put = await this.send("PUT", target.toString(), { headers: { "content-type": "application/octet-stream", "content-length": String(body.length) }, body });
    await (await this.expect(put, `uploading blob ${digest}`, [201])).arrayBuffer();
    return digest;
  }

  /** Puts a manifest under a tag or digest; returns its digest, checked against the registry's. */
  async pushManifest(reference: string, manifest: Uint8Array, mediaType: string): Promise<string> {
    const digest = ociDigest(manifest);
    const response = await this.send("PUT", this.url(`/manifests/${reference}`), { headers: { "content-type": mediaType }, body: manifest });
    await (await this.expect(response, `putting manifest ${reference}`, [201])).arrayBuffer();
    const told = response.headers.get("docker-content-digest");
    if (told && told !== digest) throw new RegistryError(`putting manifest ${reference}: registry stored ${told}, the manifest's digest is ${digest}`);
    return digest;
  }

  /** A manifest's bytes, or undefined when the registry has none under that reference. */
  async getManifest(reference: string, mediaTypes: readonly string[]): Promise<Uint8Array | undefined> {
    const response = await this.send("GET", this.url(`/manifests/${reference}`), { headers: { accept: mediaTypes.join(", ") } }, "pull");
    if (response.status === 404) {
      await response.arrayBuffer();
      return undefined;
    }
    await this.expect(response, `getting manifest ${reference}`, [200]);
    return new Uint8Array(await response.arrayBuffer());
  }

  /** A blob's bytes, checked against its digest. */
  async getBlob(digest: string): Promise<Uint8Array> {
    const response = await this.expect(await this.send("GET", this.url(`/blobs/${digest}`), {}, "pull"), `getting blob ${digest}`, [200]);
    const bytes = new Uint8Array(await response.arrayBuffer());
    const actual = ociDigest(bytes);
    if (actual !== digest) throw new RegistryError(`blob ${digest} arrived with digest ${actual}: refused`);
    return bytes;
  }
}
