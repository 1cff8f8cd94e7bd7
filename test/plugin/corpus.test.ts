// The plugin corpus (test/plugin/corpus/): plugins this project wrote, one per shape that
// Kong loads and a reader of handler.lua can get wrong. Each plugin's facts are asserted
// exactly, then checked against the real LuaJIT (test/plugin/fixtures/luajit-load.lua loads
// the handler per subsystem as Kong does) and installed with luarocks make.
import assert from "node:assert/strict";
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { describe, it } from "node:test";
import { issuesOf as issuesOfAction } from "../helpers/tree";
import { PluginType, type PluginSpec, type ResolvedPlugin, type ValidationIssue } from "pulumi-kong-plugins";
import { packPluginArchive, renderRockspec, resolvePlugin } from "pulumi-kong-plugins/render";
import { tempDir, testFixture } from "../helpers/paths";
import { mustRun, requireTool, runTool } from "../helpers/tools";

const CORPUS = testFixture("plugin/corpus");
const LUAJIT_LOAD = testFixture("plugin/fixtures/luajit-load.lua");
const SUBSYSTEMS = ["http", "stream"] as const;
type Subsystem = (typeof SUBSYSTEMS)[number];

interface Location {
  readonly file: string;
  readonly line: number;
  readonly column: number;
}
const at = (where: string): Location => {
  const [file, line, column] = where.split(":");
  return { file: file as string, line: Number(line), column: Number(column) };
};
const requireAt = (where: string, module: string) => ({ ...at(where), module });
const timerAt = (where: string, expression: string) => ({ ...at(where), expression });
const TYPEDEFS = requireAt("schema.lua:1:18", "kong.db.schema.typedefs");

/** What resolvePlugin must report for one corpus plugin. */
interface Expected {
  /** The shape the plugin stands for (the test's title). */
  readonly shape: string;
  readonly name: string;
  readonly files: readonly string[];
  readonly phases: Readonly<Record<Subsystem, readonly string[]>>;
  readonly subsystems: readonly PluginType[];
  readonly priority: number;
  readonly version: string;
  readonly timers?: readonly ReturnType<typeof timerAt>[];
  readonly requires: readonly ReturnType<typeof requireAt>[];
  readonly referenceableFields?: readonly string[];
  readonly daoEntities?: readonly string[];
  readonly migrations?: readonly string[];
}

const HTTP = [PluginType.Http];
const HTTP_AND_STREAM = [PluginType.Http, PluginType.Stream];

/**
 * Every accepted corpus plugin. All are read by the Lua runtime (none needs the static
 * fallback: each loads with the shims of Kong's modules), and none gives a version, so the
 * version is handler.lua's VERSION as Kong reads it.
 */
