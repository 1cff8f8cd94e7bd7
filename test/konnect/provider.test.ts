// The provider against a stand-in Konnect that enforces the OpenAPI contract and injects the
// faults of a real network: it converges with exactly one plugin every time, never repeats a
// create whose response was lost, and never breaks the contract.
import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, it } from "node:test";
import * as pulumi from "@pulumi/pulumi";
import { tempDir } from "../helpers/paths";
import { konnectEntityProvider, type KonnectEntityOutputs } from "../../components/konnect/provider";
import { KonnectApiError } from "../../components/konnect/api-errors";
import { KonnectUnavailableError } from "../../components/konnect/client";
import { KonnectContractServer, type Fault } from "./contract-server";
import { KonnectEntityKind, TOKEN, handlerLua, konnectSpec, providerInputs, schemaLua, streamedPlugin } from "./konnect-plugins";

let server: KonnectContractServer;
beforeEach(async () => {
  server = await KonnectContractServer.start(TOKEN);
});
afterEach(async () => {
  assert.deepEqual(server.violations, [], "the client kept Konnect's contract");
  await server.close();
});

const plugin = (name = "streaming-headers", handler = handlerLua()) => ({ ...streamedPlugin(name), source: { files: { "handler.lua": handler, "schema.lua": schemaLua(name) } } });
const customInputs = (name?: string, handler?: string, extra = {}) => providerInputs(KonnectEntityKind.CustomPlugin, konnectSpec(plugin(name, handler), { baseUrl: server.url, ...extra }));
const schemaInputs = (name?: string, extra = {}) => providerInputs(KonnectEntityKind.PluginSchema, konnectSpec(plugin(name), { baseUrl: server.url, ...extra }));

/** The one custom plugin the server holds, failing when there is not exactly one. */
function onlyPlugin(): Record<string, unknown> {
  assert.equal(server.customPlugins.size, 1, `exactly one plugin, found ${[...server.customPlugins.values()].map((p) => p.name).join(", ")}`);
  return [...server.customPlugins.values()][0] as Record<string, unknown>;
}

