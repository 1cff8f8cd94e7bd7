import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { issuesOf as issuesOfAction } from "../helpers/tree";
import { PluginType, type PluginSpec, type ValidationIssue } from "pulumi-kong-plugins";
import { konnectRuleIssues, resolvePlugin } from "pulumi-kong-plugins/render";
import { examplePluginDir, testFixture } from "../helpers/paths";
import { openedSandboxCount } from "../../components/lua/runtime";

const HANDLER = 'local H = { PRIORITY = 100, VERSION = "1.0.0" }\nfunction H:access(conf) end\nreturn H\n';
const schemaFor = (name: string) => `return { name = "${name}", fields = { { config = { type = "record", fields = {} } } } }\n`;

function inline(name: string, files: Record<string, string>, extra: Partial<PluginSpec> = {}): PluginSpec {
  return { name, version: "1.0.0", source: { files }, ...extra };
}

/** The issues resolvePlugin refuses `spec` with (none when it accepts it). */
function issuesOf(spec: PluginSpec): ValidationIssue[] {
  return issuesOfAction(() => resolvePlugin(spec));
}

describe("resolvePlugin", () => {
  it("accepts the example plugin and reports what it found", () => {
    const plugin = resolvePlugin({ name: "rate-limit-example", version: "1.0.0", source: { directory: examplePluginDir } });
    assert.deepEqual(plugin.files.map((f) => f.path), ["handler.lua", "schema.lua"]);
    assert.deepEqual(plugin.phases, ["access", "header_filter"]);
    assert.equal(plugin.priority, 901);
    assert.equal(plugin.type, PluginType.Http);
    assert.equal(plugin.requiresDatabase, false);
    assert.match(plugin.digest, /^sha256:[0-9a-f]{64}$/);
  });

  it("reads a repository root that holds kong/plugins/<name>/", () => {
    const plugin = resolvePlugin({ name: "db-plugin", version: "1.0.0", source: { directory: testFixture("plugin/fixtures/db-plugin") } });
    assert.equal(plugin.requiresDatabase, true, "daos.lua defines entities");
    assert.deepEqual([plugin.facts.daoEntities, plugin.facts.migrations], [["db_plugin_keys"], ["000_base_db_plugin"]]);
    assert.deepEqual(plugin.files.map((f) => f.path), ["daos.lua", "handler.lua", "migrations/000_base_db_plugin.lua", "migrations/init.lua", "schema.lua"]);
  });

  it("reports a missing handler.lua in Kong's words", () => {
    const [issue, ...rest] = issuesOf(inline("no-handler", { "schema.lua": schemaFor("no-handler") }));
    assert.deepEqual(rest, []);
    assert.equal(issue?.path, 'source.files["handler.lua"]');
    assert.match(issue?.message ?? "", /no-handler plugin is enabled but not installed/);
  });

  it("reports a missing schema.lua in Kong's words", () => {
    const issues = issuesOf(inline("no-schema", { "handler.lua": HANDLER }));
    assert.deepEqual(issues.map((i) => i.path), ['source.files["schema.lua"]']);
    assert.match(issues[0]?.message ?? "", /^no configuration schema found for plugin: no-schema/);
  });

  it("reports a schema.lua whose name differs from the plugin's", () => {
    const issues = issuesOf(inline("right-name", { "handler.lua": HANDLER, "schema.lua": schemaFor("wrong-name") }));
    assert.equal(issues.length, 1);
    assert.equal(issues[0]?.path, 'source.files["schema.lua"]');
    assert.equal(issues[0]?.received, "wrong-name");
  });

  for (const [name, message] of [
    ["../etc", /path separators/],
    ["a..b", /'\.\.'/],
    ["my plugin", /spaces/],
    ["MyPlugin", /lower case/],
    ["dotted.name", /not a valid plugin name/],
    ["", /non-empty/],
    ["rate-limiting", /bundled with Kong Gateway/],
    ["openid-connect", /bundled with Kong Gateway/],
    ["bundled", /bundled with Kong Gateway/],
  ] as const) {
    it(`rejects the plugin name ${JSON.stringify(name)}`, () => {
      const issues = issuesOf(inline(name, { "handler.lua": HANDLER, "schema.lua": schemaFor(name) })).filter((i) => i.path === "name");
      assert.equal(issues.length, 1);
      assert.match(issues[0]?.message ?? "", message);
    });
  }

  for (const version of ["v1.0.0", "1.0.0-beta.1", "latest", "1..0"]) {
    it(`rejects the version ${version}, which LuaRocks cannot read`, () => {
      const issues = issuesOf(inline("versioned", { "handler.lua": HANDLER, "schema.lua": schemaFor("versioned") }, { version }));
      assert.ok(issues.some((i) => i.path === "version"), JSON.stringify(issues));
    });
  }

  it("takes the version from handler.lua's VERSION as Kong reads it, and accepts Kong's short forms", () => {
    const { version: _omitted, ...noVersion } = inline("short", { "handler.lua": HANDLER.replace('"1.0.0"', '"0.1"'), "schema.lua": schemaFor("short") });
    assert.equal(resolvePlugin(noVersion).version, "0.1");
    assert.equal(resolvePlugin(inline("short", { "handler.lua": HANDLER.replace('"1.0.0"', '"0.1"'), "schema.lua": schemaFor("short") }, { version: "0.1" })).version, "0.1");
  });

  it("derives the subsystems from the phases Kong calls and the schema's protocols", () => {
    assert.deepEqual(resolvePlugin(inline("http-only", { "handler.lua": HANDLER, "schema.lua": schemaFor("http-only") })).subsystems, [PluginType.Http, PluginType.Stream].filter((type) => type === PluginType.Http));
    const stream = resolvePlugin({ name: "stream-plugin", source: { directory: testFixture("plugin/fixtures/stream-plugin") } });
    assert.deepEqual([stream.subsystems, stream.type, stream.version], [[PluginType.Stream], PluginType.Stream, "2.0.0"]);
  });

  it("makes the checks Kong's plugin loader makes: PRIORITY, VERSION, response with header_filter", () => {
    const handler = "local H = {}\nfunction H:response() end\nfunction H:header_filter() end\nreturn H\n";
    const messages = issuesOf(inline("loader", { "handler.lua": handler, "schema.lua": schemaFor("loader") })).map((i) => i.message);
    assert.deepEqual(messages, [
      'Plugin "loader" cannot be loaded because its PRIORITY field is not a valid integer number, got: "nil".',
      'Plugin "loader" cannot be loaded because its VERSION field does not follow the "x.y.z" format, got: "nil".',
      "Plugin \"loader\" can't be loaded because it implements both `response` and `header_filter` or `body_filter` methods.",
    ]);
  });

  it("accepts a plugin version that differs from handler.lua's VERSION (Kong reads only VERSION)", () => {
    assert.equal(resolvePlugin(inline("drift", { "handler.lua": HANDLER, "schema.lua": schemaFor("drift") }, { version: "1.1.0" })).version, "1.1.0");
  });

  it("reports kong.plugins.base_plugin, which Kong 3 removed", () => {
    const issues = issuesOf({ name: "legacy-plugin", version: "1.0.0", source: { directory: testFixture("plugin/fixtures/legacy-plugin") } });
    assert.ok(issues.some((i) => /base_plugin.*Kong 3\.0 removed/.test(i.message)), JSON.stringify(issues));
  });

  it("accepts migrations/ holding helper modules without init.lua: Kong then finds no migrations", () => {
    const plugin = resolvePlugin(inline("migrating", { "handler.lua": HANDLER, "schema.lua": schemaFor("migrating"), "migrations/helpers.lua": "return {}\n" }));
    assert.deepEqual(plugin.facts.migrations, []);
  });

  it("reports Lua syntax errors with their location", () => {
    const issues = issuesOf(inline("broken", { "handler.lua": HANDLER, "schema.lua": "return { name = \n" }));
    assert.deepEqual(issues.map((i) => i.path), ['source.files["schema.lua"]']);
    assert.match(issues[0]?.message ?? "", /^Lua syntax error: schema\.lua:2:1 /);
  });

  it("checks the config schema against the JSON Schema meta-schema", () => {
    const issues = issuesOf(inline("schemed", { "handler.lua": HANDLER, "schema.lua": schemaFor("schemed") }, { configSchema: { type: "object", properties: { limit: { type: "integr" } } } }));
    assert.ok(issues.length > 0 && issues.every((i) => i.path.startsWith("configSchema")), JSON.stringify(issues));
  });

  it("reports every problem at once", () => {
    const issues = issuesOf({ name: "Bad Name", version: "one", source: { files: { "handler.lua": HANDLER, "../escape.lua": "" } }, rockspec: { homepage: "not a url" } });
    assert.deepEqual(issues.map((i) => i.path).sort(), ["name", "rockspec.homepage", 'source.files["../escape.lua"]', "version"].sort());
  });

  it("rejects a source with both a directory and inline files, or neither", () => {
    assert.deepEqual(issuesOf({ name: "x-plugin", version: "1.0.0", source: {} }).map((i) => [i.path, i.received]), [["source", "neither"]]);
    assert.deepEqual(issuesOf({ name: "x-plugin", version: "1.0.0", source: { directory: examplePluginDir, files: {} } }).map((i) => [i.path, i.received]), [["source", "both"]]);
  });
});