const ACCEPTED: readonly Expected[] = [
  {
    shape: "a handler built by a factory in another module of the plugin",
    name: "corpus-factory",
    files: ["base.lua", "handler.lua", "schema.lua"],
    phases: { http: ["access", "header_filter"], stream: [] },
    subsystems: HTTP,
    priority: 1000,
    version: "1.4.0",
    requires: [requireAt("handler.lua:1:8", "kong.plugins.corpus-factory.base"), TYPEDEFS],
  },
  {
    shape: "phases inherited through setmetatable(H, { __index = Base }), VERSION \"0.1\"",
    name: "corpus-metatable",
    files: ["base_handler.lua", "handler.lua", "schema.lua"],
    // log is called in stream too, but protocols_http keeps the plugin off the stream subsystem.
    phases: { http: ["access", "header_filter", "log"], stream: ["log"] },
    subsystems: HTTP,
    priority: 850,
    version: "0.1",
    requires: [requireAt("handler.lua:1:14", "kong.plugins.corpus-metatable.base_handler"), TYPEDEFS],
  },
  {
    shape: "methods defined in if subsystem == \"http\" ... elseif subsystem == \"stream\" branches (zipkin's shape)",
    name: "corpus-branches",
    files: ["handler.lua", "schema.lua"],
    phases: { http: ["rewrite", "access", "header_filter", "log"], stream: ["preread", "log"] },
    subsystems: HTTP_AND_STREAM,
    priority: 100000,
    version: "2.0.1",
    requires: [TYPEDEFS],
  },
  {
    shape: "methods assigned with brackets, H[\"access\"] = function",
    name: "corpus-bracket",
    files: ["handler.lua", "schema.lua"],
    phases: { http: ["access", "body_filter"], stream: [] },
    // No protocols field allows every protocol; the plugin has no stream phase.
    subsystems: HTTP,
    priority: 7,
    version: "1.0.0",
    requires: [],
  },
  {
    shape: "access and preread with typedefs.protocols (ip-restriction's shape)",
    name: "corpus-dual",
    files: ["handler.lua", "schema.lua"],
    phases: { http: ["access"], stream: ["preread"] },
    subsystems: HTTP_AND_STREAM,
    priority: 990,
    version: "3.1.0",
    requires: [TYPEDEFS],
  },
  {
    shape: "migrations/helpers.lua without migrations/init.lua",
    name: "corpus-migration-helpers",
    files: ["handler.lua", "migrations/helpers.lua", "schema.lua"],
    phases: { http: ["access"], stream: [] },
    subsystems: HTTP,
    priority: 5,
    version: "1.0.0",
    requires: [TYPEDEFS],
    migrations: [],
  },
  {
    shape: "a timer through an alias (local timer_at = ngx.timer.at) and a referenceable typedefs.url",
    name: "corpus-timer-alias",
    files: ["handler.lua", "schema.lua"],
    phases: { http: ["log"], stream: ["log"] },
    subsystems: HTTP_AND_STREAM,
    priority: 12,
    version: "1.2.0",
    timers: [timerAt("handler.lua:22:19", "ngx.timer.at")],
    requires: [requireAt("handler.lua:1:14", "kong.meta"), TYPEDEFS],
    referenceableFields: ["http_endpoint"],
  },
  {
    shape: "Kong's queue (Queue.enqueue in log)",
    name: "corpus-queue",
    files: ["handler.lua", "schema.lua"],
    phases: { http: ["log"], stream: ["log"] },
    subsystems: HTTP_AND_STREAM,
    priority: 14,
    version: "1.0.0",
    timers: [timerAt("handler.lua:16:19", "kong.tools.queue.enqueue")],
    requires: [requireAt("handler.lua:1:15", "kong.tools.queue"), TYPEDEFS],
  },
  {
    shape: "handler.lua starting with a UTF-8 byte order mark",
    name: "corpus-bom",
    files: ["handler.lua", "schema.lua"],
    phases: { http: ["access"], stream: [] },
    subsystems: HTTP,
    priority: 3,
    version: "1.0.0",
    // Columns as an editor shows them: the byte order mark takes none.
    requires: [requireAt("handler.lua:2:14", "kong.meta"), TYPEDEFS],
  },
  {
    shape: "local f = load[[...]]() at module level, PRIORITY computed from it",
    name: "corpus-load-string",
    files: ["handler.lua", "schema.lua"],
    phases: { http: ["rewrite"], stream: [] },
    subsystems: HTTP,
    priority: 21,
    version: "1.0.0",
    requires: [TYPEDEFS],
  },
  {
    shape: "a module holding a 5,000-term expression",
    name: "corpus-big-expr",
    files: ["handler.lua", "schema.lua", "weights.lua"],
    phases: { http: ["access"], stream: [] },
    subsystems: HTTP,
    priority: 30,
    version: "1.0.0",
    requires: [requireAt("handler.lua:1:22", "kong.plugins.corpus-big-expr.weights"), TYPEDEFS],
  },
  {
    shape: "a flat repository with specs, a rockspec and a README beside the plugin's files",
    name: "corpus-flat",
    files: ["access.lua", "handler.lua", "schema.lua"],
    phases: { http: ["access"], stream: [] },
    subsystems: HTTP,
    priority: 800,
    version: "0.3.0",
    requires: [requireAt("handler.lua:1:16", "kong.plugins.corpus-flat.access"), TYPEDEFS],
  },
  {
    shape: "a migration whose path in the archive is over 100 characters, and a DAO",
    name: "corpus-long-migration",
    files: ["daos.lua", "handler.lua", "migrations/000_base_corpus_long_migration_tokens_and_owners.lua", "migrations/init.lua", "schema.lua"],
    phases: { http: ["access"], stream: [] },
    subsystems: HTTP,
    priority: 1010,
    version: "1.0.0",
    requires: [requireAt("daos.lua:1:18", "kong.db.schema.typedefs"), TYPEDEFS],
    daoEntities: ["corpus_long_migration_tokens"],
    migrations: ["000_base_corpus_long_migration_tokens_and_owners"],
  },
];