describe("Konnect custom plugins: create, read, update, delete", () => {
  it("creates the plugin with its two files, once, and keeps its id and content digest", async () => {
    const inputs = customInputs();
    const created = await konnectEntityProvider.create(inputs);
    const stored = onlyPlugin();
    assert.deepEqual([stored.name, stored.handler, stored.schema], [inputs.name, handlerLua(), schemaLua(inputs.name)]);
    assert.equal(created.id, stored.id);
    assert.equal((created.outs as KonnectEntityOutputs).digest, inputs.digest);
    assert.equal((created.outs as KonnectEntityOutputs).adoption, "created");
    assert.deepEqual(server.requests.map((r) => `${r.method} ${r.status}`), ["POST 201"]);
    assert.ok(server.requests.every((r) => r.authorization === `Bearer ${TOKEN}`));
  });

  it("sends no update when nothing but Konnect's own fields differ, and a PUT when the text changes", async () => {
    const inputs = customInputs();
    const created = await konnectEntityProvider.create(inputs);
    const refreshed = await konnectEntityProvider.read(created.id, created.outs as KonnectEntityOutputs);
    assert.equal(refreshed.id, created.id);
    assert.deepEqual(await konnectEntityProvider.diff(created.id, refreshed.props as KonnectEntityOutputs, customInputs()), { changes: false });

    const changed = customInputs(undefined, handlerLua("1.1.0"));
    assert.deepEqual(await konnectEntityProvider.diff(created.id, created.outs as KonnectEntityOutputs, changed), { changes: true });
    const updated = await konnectEntityProvider.update(created.id, created.outs as KonnectEntityOutputs, changed);
    assert.equal(onlyPlugin().handler, handlerLua("1.1.0"));
    assert.equal((updated.outs as KonnectEntityOutputs).digest, changed.digest);
    assert.deepEqual(server.requests.map((r) => r.method), ["POST", "GET", "PUT"]);
  });

  it("detects a plugin edited in Konnect at refresh, and puts it back", async () => {
    const inputs = customInputs();
    const created = await konnectEntityProvider.create(inputs);
    onlyPlugin().handler = "return {}";
    const refreshed = await konnectEntityProvider.read(created.id, created.outs as KonnectEntityOutputs);
    assert.deepEqual(await konnectEntityProvider.diff(created.id, refreshed.props as KonnectEntityOutputs, inputs), { changes: true });
    await konnectEntityProvider.update(created.id, refreshed.props as KonnectEntityOutputs, inputs);
    assert.equal(onlyPlugin().handler, handlerLua());
  });

  it("replaces the plugin when it moves to another control plane or is renamed", async () => {
    const inputs = customInputs();
    const created = await konnectEntityProvider.create(inputs);
    const renamed = customInputs("streaming-headers-2");
    assert.deepEqual(await konnectEntityProvider.diff(created.id, created.outs as KonnectEntityOutputs, renamed), { changes: true, replaces: ["name"], deleteBeforeReplace: false });
  });

  it("deletes the plugin; a plugin already gone is no error; a read then finds nothing", async () => {
    const created = await konnectEntityProvider.create(customInputs());
    await konnectEntityProvider.delete(created.id, created.outs as KonnectEntityOutputs);
    assert.equal(server.customPlugins.size, 0);
    await konnectEntityProvider.delete(created.id, created.outs as KonnectEntityOutputs);
    assert.deepEqual(await konnectEntityProvider.read(created.id, created.outs as KonnectEntityOutputs), { id: "", props: {} });
  });

  it("takes over a plugin whose name Konnect says exists, instead of making a duplicate", async () => {
    const first = await konnectEntityProvider.create(customInputs(undefined, handlerLua("0.9.0")));
    const adopted = await konnectEntityProvider.create(customInputs());
    assert.equal(adopted.id, first.id);
    assert.equal((adopted.outs as KonnectEntityOutputs).adoption, "adopted");
    assert.equal(onlyPlugin().handler, handlerLua(), "its content is now this plugin's");
    assert.deepEqual(server.requests.map((r) => `${r.method} ${r.status}`), ["POST 201", "POST 400", "GET 200", "PUT 200"]);
  });

  it("imports an existing plugin named by id or by name, and fails clearly when there is none", async () => {
    const first = await konnectEntityProvider.create(customInputs(undefined, handlerLua("0.9.0")));
    for (const existing of [first.id, "streaming-headers"]) {
      const imported = await konnectEntityProvider.create(customInputs(undefined, undefined, { existing }));
      assert.equal(imported.id, first.id);
      assert.equal(onlyPlugin().handler, handlerLua());
    }
    await assert.rejects(konnectEntityProvider.create(customInputs(undefined, undefined, { existing: "no-such-plugin" })), (error: KonnectApiError) => {
      assert.equal(error.issues[0]?.path, "existing");
      return true;
    });
  });
});

describe("Konnect custom plugins through faults: exactly one plugin every time", () => {
  const faults: [string, "POST" | "GET" | "PUT" | "DELETE", Fault[]][] = [
    ["429 with Retry-After: 0 on create", "POST", [{ status: 429, retryAfter: "0" }]],
    ["429 with Retry-After: 1 on create", "POST", [{ status: 429, retryAfter: "1" }]],
    ["429 with a Retry-After date on create", "POST", [{ status: 429, retryAfter: new Date(0).toUTCString() }]],
    ["500 on create", "POST", [{ status: 500 }]],
    ["503 twice on create", "POST", [{ status: 503 }, { status: 503 }]],
    ["a dropped connection after the create was committed", "POST", [{ drop: "after-commit" }]],
    ["a create answered after the client's timeout", "POST", [{ delayMs: 1_000 }]],
    ["a dropped connection, then a 503 on the lookup", "POST", [{ drop: "after-commit" }]],
  ];
  for (const [title, method, injected] of faults) {
    it(title, async () => {
      for (const fault of injected) server.inject(method, fault);
      if (title.includes("lookup")) server.inject("GET", { status: 503 });
      const inputs = customInputs();
      const created = await konnectEntityProvider.create(inputs);
      assert.equal(onlyPlugin().id, created.id);
      assert.equal((created.outs as KonnectEntityOutputs).digest, inputs.digest);
      assert.equal(server.creates, 1, "one create was carried out");
    });
  }

  it("reads, updates and deletes through 503s, 429s, slow answers and dropped connections", async () => {
    const created = await konnectEntityProvider.create(customInputs());
    server.inject("GET", { status: 503 });
    server.inject("GET", { delayMs: 1_000 });
    assert.equal((await konnectEntityProvider.read(created.id, created.outs as KonnectEntityOutputs)).id, created.id);
    server.inject("PUT", { drop: "after-commit" });
    server.inject("PUT", { status: 429, retryAfter: "0" });
    const changed = customInputs(undefined, handlerLua("2.0.0"));
    await konnectEntityProvider.update(created.id, created.outs as KonnectEntityOutputs, changed);
    assert.equal(onlyPlugin().handler, handlerLua("2.0.0"));
    server.inject("DELETE", { status: 500 });
    server.inject("DELETE", { drop: "after-commit" });
    await konnectEntityProvider.delete(created.id, created.outs as KonnectEntityOutputs);
    assert.equal(server.customPlugins.size, 0);
  });

  it("gives up within the operation's time with a clear error when Konnect stays unavailable", async () => {
    const created = await konnectEntityProvider.create(customInputs());
    for (let i = 0; i < 200; i += 1) server.inject("GET", { status: 503 });
    const outs = { ...(created.outs as KonnectEntityOutputs), retry: { requestTimeoutMs: 400, totalTimeoutMs: 300, initialBackoffMs: 20, maxBackoffMs: 40 } };
    await assert.rejects(konnectEntityProvider.read(created.id, outs), (error: Error) => {
      assert.ok(error instanceof KonnectUnavailableError);
      assert.match(error.message, /Konnect did not complete GET \/v2\/control-planes\/.*\/custom-plugins\/.* within 0.3 s( \(last: (HTTP 503|the request timed out)\))?$/);
      return true;
    });
  });
});

