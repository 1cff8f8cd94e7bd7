// A stand-in for Konnect on 127.0.0.1 that holds clients to Konnect's OpenAPI contract: every
// request must match a path and method of the contract, carry the bearer token, and send a body
// valid against the operation's schema (checked with ajv against the OpenAPI files themselves,
// not a copy); every answer it gives is checked against the contract too. It keeps custom
// plugins and plugin schemas like Konnect (unique names), and injects the faults of a real
// network on demand. Contract: ../shared/fixtures/konnect/custom-plugins.openapi.yaml and
// test/konnect/fixtures/plugin-schemas.openapi.yaml.
import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import Ajv2020, { type ValidateFunction } from "ajv/dist/2020";
import addFormats from "ajv-formats";
import { parse } from "yaml";
import { sharedFixture, testFixture } from "../helpers/paths";

type Json = Record<string, unknown>;

/** A fault the next matching request meets. */
export type Fault =
  /** Answer this status without doing anything (Retry-After when given). */
  | { readonly status: 429 | 500 | 502 | 503; readonly retryAfter?: string }
  /** Carry the request out, then close the connection without answering. */
  | { readonly drop: "after-commit" }
  /** Carry the request out, and answer only after this delay. */
  | { readonly delayMs: number };

/** One request as the server saw it. */
export interface SeenRequest {
  readonly method: string;
  readonly path: string;
  readonly status: number | "dropped";
  readonly authorization?: string;
}

const CONTRACTS = [
  { id: "konnect-custom-plugins", file: () => sharedFixture("konnect/custom-plugins.openapi.yaml") },
  { id: "konnect-plugin-schemas", file: () => testFixture("konnect/fixtures/plugin-schemas.openapi.yaml") },
];

interface Operation {
  readonly contract: string;
  readonly doc: Json;
  readonly template: string;
  readonly pattern: RegExp;
  readonly names: readonly string[];
  readonly method: string;
  readonly spec: Json;
  readonly parameters: readonly Json[];
}

// One ajv instance for the whole test process, with both contracts added by id, so `$ref`s
// inside them resolve where they are.
const ajv = new Ajv2020({ allErrors: true, strict: false });
addFormats(ajv);
const operations: Operation[] = [];
for (const contract of CONTRACTS) {
  const doc = parse(readFileSync(contract.file(), "utf8")) as Json;
  ajv.addSchema(doc, contract.id);
  for (const [template, item] of Object.entries(doc.paths as Record<string, Json>)) {
    const names = [...template.matchAll(/\{([^}]+)\}/g)].map((match) => match[1] as string);
    const pattern = new RegExp(`^${template.replace(/\{[^}]+\}/g, "([^/]+)")}$`);
    const shared = ((item.parameters as Json[] | undefined) ?? []).map((parameter) => deref(doc, parameter));
    for (const method of ["get", "post", "put", "delete", "patch"]) {
      const spec = item[method] as Json | undefined;
      if (spec === undefined) continue;
      const own = ((spec.parameters as Json[] | undefined) ?? []).map((parameter) => deref(doc, parameter));
      operations.push({ contract: contract.id, doc, template, pattern, names, method: method.toUpperCase(), spec, parameters: [...shared, ...own] });
    }
  }
}

function deref(doc: Json, node: Json): Json {
  const ref = node.$ref;
  if (typeof ref !== "string") return node;
  return ref.slice(2).split("/").reduce<Json>((at, key) => at[key] as Json, doc);
}

const validators = new Map<string, ValidateFunction>();
function validatorFor(contract: string, schema: Json): ValidateFunction {
  // A `$ref` is resolved inside its own contract; an inline schema has no reference to resolve.
  const resolved = typeof schema.$ref === "string" ? { $ref: `${contract}${schema.$ref}` } : schema;
  const key = JSON.stringify(resolved);
  let validate = validators.get(key);
  if (!validate) {
    validate = ajv.compile(resolved);
    validators.set(key, validate);
  }
  return validate;
}

function schemaErrors(contract: string, schema: Json, value: unknown): string | undefined {
  const validate = validatorFor(contract, schema);
  return validate(value) ? undefined : ajv.errorsText(validate.errors);
}

/** What the contract says is wrong with `body` as the request body of `operationId`; undefined when it is valid. */
export function requestBodyProblems(operationId: string, body: unknown): string | undefined {
  const operation = operations.find((candidate) => candidate.spec.operationId === operationId);
  if (operation === undefined) throw new Error(`no operation ${operationId} in the contracts`);
  const content = ((operation.spec.requestBody as Json).content as Json)["application/json"] as Json;
  return schemaErrors(operation.contract, content.schema as Json, body);
}

/**
 * Answers Konnect gives that its OpenAPI subset does not list: a core entity's unique name taken
 * is 400 `data constraint error` (Kong/gateway-operator controller/konnect/ops/ops_errors.go,
 * `SDKErrorIsConflict`: "APIs that are shared with Kong Admin API return 400 for conflicts").
 */