const resolved = new Map<string, ResolvedPlugin>();
/** The corpus plugin resolved from its folder (once per test process). */
function corpusPlugin(name: string): ResolvedPlugin {
  let plugin = resolved.get(name);
  if (plugin === undefined) {
    plugin = resolvePlugin({ name, source: { directory: join(CORPUS, name) } });
    resolved.set(name, plugin);
  }
  return plugin;
}

/** The issues resolvePlugin refuses `spec` with (none when it accepts it). */
function issuesOf(spec: PluginSpec): ValidationIssue[] {
  return issuesOfAction(() => resolvePlugin(spec));
}

describe("corpus: the facts resolvePlugin reports", () => {
  for (const expected of ACCEPTED) {
    it(`${expected.name}: ${expected.shape}`, () => {
      const plugin = corpusPlugin(expected.name);
      const { facts, analysis } = plugin;
      assert.deepEqual(
        {
          readBy: facts.readBy,
          fallbackReason: facts.fallbackReason,
          files: plugin.files.map((file) => file.path),
          phases: facts.phases,
          subsystems: plugin.subsystems,
          factsSubsystems: facts.subsystems,
          type: plugin.type,
          priority: plugin.priority,
          factsPriority: facts.priority,
          version: plugin.version,
          factsVersion: facts.version,
          schemaName: facts.schemaName,
          timers: analysis.timers,
          requires: analysis.requires,
          referenceableFields: facts.referenceableFields,
          daoEntities: facts.daoEntities,
          migrations: facts.migrations,
          requiresDatabase: plugin.requiresDatabase,
        },
        {
          readBy: "lua-runtime",
          fallbackReason: undefined,
          files: expected.files,
          phases: expected.phases,
          subsystems: expected.subsystems,
          factsSubsystems: expected.subsystems,
          // Every corpus plugin serves http, so the operator's type is http.
          type: PluginType.Http,
          priority: expected.priority,
          factsPriority: expected.priority,
          version: expected.version,
          factsVersion: expected.version,
          schemaName: expected.name,
          timers: expected.timers ?? [],
          requires: expected.requires,
          referenceableFields: expected.referenceableFields ?? [],
          daoEntities: expected.daoEntities ?? [],
          migrations: expected.migrations ?? [],
          requiresDatabase: (expected.daoEntities ?? []).length > 0,
        },
      );
    });
  }

  it("corpus-big-expr: weights.lua is one expression of 5,000 terms, which LuaJIT evaluates", () => {
    const path = join(CORPUS, "corpus-big-expr", "weights.lua");
    const weights = readFileSync(path, "utf8");
    assert.equal(weights.slice(weights.indexOf("\nreturn\n")).split("+").length, 5000);
    assert.equal(mustRun("luajit", ["-e", `print(dofile(${JSON.stringify(path)}))`]).trim(), "12502500");
  });

  it("corpus-long-migration: the migration's path in the plugin's archive is over 100 characters", async () => {
    const plugin = corpusPlugin("corpus-long-migration");
    const listing = mustRun("tar", ["-tzf", "-"], { input: await packPluginArchive(plugin) }).split("\n");
    const path = "corpus-long-migration/kong/plugins/corpus-long-migration/migrations/000_base_corpus_long_migration_tokens_and_owners.lua";
    assert.ok(listing.includes(path), `the archive lists ${path}`);
    assert.ok(path.length > 100, `${path.length} characters: longer than a tar header's name field`);
  });

  it("corpus-sibling: refuses a require of a sibling plugin folder of the repository", () => {
    const issues = issuesOf({ name: "corpus-sibling", source: { directory: join(CORPUS, "corpus-sibling") } });
    assert.deepEqual(issues.map((issue) => issue.path), ['source.directory["handler.lua"]']);
    assert.ok(issues[0]?.message.includes("another plugin folder"), issues[0]?.message);
    assert.ok(issues[0]?.message.includes("kong.plugins.corpus-sibling-lib.util (line 3)"), issues[0]?.message);
  });

  const handler = (body: string) => `local H = { PRIORITY = 10, VERSION = "1.0.0" }\n${body}\nreturn H\n`;
  const schema = (name: string, config = "") => `return { name = "${name}", fields = { { config = { type = "record", fields = { ${config} } } } } }\n`;

  it("refuses a require of a plugin module that is not one of its files, even inside a method", () => {
    const name = "corpus-missing-module";
    const issues = issuesOf({
      name,
      source: {
        files: {
          "handler.lua": handler(`function H:access(conf)\n  local helper = require "kong.plugins.${name}.missing"\n  helper.run(conf)\nend`),
          "schema.lua": schema(name),
        },
      },
    });
    assert.deepEqual(issues.map((issue) => issue.path), ['source.files["handler.lua"]']);
    assert.ok(issues[0]?.message.includes("not a file of the plugin"), issues[0]?.message);
    assert.ok(issues[0]?.message.includes(`kong.plugins.${name}.missing (line 3)`), issues[0]?.message);
  });

  it("refuses a schema field of a type Kong does not have (\"recrod\")", () => {
    const name = "corpus-bad-type";
    const issues = issuesOf({
      name,
      source: { files: { "handler.lua": handler("function H:access(conf) end"), "schema.lua": schema(name, '{ limits = { type = "recrod", fields = {} } }') } },
    });
    assert.deepEqual(issues.map((issue) => issue.path), ['source.files["schema.lua"]']);
    assert.ok(issues[0]?.message.includes("expected one of:"), issues[0]?.message);
    assert.equal(issues[0]?.received, "recrod");
  });
});

