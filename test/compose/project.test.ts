import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import AjvDraft04 from "ajv-draft-04";
import { parse as parseYaml } from "yaml";
import { DatabaseMode, KafkaMode, KnepTargetType, KongPluginsValidationError, PluginDelivery, type GatewaySpec } from "pulumi-kong-plugins";
import { renderComposeProject, renderKnepComposeService, resolveGatewayImage, resolvePlugin, resolvePluginInstance, kongPluginsValue, type ComposeProjectSpec } from "pulumi-kong-plugins/render";
import { writeOwnedFolder } from "../../components/core/owned-folder";
import { composeSchemaProblems } from "../helpers/compose";
import { luajitSearchPath, mountedFilesystem } from "../helpers/container-fs";
import { repoRoot, sharedFixture, tempDir, testFixture } from "../helpers/paths";
import { runTool } from "../helpers/tools";
import { demoRateLimit, rateLimitExample } from "../../examples/quickstart/rate-limit-example";

const rateLimit = resolvePlugin(rateLimitExample());
const dbPlugin = resolvePlugin({ name: "db-plugin", version: "1.0.0", source: { directory: testFixture("plugin/fixtures/db-plugin") } });
const SECRET = "hunter2-redis-password";
/** A custom plugin whose schema marks its secret field referenceable, as Kong requires for vault references. */
const tokenCheck = resolvePlugin({
  name: "token-check",
  version: "1.0.0",
  source: {
    files: {
      "handler.lua": 'return { PRIORITY = 1000, VERSION = "1.0.0", access = function() end }\n',
      "schema.lua": 'return { name = "token-check", fields = { { config = { type = "record", fields = { { token = { type = "string", referenceable = true, encrypted = true } }, { header = { type = "string" } } } } } } }\n',
    },
  },
});
const deck = new AjvDraft04({ allErrors: true, strict: false }).compile(JSON.parse(readFileSync(sharedFixture("deck/kong_json_schema.json"), "utf8")));

const knep = renderKnepComposeService({
  image: "registry.example.com/knep:1.0.0",
  kongAdminUrl: "http://kong:8001",
  targetType: KnepTargetType.Kafka,
  kafka: { brokers: ["kafka:9092"], topic: "kong-events" },
  eventTypes: ["request", "response", "plugin_updated"] as never,
});

/** The seed's scenario: rate-limit-example mounted, DB-less, KNEP forwarding to Kafka. */
function seedScenario(): ComposeProjectSpec {
  return {
    gateway: {
      plugins: [rateLimit],
      delivery: PluginDelivery.Mount,
      instances: [resolvePluginInstance({ ...demoRateLimit, targetRef: undefined, plugin: "rate-limit-example" })],
      services: [{ name: "echo", url: "http://echo:8080", routes: [{ name: "echo", paths: ["/echo"] }] }],
    },
    knep,
    kafka: KafkaMode.KRaft,
  };
}

describe("renderComposeProject upstreams", () => {
  it("runs each upstream as a service of the project, so a route's upstream exists where Kong resolves it", () => {
    const spec = { ...seedScenario(), upstreams: [{ name: "echo", image: "mccutchen/go-httpbin:v2.15.0", environment: { GREETING: "$5 ${HOME}" } }] };
    const project = renderComposeProject(spec);
    const compose = parseYaml(project.composeYaml);
    assert.deepEqual(composeSchemaProblems(compose), []);
    const dir = tempDir("compose-upstream-");
    writeOwnedFolder(dir, project.files);
    const config = runTool("docker-compose", ["-f", join(dir, "docker-compose.yaml"), "config"], { cwd: dir, env: { PATH: process.env.PATH ?? "", HOME: "/should/not/appear" } });
    assert.equal(config.status, 0, config.stderr);
    const resolved = parseYaml(config.stdout);
    assert.equal(resolved.services.echo.image, "mccutchen/go-httpbin:v2.15.0");
    // `config` prints a compose file again, so it re-escapes `$` as `$$`; read it back once.
    assert.equal(resolved.services.echo.environment.GREETING.replace(/\$\$/g, "$"), "$5 ${HOME}", "compose interpolates nothing in an upstream's environment");
    const hosts = parseYaml(project.kongYaml).services.map((service: { url: string }) => new URL(service.url).hostname);
    for (const host of hosts) assert.ok(host in resolved.services, `${host} is a service of the project`);
  });

  it("refuses a KNEP service named like one of the project's own services, which would replace it", () => {
    const spec = { ...seedScenario(), knep: renderKnepComposeService({ image: "r/knep:1", kongAdminUrl: "http://kong:8001", targetType: KnepTargetType.Http, http: { url: "http://sink:8080" } }, { serviceName: "kong" }) };
    assert.throws(
      () => renderComposeProject(spec),
      (error: KongPluginsValidationError) => error.issues.some((issue) => issue.path === "knep.composeServiceName" && /already a service of this project/.test(issue.message)),
    );
  });

  it("refuses names that are not compose service names or are the project's own services, and bad images, all at once", () => {
    const spec = {
      ...seedScenario(),
      upstreams: [
        { name: "kong", image: "nginx:1.27" },
        { name: "knep", image: "nginx:1.27" },
        { name: "-bad", image: "Not An Image" },
        { name: "echo", image: "nginx:1.27", environment: { "A B": "x" } },
      ],
    };
    assert.throws(
      () => renderComposeProject(spec),
      (error: KongPluginsValidationError) =>
        ["upstreams[0].name", "upstreams[1].name", "upstreams[2].name", "upstreams[2].image", 'upstreams[3].environment["A B"]'].every((path) => error.issues.some((issue) => issue.path === path)),
    );
  });
});

