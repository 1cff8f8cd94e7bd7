// The decK file for a plugin's instances on Konnect: valid against decK's own schema
// (../shared/fixtures/deck/kong_json_schema.json, draft-04), selecting the control plane as decK
// reads it (`_konnect.control_plane_name`), each instance checked by the plugin's schema.lua.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, it } from "node:test";
import AjvDraft04 from "ajv-draft-04";
import fc from "fast-check";
import { parse } from "yaml";
import { stableYaml } from "../../components/core/canonical";
import { renderKonnectDeckFile, resolveKonnectPluginSpec } from "pulumi-kong-plugins/render";
import { sharedFixture } from "../helpers/paths";
import { issuesOf } from "../helpers/tree";
import { KonnectEntityKind, instanceOf, konnectSpec, streamedPlugin } from "./konnect-plugins";

const deckSchema = JSON.parse(readFileSync(sharedFixture("deck/kong_json_schema.json"), "utf8"));
const validateDeck = new AjvDraft04({ allErrors: true, strict: false }).compile(deckSchema);
const plugin = streamedPlugin("deck-headers");

function deckFileOf(controlPlaneName: string, instances: ReturnType<typeof instanceOf>[], kind = KonnectEntityKind.CustomPlugin) {
  const resolved = resolveKonnectPluginSpec(konnectSpec(plugin, { controlPlaneName, instances }), kind);
  return renderKonnectDeckFile(controlPlaneName, resolved.plugin.name, resolved.instances);
}

describe("the decK file of a plugin's instances on Konnect", () => {
  it("is valid for decK, selects the control plane by name, and manages only its own tagged entities", () => {
    const file = deckFileOf("payments-dcg", [
      instanceOf("deck-headers", "everywhere"),
      instanceOf("deck-headers", "orders-only", { service: "orders", config: { header: "x-orders" }, tags: ["team-orders"], protocols: ["https" as never] }),
      instanceOf("deck-headers", "with-secret", { route: "orders-api", secretConfig: { header: "kept-out" } }),
    ]);
    assert.ok(validateDeck(file), JSON.stringify(validateDeck.errors));
    assert.deepEqual(file._konnect, { control_plane_name: "payments-dcg" });
    assert.deepEqual(file._info, { select_tags: ["kong-plugins-deck-headers"] });
    assert.deepEqual(file.plugins, [
      { name: "deck-headers", config: {}, enabled: true },
      { name: "deck-headers", config: { header: "x-orders" }, enabled: true, protocols: ["https"], tags: ["team-orders"], service: "orders" },
      { name: "deck-headers", config: { header: "{vault://env/with-secret-header}" }, enabled: true, route: "orders-api" },
    ]);
    assert.ok(!stableYaml(file).includes("kept-out"), "a secret value is never in the file");
  });

  it("decK's schema refuses what decK would (the check is real)", () => {
    const file = deckFileOf("cp", [instanceOf("deck-headers", "one")]);
    assert.equal(validateDeck({ ...file, _konnect: { control_plane: "cp" } }), false);
    assert.equal(validateDeck({ ...file, plugins: [{ name: "deck-headers", settings: {} }] }), false);
  });

  it("refuses instances the plugin's schema.lua refuses, another plugin's, Gateway API targets, and a missing control plane name", () => {
    const issues = issuesOf(() =>
      resolveKonnectPluginSpec(
        konnectSpec(plugin, {
          instances: [
            instanceOf("deck-headers", "bad-config", { config: { header: 42, extra: true } }),
            instanceOf("other-plugin", "elsewhere"),
            instanceOf("deck-headers", "gateway-api", { targetRef: { group: "gateway.networking.k8s.io", kind: "Gateway", name: "gw" } }),
          ],
        }),
        KonnectEntityKind.CustomPlugin,
      ),
    );
    assert.deepEqual(
      issues.map((issue) => issue.path),
      ["instances[0].config.header", "instances[0].config.extra", "instances[1].plugin", "instances[2].targetRef", "controlPlaneName"],
    );
  });

  it("property: any control plane name and header value renders a file decK accepts that reads back exactly; a non-string header is refused at its path", () => {
    const header = fc.string({ minLength: 1, maxLength: 40 });
    fc.assert(
      fc.property(fc.string({ minLength: 1, maxLength: 60 }).filter((name) => name.trim() !== ""), header, fc.boolean(), (controlPlaneName, value, enabled) => {
        const file = deckFileOf(controlPlaneName, [instanceOf("deck-headers", "prop", { config: { header: value }, enabled })]);
        assert.ok(validateDeck(file), JSON.stringify(validateDeck.errors));
        const read = parse(stableYaml(file), { version: "1.1" }) as { _konnect: { control_plane_name: string }; plugins: { config: { header: string } }[] };
        assert.deepEqual(read, file);
        assert.equal(read._konnect.control_plane_name, controlPlaneName);
        assert.equal(read.plugins[0].config.header, value);
      }),
      { numRuns: 60 },
    );
    fc.assert(
      fc.property(fc.oneof(fc.integer(), fc.boolean(), fc.constant(null), fc.array(fc.string())), (value) => {
        const issues = issuesOf(() => deckFileOf("cp", [instanceOf("deck-headers", "prop", { config: { header: value as never } })]));
        assert.ok(issues.some((issue) => issue.path === "instances[0].config.header"), JSON.stringify(issues));
      }),
      { numRuns: 30 },
    );
  });
});