/** What luajit-load.lua printed for one subsystem. */
interface LuajitFacts {
  readonly handlerType: string;
  readonly priority: string;
  readonly priorityType: string;
  readonly version: string;
  readonly phases: string[];
  readonly methods: string[];
  readonly schemaName: string;
  /** The protocols the schema's protocols field allows; undefined without the field. */
  readonly protocols?: string[];
  readonly referenceable: string[];
}

/** Runs test/plugin/fixtures/luajit-load.lua: loads the plugin in `tree` for one subsystem. */
function luajitLoad(tree: string, name: string, subsystem: Subsystem): LuajitFacts {
  const lines = mustRun("luajit", [LUAJIT_LOAD, tree, name, subsystem]).split("\n").filter((line) => line !== "");
  const values = (key: string) => lines.filter((line) => line.startsWith(`${key} `)).map((line) => line.slice(key.length + 1));
  const one = (key: string) => {
    const found = values(key);
    assert.equal(found.length, 1, `luajit-load.lua prints one ${key} line:\n${lines.join("\n")}`);
    return found[0] as string;
  };
  const protocols = values("protocols");
  return {
    handlerType: one("handler_type"),
    priority: one("priority"),
    priorityType: one("priority_type"),
    version: one("version"),
    phases: values("phase"),
    methods: values("method"),
    schemaName: one("schema_name"),
    ...(protocols.length > 0 ? { protocols: (protocols[0] as string).split(",").filter((p) => p !== "") } : {}),
    referenceable: values("referenceable"),
  };
}