const DOCUMENTED_ELSEWHERE = new Set(["create-custom-plugin 400", "upsert-custom-plugin 400"]);

/** The stand-in Konnect. Start it with {@link KonnectContractServer.start}; close it in `after`. */
export class KonnectContractServer {
  /** Every request, in order. */
  readonly requests: SeenRequest[] = [];
  /** Every way a request (or an answer of this server) broke the contract. */
  readonly violations: string[] = [];
  /** Custom plugins by id. */
  readonly customPlugins = new Map<string, Json>();
  /** Plugin schemas by name. */
  readonly pluginSchemas = new Map<string, Json>();
  /** How many creates (POSTs) were carried out, answered or not. */
  creates = 0;
  private readonly faults: { method: string; fault: Fault }[] = [];
  private clock = 1_700_000_000;

  private constructor(
    private readonly server: Server,
    /** The token requests must carry. */
    readonly token: string,
  ) {}

  /** Starts a server on 127.0.0.1 on a free port. */
  static async start(token: string): Promise<KonnectContractServer> {
    let instance: KonnectContractServer | undefined;
    const server = createServer((request, response) => void instance?.handle(request, response));
    instance = new KonnectContractServer(server, token);
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    return instance;
  }

  /** The base URL clients use. */
  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  /** The next request with this method meets `fault` (faults queue up in order). */
  inject(method: "GET" | "POST" | "PUT" | "DELETE", fault: Fault): void {
    this.faults.push({ method, fault });
  }