function variants(): Record<string, ComposeProjectSpec> {
  const scoped = (name: string, extra: object) => resolvePluginInstance({ name, plugin: "rate-limit-example", config: { limit: 5 }, ...extra });
  const image = resolveGatewayImage({ plugins: [rateLimit, dbPlugin], luaRoot: "/opt/kong-plugins" });
  const gateway: GatewaySpec = {
    plugins: [rateLimit, dbPlugin],
    delivery: PluginDelivery.Mount,
    database: DatabaseMode.Postgres,
    instances: [
      scoped("per-service", { service: "orders" }),
      scoped("per-route", { route: "orders-admin" }),
      scoped("per-consumer", { consumer: "alice" }),
      scoped("combo", { service: "orders", consumer: "bob" }),
      resolvePluginInstance({ name: "auth", plugin: "key-auth", config: { key_names: ["apikey"] }, secretConfig: { anonymous: "" }, service: "orders" }),
      resolvePluginInstance({ name: "redis-limit", plugin: "rate-limiting", config: { minute: 10 }, secretConfig: { redis_password: "" } }),
    ],
    services: [{ name: "orders", url: "http://orders:8080/api", routes: [{ name: "orders-api", paths: ["/orders"], methods: ["GET", "POST"], stripPath: false }] }],
    routes: [{ name: "orders-admin", service: "orders", hosts: ["admin.example.com"] }],
    consumers: [{ username: "alice" }, { username: "bob", customId: "b-1" }],
  };
  return {
    "seed (DB-less, mounted, KNEP, KRaft)": seedScenario(),
    "PostgreSQL, mounted plugins with migrations, ZooKeeper": { gateway, knep, kafka: KafkaMode.ZooKeeper, ports: { proxy: 18000, admin: 18001 } },
    "PostgreSQL, baked image": {
      gateway: { ...gateway, delivery: PluginDelivery.Image, image: { name: "registry.example.com/kong:1", kongPlugins: kongPluginsValue(image), luaRoot: image.luaRoot, luaPackagePath: "/opt/kong-plugins/?.lua;/opt/kong-plugins/?/init.lua;;" } },
    },
    "DB-less, nothing declared": { gateway: { plugins: [], delivery: PluginDelivery.Mount, instances: [] } },
  };
}

function writeProject(spec: ComposeProjectSpec): { dir: string; compose: Record<string, any> } {
  const project = renderComposeProject(spec);
  const dir = tempDir("compose-project-");
  writeOwnedFolder(dir, project.files);
  return { dir, compose: parseYaml(project.composeYaml) };
}

