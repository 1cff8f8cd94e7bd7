// Konnect's rules, each refused offline in words that say they are Konnect's, before any
// request: the stand-in Konnect sees none. Rules: https://developer.konghq.com/custom-plugins/streaming-plugins/
// (one handler.lua and one schema.lua, no init_worker, no timers, Lua only, the name of schema.lua,
// unique names) and https://developer.konghq.com/custom-plugins/konnect-hybrid-mode/ (schema.lua
// self-contained, no api.lua, daos.lua or migrations).
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { KongPluginsValidationError, type PluginSpec, type ValidationIssue } from "pulumi-kong-plugins";
import { resolveKonnectPluginSpec } from "pulumi-kong-plugins/render";
import { konnectEntityProvider } from "../../components/konnect/provider";
import { KonnectContractServer } from "./contract-server";
import { KonnectEntityKind, TOKEN, handlerLua, konnectSpec, providerInputs, schemaLua, streamedPlugin } from "./konnect-plugins";

let server: KonnectContractServer;
before(async () => {
  server = await KonnectContractServer.start(TOKEN);
});
after(async () => {
  await server.close();
});

/** What a deployment does: resolve offline, then call Konnect. Returns the issues it was refused with. */
async function deploy(kind: KonnectEntityKind, plugin: PluginSpec): Promise<readonly ValidationIssue[]> {
  const before = server.requests.length;
  try {
    const inputs = providerInputs(kind, konnectSpec(plugin, { baseUrl: server.url }));
    await konnectEntityProvider.create(inputs);
    return [];
  } catch (error) {
    if (!(error instanceof KongPluginsValidationError)) throw error;
    assert.equal(server.requests.length, before, "refused before any request");
    return error.issues;
  }
}

const withFiles = (name: string, files: Record<string, string>): PluginSpec => ({ name, version: "1.0.0", source: { files: { "handler.lua": handlerLua(), "schema.lua": schemaLua(name), ...files } } });
const konnectIssues = (issues: readonly ValidationIssue[]) => issues.filter((issue) => issue.message.startsWith("Konnect: ")).map((issue) => [issue.path, issue.message]);

describe("Konnect's rules for streamed custom plugins, refused offline", () => {
  it("a plugin that meets them is sent (the check is not a refusal of everything)", async () => {
    assert.deepEqual(await deploy(KonnectEntityKind.CustomPlugin, streamedPlugin("rules-ok")), []);
    assert.ok(server.requests.length > 0);
  });

  it("an init_worker phase", async () => {
    const handler = 'local H = { PRIORITY = 1, VERSION = "1.0.0" }\nfunction H:init_worker() end\nfunction H:access() end\nreturn H\n';
    assert.deepEqual(konnectIssues(await deploy(KonnectEntityKind.CustomPlugin, withFiles("with-init-worker", { "handler.lua": handler }))), [
      ['plugin.source.files["handler.lua"]', "Konnect: a custom plugin cannot run in the init_worker phase"],
    ]);
  });

  it("ngx.timer.at", async () => {
    const handler = 'local H = { PRIORITY = 1, VERSION = "1.0.0" }\nfunction H:access()\n  ngx.timer.at(0, function() end)\nend\nreturn H\n';
    assert.deepEqual(konnectIssues(await deploy(KonnectEntityKind.CustomPlugin, withFiles("with-timer", { "handler.lua": handler }))), [
      ['plugin.source.files["handler.lua"]', "Konnect: a custom plugin cannot create timers: ngx.timer.at at line 3"],
    ]);
  });

  it("a timer started through Kong's queue (kong.tools.queue)", async () => {
    const handler = 'local Queue = require "kong.tools.queue"\nlocal H = { PRIORITY = 1, VERSION = "1.0.0" }\nfunction H:log(conf)\n  Queue.enqueue({ name = "q" }, function() return true end, conf, {})\nend\nreturn H\n';
    const issues = konnectIssues(await deploy(KonnectEntityKind.CustomPlugin, withFiles("with-queue", { "handler.lua": handler })));
    assert.equal(issues.length, 1, JSON.stringify(issues));
    assert.equal(issues[0]?.[0], 'plugin.source.files["handler.lua"]');
    assert.match(issues[0]?.[1] ?? "", /^Konnect: a custom plugin cannot create timers: kong\.tools\.queue[.:]enqueue at line 4$/);
  });

  it("a third file", async () => {
    assert.deepEqual(konnectIssues(await deploy(KonnectEntityKind.CustomPlugin, withFiles("with-helper", { "helpers.lua": "return {}\n" }))), [
      ['plugin.source.files["helpers.lua"]', "Konnect: a custom plugin has exactly one handler.lua and one schema.lua, and no other files (no DAOs, APIs, migrations or other modules)"],
    ]);
  });

  it("a file that is not Lua", async () => {
    assert.deepEqual(konnectIssues(await deploy(KonnectEntityKind.CustomPlugin, withFiles("with-wasm", { "filter.wasm": "\0asm" }))), [
      ['plugin.source.files["filter.wasm"]', "Konnect: a custom plugin is written in Lua only, in handler.lua and schema.lua"],
    ]);
  });

  it("a name that differs from schema.lua's (Kong's words and Konnect's rule, both)", async () => {
    const issues = await deploy(KonnectEntityKind.CustomPlugin, withFiles("plugin-a", { "schema.lua": schemaLua("plugin-b") }));
    assert.deepEqual(konnectIssues(issues), [
      ['plugin.source.files["schema.lua"]', 'Konnect: the plugin\'s name must be identical to the name in schema.lua ("plugin-b", the plugin is "plugin-a")'],
    ]);
    assert.ok(issues.some((issue) => issue.message.startsWith("returns a name that differs from the plugin's name")), "Kong's own check reports it too");
  });

  it("a require of a module other than Kong's in schema.lua", async () => {
    const schema = `local cjson = require "cjson"\n${schemaLua("with-require")}`;
    assert.deepEqual(konnectIssues(await deploy(KonnectEntityKind.CustomPlugin, withFiles("with-require", { "schema.lua": schema }))), [
      ['plugin.source.files["schema.lua"]', "Konnect: schema.lua may require only Kong's own modules: cjson at line 1"],
    ]);
  });

  it("every broken rule at once", async () => {
    const handler = 'local H = { PRIORITY = 1, VERSION = "1.0.0" }\nfunction H:init_worker()\n  ngx.timer.every(1, function() end)\nend\nreturn H\n';
    const issues = konnectIssues(await deploy(KonnectEntityKind.CustomPlugin, withFiles("all-broken", { "handler.lua": handler, "api.lua": "return {}\n" })));
    assert.equal(issues.length, 3, JSON.stringify(issues));
  });
});