/** The subsystem of each protocol (Kong's kong/constants.lua PROTOCOLS_WITH_SUBSYSTEM). */
const PROTOCOL_SUBSYSTEM: Readonly<Record<string, Subsystem>> = {
  http: "http", https: "http", grpc: "http", grpcs: "http", ws: "http", wss: "http",
  tcp: "stream", tls: "stream", udp: "stream", tls_passthrough: "stream",
};

/**
 * A folder laid out as Kong's Lua tree holds a plugin (`kong/plugins/<name>/...`) with the
 * rendered rockspec beside `kong/`, as the plugin's archive unpacks; one per plugin.
 */
const layouts = new Map<string, string>();
function layOut(plugin: ResolvedPlugin): string {
  const key = `${plugin.name}@${plugin.digest}`;
  let dir = layouts.get(key);
  if (dir === undefined) {
    dir = layOutFiles(plugin.name, Object.fromEntries(plugin.files.map((file) => [file.path, file.content])));
    const rockspec = renderRockspec(plugin);
    writeFileSync(join(dir, rockspec.fileName), rockspec.text);
    layouts.set(key, dir);
  }
  return dir;
}

/** A new folder holding `kong/plugins/<name>/` with these files. */
function layOutFiles(name: string, files: Readonly<Record<string, string>>): string {
  const dir = tempDir("kong-plugins-corpus-");
  for (const [relative, content] of Object.entries(files)) {
    const path = join(dir, "kong", "plugins", name, relative);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, content);
  }
  return dir;
}

/** A corpus plugin folder's files as text, by path, exactly as on disk (a byte order mark kept). */
function corpusFiles(name: string, folder = join(CORPUS, name), prefix = ""): Record<string, string> {
  const files: Record<string, string> = {};
  for (const entry of readdirSync(folder, { withFileTypes: true })) {
    const relative = `${prefix}${entry.name}`;
    if (entry.isDirectory()) Object.assign(files, corpusFiles(name, join(folder, entry.name), `${relative}/`));
    else files[relative] = readFileSync(join(folder, entry.name), "utf8");
  }
  return files;
}

describe("corpus: the real LuaJIT loads each plugin as the sandbox did", () => {
  for (const expected of ACCEPTED) {
    it(`${expected.name}: phases per subsystem, PRIORITY, VERSION, schema name, referenceable fields and subsystems agree`, () => {
      requireTool("luajit");
      const plugin = corpusPlugin(expected.name);
      const tree = layOut(plugin);
      const served: PluginType[] = [];
      for (const subsystem of SUBSYSTEMS) {
        const loaded = luajitLoad(tree, plugin.name, subsystem);
        assert.equal(loaded.handlerType, "table", subsystem);
        assert.deepEqual(loaded.phases, plugin.facts.phases[subsystem], `${subsystem}: phases Kong calls`);
        assert.equal(loaded.priorityType, "number", subsystem);
        assert.equal(Number(loaded.priority), plugin.priority, `${subsystem}: PRIORITY`);
        assert.equal(loaded.version, plugin.version, `${subsystem}: VERSION`);
        assert.equal(loaded.schemaName, plugin.facts.schemaName, `${subsystem}: schema name`);
        assert.deepEqual([...loaded.referenceable].sort(), plugin.facts.referenceableFields, `${subsystem}: referenceable fields`);
        const allowed = loaded.protocols === undefined || loaded.protocols.some((protocol) => PROTOCOL_SUBSYSTEM[protocol] === subsystem);
        if (loaded.phases.length > 0 && allowed) served.push(subsystem === "http" ? PluginType.Http : PluginType.Stream);
      }
      assert.deepEqual(served, plugin.subsystems, "subsystems served");
    });
  }

  it("corpus-sibling: LuaJIT fails to load the handler without the sibling folder, as Kong would", () => {
    requireTool("luajit");
    const tree = tempDir("kong-plugins-corpus-");
    const plugin = join(tree, "kong", "plugins", "corpus-sibling");
    mkdirSync(plugin, { recursive: true });
    for (const file of ["handler.lua", "schema.lua"]) {
      writeFileSync(join(plugin, file), readFileSync(join(CORPUS, "corpus-sibling", "kong", "plugins", "corpus-sibling", file)));
    }
    const result = runTool("luajit", [LUAJIT_LOAD, tree, "corpus-sibling", "http"]);
    assert.notEqual(result.status, 0);
    assert.match(result.stderr, /module 'kong\.plugins\.corpus-sibling-lib\.util' not found/);
  });
});

