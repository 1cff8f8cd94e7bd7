import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { checkGateway, luaSearchTemplates, resolvePlugin, resolvePluginInstance } from "pulumi-kong-plugins/render";
import { DatabaseMode, KongPluginsValidationError, PluginDelivery, type GatewaySpec, type PluginInstanceSpec, type ValidationIssue } from "pulumi-kong-plugins";
import { testFixture } from "../helpers/paths";
import { rateLimitExample } from "../../examples/quickstart/rate-limit-example";

const rateLimit = resolvePlugin(rateLimitExample());
const dbPlugin = resolvePlugin({ name: "db-plugin", version: "1.0.0", source: { directory: testFixture("plugin/fixtures/db-plugin") } });
const instance = (spec: Partial<PluginInstanceSpec> & { name: string }) => resolvePluginInstance({ plugin: "rate-limit-example", config: { limit: 5 }, ...spec });

const base: GatewaySpec = {
  plugins: [rateLimit],
  delivery: PluginDelivery.Mount,
  instances: [instance({ name: "limit", service: "orders" })],
  services: [{ name: "orders", url: "http://orders:8080", routes: [{ name: "orders-api", paths: ["/orders"] }] }],
  consumers: [{ username: "alice" }],
};

function issues(gateway: Partial<GatewaySpec>): ValidationIssue[] {
  try {
    checkGateway({ ...base, ...gateway });
  } catch (error) {
    assert.ok(error instanceof KongPluginsValidationError, String(error));
    return [...error.issues];
  }
  return [];
}