describe("Konnect's errors", () => {
  it("name the input the field comes from, and never show the token", async () => {
    const other = await konnectEntityProvider.create(customInputs("other-plugin"));
    const mine = await konnectEntityProvider.create(customInputs());
    // Renaming onto a name another plugin holds: Konnect answers its unique-constraint error on `name`.
    await assert.rejects(konnectEntityProvider.update(mine.id, { ...(mine.outs as KonnectEntityOutputs), digest: "sha256:old" }, customInputs("other-plugin")), (error: KonnectApiError) => {
      assert.ok(error instanceof KonnectApiError);
      assert.deepEqual(error.issues.map((issue) => [issue.path, issue.message]), [["plugin.name", "name (type: unique) constraint failed"]]);
      assert.match(error.message, /^Konnect refused PUT \/v2\/control-planes\/.*\/custom-plugins\/.* \(HTTP 400\):\n {2}- plugin\.name: name \(type: unique\) constraint failed$/);
      return true;
    });
    assert.equal(server.customPlugins.size, 2, `${String(other.id)} is untouched`);
  });

  it("say Konnect refused the token, without it", async () => {
    const wrong = "kpat_wrongTokenValue0000000000000000000000";
    await assert.rejects(konnectEntityProvider.create({ ...customInputs(), token: wrong }), (error: KonnectApiError) => {
      assert.equal(error.status, 401);
      assert.match(error.message, /HTTP 401\):\n {2}- \(request\): Unauthorized/);
      assert.ok(!error.message.includes(wrong) && !JSON.stringify(error.issues).includes(wrong));
      return true;
    });
  });
});