/** The modules a plugin file provides: path without .lua, `/` → `.`; `x/init.lua` is also `x`. */
function modulesOf(name: string, path: string): string[] {
  const module = `kong.plugins.${name}.${path.slice(0, -".lua".length).split("/").join(".")}`;
  return module.endsWith(".init") ? [module, module.slice(0, -".init".length)] : [module];
}

describe("corpus: luarocks make installs every module of each plugin", () => {
  for (const expected of ACCEPTED) {
    it(`${expected.name}: package.searchpath finds every module in the tree, each file byte for byte`, () => {
      requireTool("luarocks");
      requireTool("luajit");
      const plugin = corpusPlugin(expected.name);
      const dir = layOut(plugin);
      const tree = join(dir, "tree");
      mustRun("luarocks", ["make", "--tree", tree, renderRockspec(plugin).fileName], { cwd: dir });

      const lua = join(tree, "share/lua/5.1");
      const wanted = plugin.files.filter((file) => file.path.endsWith(".lua")).flatMap((file) => modulesOf(plugin.name, file.path).map((module) => [module, file.path] as const));
      assert.ok(wanted.length >= 2, "handler and schema at least");
      // Module names and the tree's path are plain ASCII, so JSON strings are Lua strings.
      const script = `local path = ${JSON.stringify(`${lua}/?.lua;${lua}/?/init.lua`)}
        for _, module in ipairs({ ${wanted.map(([module]) => JSON.stringify(module)).join(", ")} }) do
          print(module .. "\\t" .. tostring(package.searchpath(module, path)))
        end`;
      const found = mustRun("luajit", ["-e", script]);
      const lines = found.trim().split("\n");
      assert.deepEqual(lines, wanted.map(([module, path]) => `${module}\t${lua}/kong/plugins/${plugin.name}/${path}`));
      for (const file of plugin.files) {
        assert.deepEqual(readFileSync(join(lua, "kong/plugins", plugin.name, file.path)), Buffer.from(file.content, "utf8"), `${file.path} installed as is`);
      }
    });
  }
});

