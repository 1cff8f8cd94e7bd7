import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { parse as parseYaml } from "yaml";
import { KongPluginsValidationError, type PluginSpec } from "pulumi-kong-plugins";
import { renderDeclarativePlugin, renderIngressControllerPlugin, renderKongPluginMetadata, renderRockspec, resolvePlugin, resolvePluginInstance } from "pulumi-kong-plugins/render";
import { stableYaml, type JsonValue } from "../../components/core/canonical";

const HANDLER = 'return { PRIORITY = 1, VERSION = "1.0.0", access = function() end }\n';

/** Either `run` succeeds, or it throws the typed error with issues at `allowedPaths` only. */
function rendersOrRejects<T>(run: () => T, allowedPaths: (path: string) => boolean): T | undefined {
  try {
    return run();
  } catch (error) {
    assert.ok(error instanceof KongPluginsValidationError, `untyped error: ${String(error)}`);
    assert.ok(error.issues.length > 0);
    for (const issue of error.issues) assert.ok(allowedPaths(issue.path), `unexpected path ${issue.path}`);
    return undefined;
  }
}

const nameLike = fc.oneof(
  fc.string({ maxLength: 20 }),
  fc.stringMatching(/^[a-z0-9][a-z0-9_-]{0,15}$/),
  fc.constantFrom("rate-limiting", "../x", "A", "a b", "a.b", "ok_name"),
);

describe("property: plugin names and versions", () => {
  it("either render a rockspec and KongPluginMetadata that round-trip the name, or are rejected at `name`/`version`", () => {
    fc.assert(
      fc.property(nameLike, fc.oneof(fc.string({ maxLength: 12 }), fc.tuple(fc.nat(99), fc.nat(99), fc.nat(99)).map((v) => v.join("."))), (name, version) => {
        const spec: PluginSpec = {
          name,
          version,
          source: { files: { "handler.lua": HANDLER.replace('"1.0.0"', JSON.stringify(version)), "schema.lua": `return { name = ${JSON.stringify(name)}, fields = {} }\n` } },
        };
        const plugin = rendersOrRejects(() => resolvePlugin(spec), (path) => path === "name" || path === "version" || path.startsWith("source.files"));
        if (!plugin) return;
        const metadata = parseYaml(stableYaml(renderKongPluginMetadata(plugin)));
        assert.equal(metadata.spec.name, name);
        assert.equal(metadata.spec.version, version);
        const rockspec = renderRockspec(plugin);
        assert.equal(rockspec.fileName, `kong-plugin-${name}-${version}-1.rockspec`);
        assert.ok(rockspec.text.includes(`["kong.plugins.${name}.handler"] = "kong/plugins/${name}/handler.lua"`));
      }),
      { numRuns: 300 },
    );
  });
});

const jsonValue: fc.Arbitrary<JsonValue> = fc.jsonValue() as fc.Arbitrary<JsonValue>;

describe("property: config values", () => {
  const configSchema = {
    type: "object",
    properties: { limit: { type: "integer", minimum: 1 }, label: { type: "string", maxLength: 12 }, extra: {} },
    additionalProperties: false,
  };

  it("either round-trip exactly through every rendered YAML form, or are rejected at `config.*`", () => {
    fc.assert(
      fc.property(fc.record({ limit: jsonValue, label: jsonValue, extra: jsonValue }, { requiredKeys: [] }), fc.dictionary(fc.string({ maxLength: 8 }), jsonValue, { maxKeys: 2 }), (known, unknown) => {
        const config = { ...unknown, ...known } as Record<string, JsonValue>;
        const instance = rendersOrRejects(
          () => resolvePluginInstance({ name: "prop", plugin: "prop-plugin", configSchema, config, service: "svc" }),
          (path) => path.startsWith("config"),
        );
        if (!instance) return;
        const ingress = parseYaml(stableYaml(renderIngressControllerPlugin(instance).resource));
        const declarative = parseYaml(stableYaml(renderDeclarativePlugin(instance).entry));
        assert.deepEqual(ingress.config, config);
        assert.deepEqual(declarative.config, config);
        // YAML 1.1 readers (go-yaml in Kubernetes, PyYAML in docker-compose) see the same values.
        assert.deepEqual(parseYaml(stableYaml(config), { version: "1.1" }), config);
      }),
      { numRuns: 300 },
    );
  });

  it("reject every unknown key and every wrongly typed value, each at its own path", () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1, maxLength: 8 }).filter((k) => !["limit", "label", "extra"].includes(k)), fc.oneof(fc.string(), fc.boolean(), fc.double().filter((d) => !Number.isInteger(d) || d < 1)), (key, limit) => {
        try {
          resolvePluginInstance({ name: "prop", plugin: "prop-plugin", configSchema, config: { [key]: 1, limit: limit as JsonValue } });
          assert.fail("should have been rejected");
        } catch (error) {
          assert.ok(error instanceof KongPluginsValidationError);
          const paths = error.issues.map((i) => i.path);
          const keyPath = /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(key) ? `config.${key}` : `config[${JSON.stringify(key)}]`;
          assert.ok(paths.includes(keyPath), `${keyPath}: ${paths.join(", ")}`);
          assert.ok(paths.includes("config.limit"), paths.join(", "));
        }
      }),
      { numRuns: 200 },
    );
  });
});