describe("plugins the sandbox cannot load", () => {
  it("are read by static analysis instead, and say so", () => {
    const handler = 'local ffi = require "ffi"\nlocal H = { PRIORITY = 10, VERSION = "1.2.0" }\nfunction H:access() end\nreturn H\n';
    const plugin = resolvePlugin(inline("ffi-user", { "handler.lua": handler, "schema.lua": schemaFor("ffi-user") }));
    assert.equal(plugin.facts.readBy, "static-analysis");
    assert.match(plugin.facts.fallbackReason ?? "", /handler\.lua:1: require\("ffi"\) is not available in the plugin sandbox/);
    assert.deepEqual([plugin.phases, plugin.priority, plugin.version], [["access"], 10, "1.0.0"]);
  });

  it("are refused when loading never ends or exhausts memory, as Kong's init would hang", () => {
    const issues = issuesOf(inline("looping", { "handler.lua": "local n = 0\nwhile true do n = n + 1 end\n", "schema.lua": schemaFor("looping") }));
    assert.deepEqual(issues.map((i) => i.path), ['source.files["handler.lua"]']);
    assert.match(issues[0]?.message ?? "", /^handler\.lua:2: ran past the instruction budget .* Kong's init would not finish loading it/);
  });
});

describe("Konnect's rules, kept apart from Kong's", () => {
  it("lists what only Konnect refuses: other files, init_worker, timers, non-Kong requires in schema.lua", () => {
    const handler = 'local H = { PRIORITY = 1, VERSION = "1.0.0" }\nfunction H:init_worker() ngx.timer.at(0, function() end) end\nreturn H\n';
    const schema = 'local cjson = require "cjson"\nreturn { name = "konnected", fields = { { config = { type = "record", fields = {} } } } }\n';
    const plugin = resolvePlugin(inline("konnected", { "handler.lua": handler, "schema.lua": schema, "helpers.lua": "return {}\n" }));
    const found = konnectRuleIssues(plugin, (file) => `source.files["${file}"]`);
    assert.deepEqual(found.map((issue) => [issue.path, issue.message.replace(/:.*$/, "")]), [
      ['source.files["helpers.lua"]', "Konnect"],
      ['source.files["handler.lua"]', "Konnect"],
      ['source.files["handler.lua"]', "Konnect"],
      ['source.files["schema.lua"]', "Konnect"],
    ]);
    assert.match(found[1]?.message ?? "", /init_worker/);
    assert.match(found[2]?.message ?? "", /ngx\.timer\.at at line 2/);
    assert.match(found[3]?.message ?? "", /cjson at line 1/);
  });
});

describe("plugin loading", () => {
  it("happens once per plugin digest in a process", () => {
    const spec = inline("cached-once", { "handler.lua": HANDLER, "schema.lua": schemaFor("cached-once") });
    resolvePlugin(spec);
    const opened = openedSandboxCount();
    resolvePlugin(spec);
    resolvePlugin({ ...spec, version: "2.0.0" });
    assert.equal(openedSandboxCount(), opened, "the same files are not loaded again");
    resolvePlugin(inline("cached-once", { "handler.lua": `${HANDLER}\n`, "schema.lua": schemaFor("cached-once") }));
    assert.equal(openedSandboxCount(), opened + 2, "changed files are loaded, in both subsystems");
  });
});