/** Where the sandbox's Lua 5.4 and LuaJIT differ: a byte order mark, and syntax levels. */
describe("corpus: what LuaJIT reads differently from Lua 5.4", () => {
  /** `return "0" .. "1" .. ...`: a right-associative chain, one syntax level per term in LuaJIT. */
  const concatenation = (terms: number) => `return ${Array.from({ length: terms }, (_, index) => `"${index}"`).join(" .. ")}\n`;

  it("corpus-bom given inline (byte order mark kept) is read by the Lua runtime, as LuaJIT loads it", () => {
    requireTool("luajit");
    const files = corpusFiles("corpus-bom");
    assert.ok(files["handler.lua"]?.startsWith("\uFEFF"), "the fixture starts with a byte order mark");
    const tree = layOutFiles("corpus-bom", files);
    const plugin = resolvePlugin({ name: "corpus-bom", source: { files } });
    for (const subsystem of SUBSYSTEMS) {
      assert.deepEqual(luajitLoad(tree, "corpus-bom", subsystem).phases, plugin.facts.phases[subsystem], `${subsystem}: LuaJIT skips the mark and loads the handler`);
    }
    // Lua 5.4's load() does not skip a byte order mark, LuaJIT's lexer does (lj_lex.c lj_lex_setup): the sandbox skips it too.
    assert.deepEqual({ readBy: plugin.facts.readBy, fallbackReason: plugin.facts.fallbackReason }, { readBy: "lua-runtime", fallbackReason: undefined });
  });

  it("corpus-metatable with a byte order mark on handler.lua, given inline, is accepted with the facts LuaJIT reads", () => {
    requireTool("luajit");
    const files = corpusFiles("corpus-metatable");
    files["handler.lua"] = `\uFEFF${files["handler.lua"] as string}`;
    const tree = layOutFiles("corpus-metatable", files);
    const luajit = { http: luajitLoad(tree, "corpus-metatable", "http"), stream: luajitLoad(tree, "corpus-metatable", "stream") };
    assert.deepEqual([luajit.http.phases, luajit.stream.phases, luajit.http.priority, luajit.http.version], [["access", "header_filter", "log"], ["log"], "850", "0.1"], "LuaJIT loads it as it loads corpus-metatable");
    let plugin: ResolvedPlugin;
    try {
      plugin = resolvePlugin({ name: "corpus-metatable", source: { files } });
    } catch (error) {
      assert.fail(`refused a plugin LuaJIT loads: ${error instanceof Error ? error.message : String(error)}`);
    }
    assert.deepEqual(
      { readBy: plugin.facts.readBy, phases: plugin.facts.phases, priority: plugin.priority, version: plugin.version },
      { readBy: "lua-runtime", phases: { http: luajit.http.phases, stream: luajit.stream.phases }, priority: 850, version: "0.1" },
    );
  });

  it("reading corpus-bom from its folder keeps handler.lua's byte order mark (files are installed as they are)", () => {
    const onDisk = readFileSync(join(CORPUS, "corpus-bom", "handler.lua"));
    assert.deepEqual([...onDisk.subarray(0, 3)], [0xef, 0xbb, 0xbf], "the fixture starts with a byte order mark");
    const read = corpusPlugin("corpus-bom").files.find((file) => file.path === "handler.lua");
    assert.ok(read?.content.startsWith("\uFEFF"), "handler.lua read from the folder starts with U+FEFF");
  });

  it("a module with a 5,000-term '..' expression, which LuaJIT refuses to compile, is refused in LuaJIT's words", () => {
    requireTool("luajit");
    const files = { ...corpusFiles("corpus-big-expr"), "weights.lua": concatenation(5000) };
    const loaded = runTool("luajit", [LUAJIT_LOAD, layOutFiles("corpus-big-expr", files), "corpus-big-expr", "http"]);
    assert.notEqual(loaded.status, 0, "LuaJIT cannot load the handler, so Kong cannot");
    assert.match(loaded.stderr, /weights\.lua:1: chunk has too many syntax levels/);
    // LuaJIT refuses any chain of 199 or more right-associative terms ('..', '^'): LJ_MAX_XLEVEL.
    const issues = issuesOf({ name: "corpus-big-expr", source: { files } });
    assert.ok(issues.some((issue) => issue.path === 'source.files["weights.lua"]' && /chunk has too many syntax levels/.test(issue.message)), JSON.stringify(issues));
  });

  it("a module with a 198-term '..' expression, which LuaJIT compiles, is accepted; Lua 5.4's lower limit sends it to the static analysis, which says so", () => {
    requireTool("luajit");
    const files = { ...corpusFiles("corpus-big-expr"), "weights.lua": concatenation(198) };
    const loaded = luajitLoad(layOutFiles("corpus-big-expr", files), "corpus-big-expr", "http");
    assert.deepEqual(loaded.phases, ["access"], "LuaJIT loads it");
    const plugin = resolvePlugin({ name: "corpus-big-expr", source: { files } });
    // The sandbox's Lua 5.4 compiles chains of at most 197 such terms (LUAI_MAXCCALLS, fixed in
    // the WebAssembly build): the plugin is accepted as Kong accepts it, its facts read statically.
    assert.equal(plugin.facts.readBy, "static-analysis");
    assert.match(plugin.facts.fallbackReason ?? "", /weights\.lua.*C stack overflow/);
    assert.deepEqual(plugin.phases, ["access"]);
  });
});