  /** Stops the server and closes every open connection. */
  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks).toString("utf8");
    const method = request.method ?? "";
    const path = (request.url ?? "").split("?")[0] as string;
    const authorization = request.headers.authorization;
    const violationsBefore = this.violations.length;
    const record = (status: number | "dropped") => this.requests.push({ method, path, status, ...(authorization !== undefined ? { authorization } : {}) });

    const operation = operations.find((candidate) => candidate.method === method && candidate.pattern.test(path));
    if (operation === undefined) {
      this.violations.push(`${method} ${path}: no operation of the contract`);
      record(404);
      return send(response, 404, { message: "Not Found" });
    }
    const operationId = String(operation.spec.operationId);
    const params = Object.fromEntries(operation.names.map((name, index) => [name, decodeURIComponent((operation.pattern.exec(path) as RegExpExecArray)[index + 1] as string)]));
    for (const parameter of operation.parameters) {
      const problem = schemaErrors(operation.contract, parameter.schema as Json, params[String(parameter.name)]);
      if (problem) this.violations.push(`${operationId}: path parameter ${String(parameter.name)}: ${problem}`);
    }
    if (authorization === undefined || !authorization.startsWith("Bearer ")) this.violations.push(`${operationId}: no bearer token`);

    let body: unknown;
    const requestBody = operation.spec.requestBody as Json | undefined;
    if (requestBody !== undefined) {
      const content = (requestBody.content as Json)["application/json"] as Json;
      if (!String(request.headers["content-type"] ?? "").startsWith("application/json")) this.violations.push(`${operationId}: Content-Type is not application/json`);
      try {
        body = JSON.parse(raw);
        const problem = schemaErrors(operation.contract, content.schema as Json, body);
        if (problem) this.violations.push(`${operationId}: request body: ${problem}`);
      } catch {
        this.violations.push(`${operationId}: request body is not JSON`);
      }
    } else if (raw !== "") {
      this.violations.push(`${operationId}: a body where the operation takes none`);
    }
    if (this.violations.length > violationsBefore) {
      record(400);
      return send(response, 400, { message: "request does not follow the contract" });
    }
    if (authorization !== `Bearer ${this.token}`) {
      record(401);
      return this.answer(operation, response, 401, operation.contract === "konnect-custom-plugins" ? { message: "Unauthorized", status: 401 } : { message: "Unauthorized" });
    }

    const index = this.faults.findIndex((entry) => entry.method === method);
    const fault = index >= 0 ? this.faults.splice(index, 1)[0]?.fault : undefined;
    if (fault !== undefined && "status" in fault) {
      record(fault.status);
      response.writeHead(fault.status, { "Content-Type": "application/json", ...(fault.retryAfter !== undefined ? { "Retry-After": fault.retryAfter } : {}) });
      return void response.end(JSON.stringify({ message: "injected fault" }));
    }
    const [status, answer] = this.carryOut(operationId, params, body as Json);
    if (fault !== undefined && "drop" in fault) {
      record("dropped");
      return void request.socket.destroy();
    }
    if (fault !== undefined && "delayMs" in fault) await new Promise((resolve) => setTimeout(resolve, fault.delayMs));
    record(status);
    this.answer(operation, response, status, answer);
  }

  /** Sends an answer after checking it against the contract (the server must keep it too). */
  private answer(operation: Operation, response: ServerResponse, status: number, body: unknown): void {
    const operationId = String(operation.spec.operationId);
    const declared = deref(operation.doc, ((operation.spec.responses as Json)[String(status)] as Json | undefined) ?? {});
    if ((operation.spec.responses as Json)[String(status)] === undefined && !DOCUMENTED_ELSEWHERE.has(`${operationId} ${status}`)) {
      this.violations.push(`${operationId}: this server answered ${status}, which the contract does not list`);
    }
    const schema = ((declared.content as Json | undefined)?.["application/json"] as Json | undefined)?.schema as Json | undefined;
    if (schema !== undefined) {
      const problem = schemaErrors(operation.contract, schema, body);
      if (problem) this.violations.push(`${operationId}: this server's ${status} answer: ${problem}`);
    }
    send(response, status, body);
  }

  private carryOut(operationId: string, params: Record<string, string>, body: Json): [number, unknown] {
    this.clock += 1;
    switch (operationId) {
      case "create-custom-plugin": {
        if ([...this.customPlugins.values()].some((plugin) => plugin.name === body.name)) return [400, nameTaken()];
        this.creates += 1;
        const plugin = { ...body, id: randomUUID(), created_at: this.clock, updated_at: this.clock, tags: null };
        this.customPlugins.set(plugin.id, plugin);
        return [201, plugin];
      }
      case "get-custom-plugin": {
        const plugin = this.customPlugin(params.CustomPluginId as string);
        return plugin === undefined ? [404, undefined] : [200, plugin];
      }
      case "upsert-custom-plugin": {
        const current = this.customPlugin(params.CustomPluginId as string);
        if ([...this.customPlugins.values()].some((plugin) => plugin.name === body.name && plugin !== current)) return [400, nameTaken()];
        const plugin: Json = { ...(current ?? { id: randomUUID(), created_at: this.clock, tags: null }), ...body, updated_at: this.clock };
        this.customPlugins.set(String(plugin.id), plugin);
        return [200, plugin];
      }
      case "delete-custom-plugin": {
        const plugin = this.customPlugin(params.CustomPluginId as string);
        if (plugin !== undefined) this.customPlugins.delete(String(plugin.id));
        return [204, undefined];
      }
      case "create-plugin-schemas": {
        const name = schemaName(String(body.lua_schema));
        if (name === undefined) return [400, { message: "lua_schema returns no name" }];
        if (this.pluginSchemas.has(name)) return [409, { message: `plugin schema ${name} already exists` }];
        this.creates += 1;
        const item = { name, lua_schema: body.lua_schema, created_at: this.clock, updated_at: this.clock };
        this.pluginSchemas.set(name, item);
        return [201, { item }];
      }
      case "get-plugin-schema": {
        const item = this.pluginSchemas.get(params.name as string);
        return item === undefined ? [404, { message: "Not found" }] : [200, { item }];
      }
      case "update-plugin-schemas": {
        const name = params.name as string;
        if (schemaName(String(body.lua_schema)) !== name) return [400, { message: "the schema's name differs from the path's" }];
        const current = this.pluginSchemas.get(name);
        if (current === undefined) return [404, { message: "Not found" }];
        const item = { ...current, lua_schema: body.lua_schema, updated_at: this.clock };
        this.pluginSchemas.set(name, item);
        return [200, { item }];
      }
      case "delete-plugin-schemas":
        return this.pluginSchemas.delete(params.name as string) ? [204, undefined] : [404, { message: "Not found" }];
      default:
        throw new Error(`no behaviour for ${operationId}`);
    }
  }

  /** A custom plugin by id or name, as GET and PUT look it up ("using ID or name"). */
  private customPlugin(idOrName: string): Json | undefined {
    return this.customPlugins.get(idOrName) ?? [...this.customPlugins.values()].find((plugin) => plugin.name === idOrName);
  }
}

/** The body Konnect's core entities answer for a unique name taken. */
function nameTaken(): Json {
  return {
    code: 3,
    message: "data constraint error",
    details: [{ "@type": "type.googleapis.com/kong.admin.model.v1.ErrorDetail", type: "ERROR_TYPE_REFERENCE", field: "name", messages: ["name (type: unique) constraint failed"] }],
  };
}

/** The name a schema.lua returns, as Konnect reads it to key the schema (test schemas write `name = "..."`). */
function schemaName(luaSchema: string): string | undefined {
  return /\bname\s*=\s*["']([^"']+)["']/.exec(luaSchema)?.[1];
}

function send(response: ServerResponse, status: number, body: unknown): void {
  if (body === undefined) {
    response.writeHead(status);
    response.end();
    return;
  }
  response.writeHead(status, { "Content-Type": "application/json" });
  response.end(JSON.stringify(body));
}