describe("renderComposeProject", () => {
  for (const [label, spec] of Object.entries(variants())) {
    it(`${label}: passes docker-compose config and the compose spec; kong.yaml passes decK's schema`, () => {
      const project = renderComposeProject(spec);
      const { dir, compose } = writeProject(spec);
      assert.deepEqual(composeSchemaProblems(compose), []);
      const env = Object.fromEntries(project.secretVariables.map((variable) => [variable, "set-for-the-check"]));
      const config = runTool("docker-compose", ["-f", join(dir, "docker-compose.yaml"), "config", "-q"], { cwd: dir, env: { PATH: process.env.PATH ?? "", ...env } });
      assert.equal(config.status, 0, config.stderr);
      assert.ok(deck(parseYaml(project.kongYaml)), JSON.stringify(deck.errors));
    });
  }

  it("the seed's scenario: the Lua path Kong gets finds the mounted plugin, as the real luajit resolves it", () => {
    const { dir, compose } = writeProject(seedScenario());
    const kong = compose.services.kong;
    assert.equal(kong.environment.KONG_PLUGINS, "bundled,rate-limit-example");
    assert.equal(kong.environment.KONG_DATABASE, "off");
    assert.deepEqual(kong.volumes, ["./kong.yaml:/kong/declarative/kong.yaml:ro", "./plugins/rate-limit-example:/opt/kong/plugins/rate-limit-example:ro"]);
    const root = mountedFilesystem(kong, dir);
    for (const module of ["handler", "schema"]) {
      const found = luajitSearchPath(`kong.plugins.rate-limit-example.${module}`, kong.environment.KONG_LUA_PACKAGE_PATH, root);
      assert.equal(found, join(root, `/opt/kong/plugins/rate-limit-example/${module}.lua`));
      assert.equal(readFileSync(found as string, "utf8"), readFileSync(join(repoRoot, `examples/plugins/rate-limit-example/${module}.lua`), "utf8"));
    }
    // The source document's own mount (/usr/local/kong/plugins/...) is on no Lua path: luajit agrees it fails.
    const seedRoot = mountedFilesystem({ volumes: [`./plugins/rate-limit-example:/usr/local/kong/plugins/rate-limit-example`] }, dir);
    assert.equal(luajitSearchPath("kong.plugins.rate-limit-example.handler", kong.environment.KONG_LUA_PACKAGE_PATH, seedRoot), undefined);
  });

  it("adds a KRaft broker by default when KNEP forwards to Kafka, and none otherwise", () => {
    const { kafka: _asked, ...withoutMode } = seedScenario();
    assert.equal(writeProject(withoutMode).compose.services.kafka.environment.KAFKA_PROCESS_ROLES, "broker,controller");
    const { knep: _knep, ...noKnep } = withoutMode;
    assert.equal(writeProject(noKnep).compose.services.kafka, undefined);
  });

  it("publishes the Admin API on 127.0.0.1 only, health-checks Kong, and turns anonymous reports off", () => {
    const { compose } = writeProject(seedScenario());
    const kong = compose.services.kong;
    assert.deepEqual(kong.ports, ["8000:8000", "8443:8443", "127.0.0.1:8001:8001", "127.0.0.1:8444:8444"]);
    assert.deepEqual(kong.healthcheck.test, ["CMD", "kong", "health"]);
    assert.equal(kong.environment.KONG_ANONYMOUS_REPORTS, "off");
    assert.equal(kong.environment.KONG_PROXY_ACCESS_LOG, "/dev/stdout");
    assert.equal(kong.environment.KONG_PROXY_ERROR_LOG, "/dev/stderr");
    assert.deepEqual(compose.services.knep.depends_on, { kafka: { condition: "service_healthy" }, kong: { condition: "service_healthy" } });
    assert.equal(compose.services.kafka.environment.KAFKA_PROCESS_ROLES, "broker,controller", "KRaft, no ZooKeeper");
    assert.equal(compose.services.zookeeper, undefined);
  });

  it("on PostgreSQL, Kong waits for a healthy database and for migrations that bootstrap, run up and finish", () => {
    const spec = variants()["PostgreSQL, mounted plugins with migrations, ZooKeeper"] as ComposeProjectSpec;
    const { compose } = writeProject(spec);
    assert.deepEqual(compose.services.kong.depends_on, { "kong-migrations": { condition: "service_completed_successfully" }, postgres: { condition: "service_healthy" } });
    assert.deepEqual(compose.services["kong-migrations"].command, ["sh", "-c", "kong migrations bootstrap && kong migrations up && kong migrations finish"]);
    assert.deepEqual(compose.services["kong-migrations"].volumes, compose.services.kong.volumes, "migrations see the plugins' migrations");
    assert.deepEqual(compose.services.postgres.healthcheck.test, ["CMD", "pg_isready", "-U", "kong", "-d", "kong"]);
    assert.equal(compose.services.postgres.image, "postgres:16");
    assert.ok(compose.services.zookeeper && compose.services.kafka.environment.KAFKA_ZOOKEEPER_CONNECT === "zookeeper:2181");
    assert.deepEqual(compose.services["kong-config"].command, ["gateway", "sync", "--kong-addr", "http://kong:8001", "/kong/declarative/kong.yaml"]);
  });

  it("places every instance in kong.yaml: globally, or under its service, route or consumer", () => {
    const project = renderComposeProject(variants()["PostgreSQL, mounted plugins with migrations, ZooKeeper"] as ComposeProjectSpec);
    const kongYaml = parseYaml(project.kongYaml);
    const names = (plugins?: { name: string; instance_name?: string }[]) => (plugins ?? []).map((p) => p.name);
    assert.deepEqual(names(kongYaml.services[0].plugins), ["rate-limit-example", "key-auth"]);
    assert.deepEqual(names(kongYaml.services[0].routes.find((r: { name: string }) => r.name === "orders-admin").plugins), ["rate-limit-example"]);
    assert.deepEqual(names(kongYaml.consumers[0].plugins), ["rate-limit-example"]);
    assert.deepEqual(kongYaml.plugins.map((p: Record<string, unknown>) => [p.name, p.service, p.consumer]), [
      ["rate-limit-example", "orders", "bob"],
      ["rate-limiting", undefined, undefined],
    ]);
    assert.equal(kongYaml.plugins[1].config.redis_password, "{vault://env/redis-limit-redis-password}");
  });

  it("never writes a secret: secret config, the database password and KNEP's secrets are required ${VAR}s listed in .env.example", () => {
    const project = renderComposeProject(variants()["PostgreSQL, mounted plugins with migrations, ZooKeeper"] as ComposeProjectSpec);
    assert.deepEqual(project.secretVariables, ["KONG_PG_PASSWORD", "AUTH_ANONYMOUS", "REDIS_LIMIT_REDIS_PASSWORD"]);
    assert.equal(project.envExample, "# Secrets of this compose project. Copy to .env and fill in; never commit .env.\nKONG_PG_PASSWORD=\nAUTH_ANONYMOUS=\nREDIS_LIMIT_REDIS_PASSWORD=\n");
    const compose = parseYaml(project.composeYaml);
    assert.equal(compose.services.kong.environment.REDIS_LIMIT_REDIS_PASSWORD, "${REDIS_LIMIT_REDIS_PASSWORD:?set REDIS_LIMIT_REDIS_PASSWORD in .env}");
    assert.equal(compose.services.postgres.environment.POSTGRES_PASSWORD, "${KONG_PG_PASSWORD:?set KONG_PG_PASSWORD in .env}");
    const withSecrets = resolvePluginInstance({ name: "s", plugin: "token-check", config: {}, secretConfig: { token: SECRET } });
    const rendered = renderComposeProject({ ...seedScenario(), gateway: { ...seedScenario().gateway, plugins: [rateLimit, tokenCheck], instances: [withSecrets] } });
    for (const file of rendered.files) assert.ok(!String(file.content).includes(SECRET), `${file.path} holds no secret`);
  });

  it("refuses secret config in a field schema.lua does not mark referenceable (Kong would not resolve the vault reference)", () => {
    const bad = resolvePluginInstance({ name: "leaky", plugin: "token-check", config: {}, secretConfig: { header: "x", token: "y" } });
    assert.throws(
      () => renderComposeProject({ gateway: { plugins: [tokenCheck], delivery: PluginDelivery.Mount, instances: [bad] } }),
      (error: unknown) => {
        assert.ok(error instanceof KongPluginsValidationError);
        assert.deepEqual(error.issues.map((i) => i.path), ["gateway.instances[0].secretConfig.header"]);
        assert.match(error.issues[0]?.message ?? "", /\{vault:\/\/env\/leaky-header\}.*does not mark header referenceable/);
        return true;
      },
    );
  });

  it("refuses two owners of one .env variable, naming both: an instance, KNEP, the password, KNEP_IMAGE", () => {
    const mq = renderKnepComposeService({ kongAdminUrl: "http://kong:8001", targetType: KnepTargetType.RabbitMq, rabbitmq: { url: "amqps://u:p@mq:5671/v", exchange: "kong" }, secretEnv: { IMAGE: "x" } });
    const instances = [
      resolvePluginInstance({ name: "knep", plugin: "key-auth", secretConfig: { target_rabbitmq_url: "a" } }),
      resolvePluginInstance({ name: "kong", plugin: "basic-auth", secretConfig: { pg_password: "b" } }),
    ];
    assert.throws(
      () => renderComposeProject({ gateway: { plugins: [], delivery: PluginDelivery.Mount, instances, database: DatabaseMode.Postgres }, knep: mq }),
      (error: unknown) => {
        assert.ok(error instanceof KongPluginsValidationError);
        const found = Object.fromEntries(error.issues.filter((issue) => /reaches the project's \.env/.test(issue.message)).map((issue) => [issue.path, issue.message]));
        assert.deepEqual(Object.keys(found).sort(), ["gateway.instances[1].secretConfig.pg_password", "knep.rabbitmq.url", "knep.secretEnv.IMAGE"]);
        assert.match(found["knep.rabbitmq.url"] ?? "", /as KNEP_TARGET_RABBITMQ_URL, the variable of gateway\.instances\[0\]\.secretConfig\.target_rabbitmq_url too/);
        assert.match(found["gateway.instances[1].secretConfig.pg_password"] ?? "", /as KONG_PG_PASSWORD, the variable of postgres\.password too/);
        assert.match(found["knep.secretEnv.IMAGE"] ?? "", /as KNEP_IMAGE, the variable of knep\.image too/);
        assert.ok(!JSON.stringify(error.issues).includes("amqps://"), "no secret value in the report");
        return true;
      },
    );
    const distinct = renderKnepComposeService({ kongAdminUrl: "http://kong:8001", targetType: KnepTargetType.RabbitMq, rabbitmq: { url: "amqps://u:p@mq:5671/v", exchange: "kong" } });
    assert.doesNotThrow(() => renderComposeProject({ gateway: { plugins: [], delivery: PluginDelivery.Mount, instances: [] }, knep: distinct }));
  });

  it("reports the preflight's and compose's problems at once", () => {
    assert.throws(
      () =>
        renderComposeProject({
          ...seedScenario(),
          gateway: { ...seedScenario().gateway, plugins: [], kongEnv: { KONG_DATABASE: "postgres" } },
          knep: renderKnepComposeService({ image: "k:1", kongAdminUrl: "http://localhost:8001", targetType: KnepTargetType.Kafka, kafka: { brokers: ["broker:9092"], topic: "t" } }),
          postgres: { image: "postgres:9.4" },
          ports: { proxy: 8001, admin: 8001 },
        }),
      (error: unknown) => {
        assert.ok(error instanceof KongPluginsValidationError);
        assert.deepEqual(error.issues.map((i) => i.path).sort(), ["gateway.instances[0].plugin", "gateway.kongEnv.KONG_DATABASE", "knep.kafka.brokers", "knep.kongAdminUrl", "ports.admin", "postgres.image"].sort());
        assert.match(error.message, /to_regclass/);
        return true;
      },
    );
  });

  it("renders identical bytes in two processes", () => {
    const script = `const { renderComposeProject, resolvePlugin, resolvePluginInstance } = require("pulumi-kong-plugins/render");
      const plugin = resolvePlugin({ name: "rate-limit-example", version: "1.0.0", source: { directory: "examples/plugins/rate-limit-example" } });
      const project = renderComposeProject({ gateway: { plugins: [plugin], delivery: "mount", database: "postgres", instances: [resolvePluginInstance({ name: "i", plugin: plugin.name, config: { b: 1, a: 2 } }), resolvePluginInstance({ name: "r", plugin: "rate-limiting", config: { minute: 1 }, secretConfig: { redis_password: "" } })] }, kafka: "kraft" });
      process.stdout.write(JSON.stringify(project.files));`;
    const run = (env: Record<string, string>) => execFileSync(process.execPath, ["-e", script], { cwd: repoRoot, encoding: "utf8", env: { ...process.env, ...env } });
    assert.equal(run({ TZ: "UTC" }), run({ TZ: "America/Lima", LANG: "de_DE.UTF-8" }));
  });
});