describe("Konnect's rules for schemas on hybrid control planes", () => {
  it("let other modules and timers be (the data planes run the files), refuse api.lua, daos.lua and migrations, and check schema.lua", async () => {
    const handler = 'local H = { PRIORITY = 1, VERSION = "1.0.0" }\nfunction H:init_worker() ngx.timer.at(0, function() end) end\nfunction H:access() end\nreturn H\n';
    assert.deepEqual(await deploy(KonnectEntityKind.PluginSchema, withFiles("hybrid-ok", { "handler.lua": handler, "helpers.lua": "return {}\n" })), []);
    const schema = `local cjson = require "cjson"\n${schemaLua("hybrid-bad")}`;
    assert.deepEqual(konnectIssues(await deploy(KonnectEntityKind.PluginSchema, withFiles("hybrid-bad", { "schema.lua": schema, "api.lua": "return {}\n" }))), [
      ['plugin.source.files["api.lua"]', "Konnect: a hybrid control plane supports no Admin API extensions (api.lua), custom entities (daos.lua) or migrations"],
      ['plugin.source.files["schema.lua"]', "Konnect: schema.lua may require only Kong's own modules: cjson at line 1"],
    ]);
  });
});

describe("the Konnect target, checked offline", () => {
  it("names each bad field at once", () => {
    assert.throws(
      () => resolveKonnectPluginSpec({ plugin: streamedPlugin(), controlPlaneId: "cp-1", baseUrl: "http://api.example.com", region: "mars" as never, existing: "a/b" }, KonnectEntityKind.CustomPlugin),
      (error: KongPluginsValidationError) => {
        assert.deepEqual(error.issues.map((issue) => issue.path), ["controlPlaneId", "baseUrl", "region", "baseUrl", "existing"]);
        return true;
      },
    );
  });

  it("takes a region, a base URL or the default us region", () => {
    const target = (extra: object) => resolveKonnectPluginSpec({ plugin: streamedPlugin(), controlPlaneId: "9524EC7D-36D9-465D-A8C5-83A3C9390458", ...extra }, KonnectEntityKind.CustomPlugin).target;
    assert.deepEqual(target({}), { baseUrl: "https://us.api.konghq.com", controlPlaneId: "9524ec7d-36d9-465d-a8c5-83a3c9390458" });
    assert.equal(target({ region: "eu" }).baseUrl, "https://eu.api.konghq.com");
    assert.equal(target({ baseUrl: "https://konnect.internal.example/api/" }).baseUrl, "https://konnect.internal.example/api");
    assert.equal(target({ baseUrl: "http://127.0.0.1:8080" }).baseUrl, "http://127.0.0.1:8080");
  });
});
