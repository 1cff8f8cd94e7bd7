import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, it } from "node:test";
import AjvDraft04 from "ajv-draft-04";
import fc from "fast-check";
import { parse as parseYaml } from "yaml";
import { KongPluginsValidationError, type KongServiceSpec } from "pulumi-kong-plugins";
import { checkGateway, renderDeclarativeConfig, resolvePluginInstance } from "pulumi-kong-plugins/render";
import { stableYaml } from "../../components/core/canonical";
import { gateway } from "../helpers/gateway-arbitrary";
import { sharedFixture } from "../helpers/paths";

// Two-sided property of the declarative configuration: a well-formed gateway always renders a
// kong.yaml that decK's schema accepts and that reads back to exactly what was given; a gateway
// broken in one known way is refused with the path of what is wrong, and nothing else is.

const deck = new AjvDraft04({ allErrors: true, strict: false }).compile(JSON.parse(readFileSync(sharedFixture("deck/kong_json_schema.json"), "utf8")));

describe("property: kong.yaml", () => {
  it("a well-formed gateway renders a kong.yaml that decK's schema accepts and that reads back exactly", () => {
    fc.assert(
      fc.property(gateway, (spec) => {
        checkGateway(spec);
        const config = renderDeclarativeConfig(spec);
        const read = parseYaml(stableYaml(config), { version: "1.1" }) as { services?: unknown[] };
        assert.deepEqual(read, JSON.parse(JSON.stringify(config)), "the YAML reads back as rendered");
        assert.ok(deck(read), JSON.stringify(deck.errors));
        const services = (read.services ?? []) as { name: string; url: string; routes?: { name: string; paths: string[]; strip_path: boolean }[] }[];
        assert.deepEqual(services.map((service) => [service.name, service.url]), (spec.services ?? []).map((service) => [service.name, service.url]));
        for (const [index, service] of (spec.services ?? []).entries()) {
          assert.deepEqual((services[index]?.routes ?? []).map((route) => [route.name, route.paths, route.strip_path]), (service.routes ?? []).map((route) => [route.name, route.paths, route.stripPath]));
        }
        const rendered = JSON.stringify(read);
        for (const instance of spec.instances) assert.ok(rendered.includes(JSON.stringify(instance.config)), `${instance.name}'s config is in kong.yaml as given`);
      }),
      { numRuns: 200 },
    );
  });

  it("a gateway broken in one known way is refused, naming the path of what is wrong", () => {
    const broken = gateway.chain((spec) =>
      fc.constantFrom(
        { spec: { ...spec, services: [...(spec.services ?? []), { ...(spec.services ?? [])[0] } as KongServiceSpec] }, path: `services[${spec.services?.length ?? 0}].name` },
        { spec: { ...spec, instances: [...spec.instances, resolvePluginInstance({ name: "orphan", plugin: "rate-limit-example", config: { limit: 1 }, service: "no-such-service" })] }, path: `instances[${spec.instances.length}].service` },
        { spec: { ...spec, instances: [...spec.instances, resolvePluginInstance({ name: "ghost", plugin: "not-enabled", config: {}, consumer: "no-such-consumer" })] }, path: `instances[${spec.instances.length}].plugin` },
      ),
    );
    fc.assert(
      fc.property(broken, ({ spec, path: expected }) => {
        assert.throws(
          () => checkGateway(spec),
          (error: unknown) => error instanceof KongPluginsValidationError && error.issues.some((issue) => issue.path === expected),
        );
      }),
      { numRuns: 200 },
    );
  });
});
