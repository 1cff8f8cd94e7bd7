import assert from "node:assert/strict";
import { join } from "node:path";
import { describe, it } from "node:test";
import fc from "fast-check";
import { parse as parseYaml } from "yaml";
import { DatabaseMode, KnepTargetType, PluginDelivery } from "pulumi-kong-plugins";
import { renderComposeProject, renderKnepComposeService, resolvePlugin, type ComposeProjectSpec } from "pulumi-kong-plugins/render";
import { writeOwnedFolder } from "../../components/core/owned-folder";
import { tempDir } from "../helpers/paths";
import { runTool } from "../helpers/tools";
import { rateLimitExample } from "../../examples/quickstart/rate-limit-example";

const rateLimit = resolvePlugin(rateLimitExample());
const PG_PASSWORD = "pg-secret-value";
/** What the shell around `docker-compose` defines: none of it may reach a value written literally. */
const SHELL = { HOME: "/should/not/appear", USER: "shell-user", KONG_PG_PASSWORD: PG_PASSWORD };

type Service = { image: string; environment: Record<string, string>; healthcheck?: { test: string[] } };

/** The project as `docker-compose config` resolves it, with `$` read back once (`config` re-escapes a literal `$` as `$$`). */
function resolvedProject(spec: ComposeProjectSpec): { services: Record<string, Service>; text: string } {
  const dir = tempDir("compose-escaping-");
  writeOwnedFolder(dir, renderComposeProject(spec).files);
  const config = runTool("docker-compose", ["-f", join(dir, "docker-compose.yaml"), "config"], { cwd: dir, env: { PATH: process.env.PATH ?? "", ...SHELL } });
  assert.equal(config.status, 0, config.stderr);
  const literal = (value: unknown): unknown =>
    typeof value === "string" ? value.replace(/\$\$/g, "$") : Array.isArray(value) ? value.map(literal) : value && typeof value === "object" ? Object.fromEntries(Object.entries(value).map(([k, v]) => [k, literal(v)])) : value;
  return { services: literal(parseYaml(config.stdout).services) as Record<string, Service>, text: config.stdout };
}

function postgresProject(values: { user: string; database: string; kongEnv?: Record<string, string>; upstream?: Record<string, string> }): ComposeProjectSpec {
  return {
    gateway: { plugins: [rateLimit], delivery: PluginDelivery.Mount, database: DatabaseMode.Postgres, instances: [], ...(values.kongEnv ? { kongEnv: values.kongEnv } : {}) },
    postgres: { user: values.user, database: values.database },
    ...(values.upstream ? { upstreams: [{ name: "echo", image: "mccutchen/go-httpbin:v2.15.0", environment: values.upstream }] } : {}),
  };
}

describe("renderComposeProject writes every value literally; only its own ${VAR} references are interpolated", () => {
  it("keeps `$` in PostgreSQL's user and database literal, in the health check too, so no variable (the password) reaches a command", () => {
    const { services, text } = resolvedProject(postgresProject({ user: "app$user", database: "db${KONG_PG_PASSWORD}" }));
    assert.deepEqual(services.postgres?.healthcheck?.test, ["CMD", "pg_isready", "-U", "app$user", "-d", "db${KONG_PG_PASSWORD}"]);
    assert.equal(services.postgres?.environment.POSTGRES_USER, "app$user");
    assert.equal(services.postgres?.environment.POSTGRES_DB, "db${KONG_PG_PASSWORD}");
    for (const service of ["kong", "kong-migrations"]) {
      assert.equal(services[service]?.environment.KONG_PG_USER, "app$user", service);
      assert.equal(services[service]?.environment.KONG_PG_DATABASE, "db${KONG_PG_PASSWORD}", service);
      assert.equal(services[service]?.environment.KONG_PG_PASSWORD, PG_PASSWORD, `${service}: the intended reference is interpolated`);
    }
    assert.equal(services.postgres?.environment.POSTGRES_PASSWORD, PG_PASSWORD);
    assert.equal(text.split(PG_PASSWORD).length - 1, 3, "the password appears only where it is referenced on purpose");
    assert.ok(!text.includes(SHELL.HOME) && !text.includes(SHELL.USER), "nothing else was interpolated");
  });

  it("keeps `$` in every image literal: Kong's, PostgreSQL's, KNEP's", () => {
    const spec: ComposeProjectSpec = {
      ...postgresProject({ user: "kong", database: "kong" }),
      gateway: { plugins: [rateLimit], delivery: PluginDelivery.Mount, database: DatabaseMode.Postgres, instances: [], baseImage: "kong/kong-gateway:3.10${HOME}" },
      postgres: { image: "postgres:16$USER" },
      knep: renderKnepComposeService({ image: "registry.example.com/knep:1.0${USER}", kongAdminUrl: "http://kong:8001", targetType: KnepTargetType.Http, http: { url: "http://sink:8080" } }),
    };
    const { services } = resolvedProject(spec);
    assert.equal(services.kong?.image, "kong/kong-gateway:3.10${HOME}");
    assert.equal(services["kong-migrations"]?.image, "kong/kong-gateway:3.10${HOME}");
    assert.equal(services.postgres?.image, "postgres:16$USER");
    assert.equal(services.knep?.image, "registry.example.com/knep:1.0${USER}");
  });

  it("gives back any text in PostgreSQL's settings, Kong's environment and an upstream's environment, exactly", () => {
    const dollarText = fc.array(fc.constantFrom("$", "$$", "{", "}", "${HOME}", "$USER", ":?", ":-", "a", "-", "\\", "'", '"', " "), { minLength: 1, maxLength: 8 }).map((parts) => parts.join(""));
    fc.assert(
      fc.property(dollarText, dollarText, dollarText, dollarText, (user, database, kongValue, upstreamValue) => {
        const { services } = resolvedProject(postgresProject({ user, database, kongEnv: { KONG_NGINX_HTTP_X: kongValue }, upstream: { GREETING: upstreamValue } }));
        assert.deepEqual(services.postgres?.healthcheck?.test.slice(2), ["-U", user, "-d", database]);
        assert.equal(services.kong?.environment.KONG_PG_USER, user);
        assert.equal(services.kong?.environment.KONG_PG_DATABASE, database);
        assert.equal(services.kong?.environment.KONG_NGINX_HTTP_X, kongValue);
        assert.equal(services.echo?.environment.GREETING, upstreamValue);
      }),
      { numRuns: 12 },
    );
  });
});
