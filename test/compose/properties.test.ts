import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { parse as parseYaml } from "yaml";
import { DatabaseMode, KongPluginsValidationError } from "pulumi-kong-plugins";
import { renderComposeProject, renderDeclarativeConfig, type ComposeProjectSpec } from "pulumi-kong-plugins/render";
import { writeOwnedFolder } from "../../components/core/owned-folder";
import { composeSchemaProblems } from "../helpers/compose";
import { gateway, name } from "../helpers/gateway-arbitrary";
import { tempDir } from "../helpers/paths";
import { runTool } from "../helpers/tools";

// Two-sided property of the compose project: any well-formed project renders a file that the
// compose spec and docker-compose accept, where every value reads back literally (no `$`
// interpolated, no YAML 1.1 surprise) and kong.yaml is exactly the gateway's; a malformed one is
// refused with the typed error and a path, never an exception of another kind.

/** Text a user may put in a value: `$`, `${VAR}`, YAML 1.1 specials, quotes, spaces. */
const text = fc.oneof(fc.string({ maxLength: 20 }), fc.constantFrom("$HOME", "a${HOME}b", "$$", "<<", "=", "~", "null", "yes", "off", "0x1F", "1:20", "it's \"quoted\"", " padded "));
const envName = fc.stringMatching(/^KONG_[A-Z][A-Z0-9_]{0,12}$/).filter((variable) => !["KONG_PLUGINS", "KONG_LUA_PACKAGE_PATH", "KONG_DATABASE", "KONG_DECLARATIVE_CONFIG"].includes(variable) && !variable.startsWith("KONG_PG_"));

const project = fc
  .record({
    gateway,
    kongEnv: fc.dictionary(envName, text, { maxKeys: 3 }),
    postgres: fc.option(fc.record({ user: text.filter((value) => value.trim() !== ""), database: text.filter((value) => value.trim() !== "") }), { nil: undefined }),
    upstreams: fc.uniqueArray(fc.record({ name: name.filter((upstream) => !["kong", "postgres", "kafka", "zookeeper", "knep"].includes(upstream)), image: fc.constantFrom("nginx:1.27", "mccutchen/go-httpbin:v2.15.0"), environment: fc.dictionary(fc.stringMatching(/^[A-Z][A-Z0-9_]{0,8}$/), text, { maxKeys: 2 }) }), { maxLength: 2, selector: (upstream) => upstream.name }),
  })
  .map(({ gateway: spec, kongEnv, postgres, upstreams }): ComposeProjectSpec => ({
    gateway: { ...spec, kongEnv, ...(postgres ? { database: DatabaseMode.Postgres } : {}) },
    ...(postgres ? { postgres } : {}),
    upstreams,
  }));

describe("property: compose project", () => {
  it("a well-formed project renders a file docker-compose accepts, whose values read back literally", () => {
    fc.assert(
      fc.property(project, (spec) => {
        let rendered;
        try {
          rendered = renderComposeProject(spec);
        } catch (error) {
          // A value compose cannot carry literally may be refused, but only with the typed error and a path.
          assert.ok(error instanceof KongPluginsValidationError, String(error));
          for (const issue of error.issues) assert.match(issue.path, /^(gateway\.kongEnv|postgres|upstreams)/, JSON.stringify(issue));
          return;
        }
        const compose = parseYaml(rendered.composeYaml, { version: "1.1" });
        assert.deepEqual(composeSchemaProblems(compose), []);
        const dir = tempDir("compose-property-");
        writeOwnedFolder(dir, rendered.files);
        const secrets = Object.fromEntries(rendered.secretVariables.map((variable) => [variable, "x"]));
        const config = runTool("docker-compose", ["-f", `${dir}/docker-compose.yaml`, "config"], { cwd: dir, env: { PATH: process.env.PATH ?? "", HOME: "/interpolated-home", ...secrets } });
        assert.equal(config.status, 0, config.stderr);
        assert.ok(!config.stdout.includes("/interpolated-home"), "nothing was interpolated");
        // `config` prints a compose file again, with a literal `$` written `$$`.
        const literal = (value: unknown) => String(value).replace(/\$\$/g, "$");
        const resolved = parseYaml(config.stdout) as { services: Record<string, { environment?: Record<string, unknown> }> };
        for (const [variable, value] of Object.entries(spec.gateway.kongEnv ?? {})) assert.equal(literal(resolved.services.kong?.environment?.[variable]), value, variable);
        if (spec.postgres) {
          assert.equal(literal(resolved.services.kong?.environment?.KONG_PG_USER), spec.postgres.user);
          assert.equal(literal(resolved.services.kong?.environment?.KONG_PG_DATABASE), spec.postgres.database);
        }
        for (const upstream of spec.upstreams ?? []) {
          for (const [variable, value] of Object.entries(upstream.environment ?? {})) assert.equal(literal(resolved.services[upstream.name]?.environment?.[variable]), value);
        }
        assert.deepEqual(parseYaml(rendered.kongYaml, { version: "1.1" }), JSON.parse(JSON.stringify(renderDeclarativeConfig(spec.gateway))));
      }),
      { numRuns: 25 },
    );
  });
});
