// The request bodies and their preview, as properties: any plugin text renders a body the
// OpenAPI contract accepts, whose preview reads back to it with the token masked, and whose
// digest changes exactly when the text does; plugin names Konnect could not take are refused.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { KonnectEntityKind, konnectBodyDigest, konnectRequestBody, konnectRequestPreview, resolveKonnectPluginSpec } from "pulumi-kong-plugins/render";
import { issuesOf } from "../helpers/tree";
import { requestBodyProblems } from "./contract-server";
import { CONTROL_PLANE_ID, handlerLua, konnectSpec, schemaLua } from "./konnect-plugins";

const target = { baseUrl: "https://us.api.konghq.com", controlPlaneId: CONTROL_PLANE_ID };
const OPERATION = { [KonnectEntityKind.CustomPlugin]: "create-custom-plugin", [KonnectEntityKind.PluginSchema]: "create-plugin-schemas" };

describe("Konnect request bodies", () => {
  it("property: any text renders a body the contract accepts; the preview reads back to it; the digest follows the text", () => {
    fc.assert(
      fc.property(fc.string({ unit: "grapheme", maxLength: 200 }), fc.string({ unit: "grapheme", maxLength: 200 }), fc.constantFrom(KonnectEntityKind.CustomPlugin, KonnectEntityKind.PluginSchema), (handler, schema, kind) => {
        const files = [{ path: "handler.lua", content: handler }, { path: "schema.lua", content: schema }];
        const body = konnectRequestBody(kind, { name: "prop-plugin", files });
        assert.equal(requestBodyProblems(OPERATION[kind], body), undefined);
        const preview = JSON.parse(konnectRequestPreview(kind, target, body));
        assert.deepEqual(preview.body, body);
        assert.equal(preview.headers.Authorization, "Bearer [secret]");
        assert.equal(konnectBodyDigest(body), konnectBodyDigest(konnectRequestBody(kind, { name: "prop-plugin", files: [...files].reverse() })));
        const edited = konnectRequestBody(kind, { name: "prop-plugin", files: [{ path: "handler.lua", content: `${handler} ` }, { path: "schema.lua", content: `${schema} ` }] });
        assert.notEqual(konnectBodyDigest(edited), konnectBodyDigest(body));
      }),
      { numRuns: 200 },
    );
  });

  it("property: a plugin name Kong and Konnect take renders; any other is refused at plugin.name", () => {
    const valid = fc.stringMatching(/^[a-z0-9][a-z0-9_-]{0,20}$/).filter((name) => !["bundled"].includes(name));
    const invalid = fc.oneof(fc.stringMatching(/^[A-Z][a-zA-Z]{0,10}$/), fc.stringMatching(/^[a-z]+ [a-z]+$/), fc.stringMatching(/^[a-z]+\/[a-z]+$/), fc.constant(""));
    fc.assert(
      fc.property(valid, (name) => {
        const issues = issuesOf(() => resolveKonnectPluginSpec(konnectSpec({ name, version: "1.0.0", source: { files: { "handler.lua": handlerLua(), "schema.lua": schemaLua(name) } } }), KonnectEntityKind.CustomPlugin));
        // A bundled plugin's name is refused by Kong's own check; every other valid name renders.
        assert.ok(issues.length === 0 || issues.every((issue) => issue.path === "plugin.name" && /bundled/.test(issue.message)), JSON.stringify(issues));
      }),
      { numRuns: 25 },
    );
    fc.assert(
      fc.property(invalid, (name) => {
        const issues = issuesOf(() => resolveKonnectPluginSpec(konnectSpec({ name, version: "1.0.0", source: { files: { "handler.lua": handlerLua(), "schema.lua": schemaLua(name) } } }), KonnectEntityKind.CustomPlugin));
        assert.ok(issues.some((issue) => issue.path === "plugin.name"), JSON.stringify(issues));
      }),
      { numRuns: 25 },
    );
  });
});
