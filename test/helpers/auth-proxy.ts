import { createServer, request, type IncomingMessage, type ServerResponse } from "node:http";
import { randomBytes } from "node:crypto";

/**
 * A front for a local registry that demands authentication as hosted registries do, so that
 * the client's challenge handling runs for real: `basic` answers 401 with
 * `WWW-Authenticate: Basic`; `bearer` answers 401 with a `Bearer realm=...,service=...,scope=...`
 * challenge and issues tokens at its realm to the right credentials (Docker's token
 * authentication, https://distribution.github.io/distribution/spec/auth/token/). Listens on
 * 127.0.0.1 only.
 */
export interface AuthProxy {
  /** `127.0.0.1:<port>`, the host to give the client. */
  readonly host: string;
  /** Query strings the token endpoint received (bearer), in order. */
  readonly tokenRequests: URLSearchParams[];
  stop(): Promise<void>;
}

export async function startAuthProxy(registryHost: string, mode: "basic" | "bearer", credentials: { username: string; password: string }): Promise<AuthProxy> {
  const expectedBasic = `Basic ${Buffer.from(`${credentials.username}:${credentials.password}`).toString("base64")}`;
  const tokens = new Set<string>();
  const tokenRequests: URLSearchParams[] = [];
  let host = "";

  const forward = (incoming: IncomingMessage, outgoing: ServerResponse) => {
    const [hostname, port] = registryHost.split(":");
    const headers = { ...incoming.headers };
    delete headers.authorization;
    const upstream = request({ hostname, port: Number(port), method: incoming.method, path: incoming.url, headers }, (response) => {
      outgoing.writeHead(response.statusCode ?? 502, response.headers);
      response.pipe(outgoing);
    });
    upstream.on("error", () => outgoing.writeHead(502).end());
    incoming.pipe(upstream);
  };

  const server = createServer((incoming, outgoing) => {
    const url = new URL(incoming.url ?? "/", `http://${host}`);
    if (mode === "bearer" && url.pathname === "/token") {
      tokenRequests.push(url.searchParams);
      if (incoming.headers.authorization !== expectedBasic || url.searchParams.get("service") !== "test-registry") {
        outgoing.writeHead(401, { "content-type": "application/json" }).end(JSON.stringify({ errors: [{ code: "UNAUTHORIZED" }] }));
        return;
      }
      const token = randomBytes(16).toString("hex");
      tokens.add(token);
      outgoing.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ token }));
      return;
    }
    const given = incoming.headers.authorization ?? "";
    const allowed = mode === "basic" ? given === expectedBasic : given.startsWith("Bearer ") && tokens.has(given.slice("Bearer ".length));
    if (!allowed) {
      incoming.resume();
      const repository = /^\/v2\/(.+?)\/(?:blobs|manifests)\//.exec(url.pathname)?.[1] ?? "";
      const challenge =
        mode === "basic" ? 'Basic realm="test-registry"' : `Bearer realm="http://${host}/token",service="test-registry",scope="repository:${repository}:pull,push"`;
      outgoing.writeHead(401, { "www-authenticate": challenge, "content-type": "application/json" }).end(JSON.stringify({ errors: [{ code: "UNAUTHORIZED" }] }));
      return;
    }
    forward(incoming, outgoing);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  if (address === null || typeof address !== "object") throw new Error("auth proxy has no port");
  host = `127.0.0.1:${address.port}`;
  return {
    host,
    tokenRequests,
    stop: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