describe("checkGateway (the preflight of Kong's startup failures)", () => {
  it("passes a consistent gateway", () => {
    assert.deepEqual(issues({}), []);
  });

  it("refuses two secrets that would reach Kong through one variable, naming both", () => {
    const found = issues({
      instances: [
        instance({ name: "auth", service: "orders", secretConfig: { v2_token: "first" } }),
        instance({ name: "auth-v2", route: "orders-api", secretConfig: { token: "second" } }),
        instance({ name: "other", consumer: "alice", secretConfig: { token: "third" } }),
      ],
    });
    assert.deepEqual(found.map((i) => i.path), ["instances[1].secretConfig.token"]);
    assert.match(found[0]?.message ?? "", /^reaches Kong as AUTH_V2_TOKEN, the variable of auth\.secretConfig\.v2_token too/);
    assert.ok(!JSON.stringify(found).includes("first") && !JSON.stringify(found).includes("second"), "no secret value in the report");
  });

  it("reports a plugin used but missing from KONG_PLUGINS in Kong's words: the plugins entity's DB-less, the loader's on a database", () => {
    // kong/db/schema/entities/plugins.lua subschema_error; kong/db/dao/plugins.lua check_db_against_config.
    const dbless = issues({ plugins: [] });
    assert.deepEqual(dbless.map((i) => i.path), ["instances[0].plugin"]);
    assert.match(dbless[0]?.message ?? "", /^plugin 'rate-limit-example' not enabled; add it to the 'plugins' configuration property: limit configures it/);
    assert.equal(dbless[0]?.received, "bundled");
    const database = issues({ plugins: [], database: DatabaseMode.Postgres });
    assert.match(database.find((i) => i.path === "instances[0].plugin")?.message ?? "", /^rate-limit-example plugin is in use but not enabled: limit configures it/);
  });

  it("reports a bundled plugin used while bundled plugins are left out", () => {
    const found = issues({ includeBundled: false, instances: [instance({ name: "auth", plugin: "key-auth", config: {} })] });
    assert.deepEqual(found.map((i) => [i.path, i.message.slice(0, 26)]), [["instances[0].plugin", "plugin 'key-auth' not enab"]]);
  });

  it("searches Kong's default Lua path after KONG_LUA_PACKAGE_PATH even without `;;`, as Kong's nginx template appends it", () => {
    // kong/templates/nginx_kong.lua: lua_package_path '${{LUA_PACKAGE_PATH}};;'
    const baked = { ...base, delivery: PluginDelivery.Image, image: { name: "r/kong:1", kongPlugins: "bundled,rate-limit-example", luaRoot: "/usr/local/share/lua/5.1" } };
    assert.deepEqual(issues({ ...baked, kongEnv: { KONG_LUA_PACKAGE_PATH: "/opt/custom/?.lua" } }), []);
    assert.deepEqual(luaSearchTemplates("/opt/custom/?.lua").slice(0, 2), ["/opt/custom/?.lua", "./?.lua"]);
  });

  it('reports a plugin whose handler is not on the Lua path as "plugin is enabled but not installed"', () => {
    // The source document's mistake: a path on which the mounted plugin is not.
    const found = issues({ kongEnv: { KONG_LUA_PACKAGE_PATH: "/usr/local/kong/?.lua;;" } });
    assert.deepEqual(found.map((i) => i.path), ["plugins[0]"]);
    assert.match(found[0]?.message ?? "", /^rate-limit-example plugin is enabled but not installed: kong\.plugins\.rate-limit-example\.handler is not on the Lua path/);
    assert.match(found[0]?.expected ?? "", /\/opt\/\?\.lua;;/);
  });

  it('reports a plugin without schema.lua as "no configuration schema found for plugin"', () => {
    const schemaless = { ...rateLimit, files: rateLimit.files.filter((file) => file.path !== "schema.lua") };
    const found = issues({ plugins: [schemaless] });
    assert.deepEqual(found.map((i) => i.path), ["plugins[0]"]);
    assert.match(found[0]?.message ?? "", /^no configuration schema found for plugin: rate-limit-example/);
  });

  it("accepts a plugin with DAO entities DB-less, as Kong does (its entities are declared in kong.yaml), and on PostgreSQL", () => {
    assert.deepEqual(issues({ plugins: [rateLimit, dbPlugin] }), []);
    assert.deepEqual(issues({ plugins: [rateLimit, dbPlugin], database: DatabaseMode.Postgres }), []);
  });

  it("reports instances that name unknown services, routes or consumers", () => {
    const found = issues({ instances: [instance({ name: "a", service: "ordrs" }), instance({ name: "b", route: "nope" }), instance({ name: "c", consumer: "bob" })] });
    assert.deepEqual(found.map((i) => [i.path, i.received]), [
      ["instances[0].service", "ordrs"],
      ["instances[1].route", "nope"],
      ["instances[2].consumer", "bob"],
    ]);
  });

  it("reports duplicate names, and two instances of one plugin on one scope", () => {
    const found = issues({
      services: [
        { name: "orders", url: "http://orders:8080", routes: [{ name: "api", paths: ["/a"] }] },
        { name: "orders", url: "http://orders2:8080", routes: [{ name: "api", paths: ["/b"] }] },
      ],
      consumers: [{ username: "alice" }, { username: "alice" }],
      instances: [instance({ name: "limit", service: "orders" }), instance({ name: "limit", service: "orders" })],
    });
    assert.deepEqual(found.map((i) => i.path), ["services[1].name", "services[1].routes[0].name", "consumers[1].username", "instances[1].name", "instances[1]"]);
  });

  it("reports routes Kong could not match, and routes of unknown services", () => {
    const found = issues({ routes: [{ name: "loose", service: "missing" }, { name: "bad-path", service: "orders", paths: ["orders"] }] });
    assert.deepEqual(found.map((i) => i.path), ["routes[0].service", "routes[0]", "routes[1].paths[0]"]);
  });

  it("reports every problem at once", () => {
    const found = issues({ plugins: [dbPlugin], instances: [instance({ name: "x", service: "none" })], kongEnv: { KONG_PLUGINS: "bundled" } });
    assert.deepEqual(found.map((i) => i.path).sort(), ["instances[0].plugin", "instances[0].service", "kongEnv.KONG_PLUGINS"]);
  });
});