describe("Konnect plugin schemas (hybrid control planes)", () => {
  it("uploads schema.lua only, keyed by the plugin's name; updates on change; deletes", async () => {
    const inputs = schemaInputs();
    const created = await konnectEntityProvider.create(inputs);
    assert.equal(created.id, "streaming-headers");
    assert.deepEqual([...server.pluginSchemas.keys()], ["streaming-headers"]);
    assert.equal(server.pluginSchemas.get("streaming-headers")?.lua_schema, schemaLua("streaming-headers"));
    assert.equal(server.customPlugins.size, 0, "no handler goes to a hybrid control plane");
    const refreshed = await konnectEntityProvider.read(created.id, created.outs as KonnectEntityOutputs);
    assert.deepEqual(await konnectEntityProvider.diff(created.id, refreshed.props as KonnectEntityOutputs, inputs), { changes: false });
    await konnectEntityProvider.delete(created.id, created.outs as KonnectEntityOutputs);
    assert.equal(server.pluginSchemas.size, 0);
    await konnectEntityProvider.delete(created.id, created.outs as KonnectEntityOutputs);
  });

  it("takes over a schema Konnect already has (409) and converges through faults", async () => {
    server.pluginSchemas.set("streaming-headers", { name: "streaming-headers", lua_schema: 'return { name = "streaming-headers", fields = {} }', created_at: 1, updated_at: 1 });
    server.inject("POST", { status: 429, retryAfter: "0" });
    server.inject("GET", { status: 502 });
    server.inject("PUT", { drop: "after-commit" });
    const created = await konnectEntityProvider.create(schemaInputs());
    assert.equal((created.outs as KonnectEntityOutputs).adoption, "adopted");
    assert.deepEqual([...server.pluginSchemas.keys()], ["streaming-headers"]);
    assert.equal(server.pluginSchemas.get("streaming-headers")?.lua_schema, schemaLua("streaming-headers"));
  });

  it("creates exactly one schema when the create's answer is lost", async () => {
    server.inject("POST", { drop: "after-commit" });
    await konnectEntityProvider.create(schemaInputs());
    assert.equal(server.pluginSchemas.size, 1);
    assert.equal(server.requests.filter((r) => r.method === "POST").length, 1, "no second POST after the lookup found it");
  });
});

describe("the stand-in Konnect holds clients to the contract", () => {
  it("records a request the OpenAPI does not allow: an unknown property, a missing field, a wrong path, no token", async () => {
    const base = `${server.url}/v2/control-planes/9524ec7d-36d9-465d-a8c5-83a3c9390458/core-entities`;
    const json = { "Content-Type": "application/json", Authorization: `Bearer ${TOKEN}` };
    const answers = [
      await fetch(`${base}/custom-plugins`, { method: "POST", headers: json, body: JSON.stringify({ name: "x", handler: "", schema: "", config: {} }) }),
      await fetch(`${base}/custom-plugins`, { method: "POST", headers: json, body: JSON.stringify({ name: "x", handler: "" }) }),
      await fetch(`${base}/plugin-schemas`, { method: "POST", headers: json, body: JSON.stringify({ lua_schema: 42 }) }),
      await fetch(`${server.url}/v2/control-planes/not-a-uuid/core-entities/custom-plugins/x`, { headers: json }),
      await fetch(`${base}/custom-plugin`, { method: "POST", headers: json, body: "{}" }),
      await fetch(`${base}/custom-plugins/x`, { method: "GET" }),
    ];
    assert.deepEqual(answers.map((answer) => answer.status), [400, 400, 400, 400, 404, 400]);
    const found = server.violations.splice(0);
    assert.equal(found.length, 6, found.join("\n"));
    assert.match(found[0] as string, /create-custom-plugin: request body: .*must NOT have additional properties/);
    assert.match(found[1] as string, /must have required property 'schema'/);
    assert.match(found[2] as string, /create-plugin-schemas: request body: data\/lua_schema must be string/);
    assert.match(found[3] as string, /get-custom-plugin: path parameter controlPlaneId: data must match format "uuid"/);
    assert.match(found[4] as string, /no operation of the contract/);
    assert.match(found[5] as string, /get-custom-plugin: no bearer token/);
  });
});

describe("the provider as Pulumi's dynamic provider host runs it", () => {
  it("serialized with its closure and loaded from that text alone, it creates, updates and deletes the plugin", async () => {
    // What dynamic.Resource stores as `__provider`, and what the host loads with require-from-string.
    const serialized = await pulumi.runtime.serializeFunction(() => konnectEntityProvider, { allowSecrets: true });
    const file = join(tempDir("konnect-provider-"), "provider.js");
    writeFileSync(file, serialized.text);
    const loaded = (require(file) as { handler: () => typeof konnectEntityProvider }).handler();
    const created = await loaded.create(customInputs());
    assert.equal(onlyPlugin().id, created.id);
    await loaded.update(created.id, created.outs as KonnectEntityOutputs, customInputs(undefined, handlerLua("3.0.0")));
    assert.equal(onlyPlugin().handler, handlerLua("3.0.0"));
    await loaded.delete(created.id, created.outs as KonnectEntityOutputs);
    assert.equal(server.customPlugins.size, 0);
    assert.ok(!serialized.text.includes(TOKEN), "the provider's code holds no token");
  });
});
