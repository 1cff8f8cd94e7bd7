// The offline preview (`kong-plugins preview`) of examples/konnect: it shows the request bodies
// that would be sent, the token masked, and the decK file; the token given in the stack's config
// is nowhere in the tree; and the committed expectation is exactly what the program renders.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import AjvDraft04 from "ajv-draft-04";
import { parse } from "yaml";
import { repoRoot, sharedFixture, tempDir } from "../helpers/paths";
import { readTree } from "../helpers/tree";
import { TOKEN } from "./konnect-plugins";

const CLI = join(repoRoot, "dist", "cli", "kong-plugins.js");
const preview = (out: string, ...extra: string[]) =>
  spawnSync(process.execPath, [CLI, "preview", "examples/konnect", "--out", out, "--config", `konnectToken=${TOKEN}`, ...extra], { cwd: repoRoot, encoding: "utf8" });

describe("kong-plugins preview of examples/konnect", () => {
  it("renders exactly the committed expectation (--check)", () => {
    const run = preview("examples/konnect/expected", "--check");
    assert.equal(run.status, 0, `${run.stdout}${run.stderr}`);
    assert.match(run.stdout, /is up to date/);
  });

  it("writes each request with the token masked and the decK file, and the token nowhere", () => {
    const out = tempDir("preview-konnect-");
    const run = preview(out);
    assert.equal(run.status, 0, `${run.stdout}${run.stderr}`);
    assert.ok(!`${run.stdout}${run.stderr}`.includes(TOKEN));

    const tree = readTree(out);
    for (const [path, content] of tree) assert.ok(!content.toString("latin1").includes(TOKEN), `${path} holds the token`);
    assert.ok(tree.has("KonnectCustomPlugin/dcg/request.json") && tree.has("KonnectCustomPlugin/dcg/deck.yaml") && tree.has("KonnectPluginSchema/hybrid/request.json"), [...tree.keys()].join("\n"));

    const streamed = JSON.parse(readFileSync(join(out, "KonnectCustomPlugin/dcg/request.json"), "utf8"));
    assert.equal(streamed.method, "POST");
    assert.equal(streamed.url, "https://eu.api.konghq.com/v2/control-planes/9524ec7d-36d9-465d-a8c5-83a3c9390458/core-entities/custom-plugins");
    assert.deepEqual(streamed.headers, { Authorization: "Bearer [secret]", "Content-Type": "application/json" });
    assert.deepEqual(Object.keys(streamed.body).sort(), ["handler", "name", "schema"]);
    assert.equal(streamed.body.name, "rate-limit-example");
    assert.equal(streamed.body.handler, readFileSync(join(repoRoot, "examples/plugins/rate-limit-example/handler.lua"), "utf8"));
    assert.equal(streamed.body.schema, readFileSync(join(repoRoot, "examples/plugins/rate-limit-example/schema.lua"), "utf8"));

    const hybrid = JSON.parse(readFileSync(join(out, "KonnectPluginSchema/hybrid/request.json"), "utf8"));
    assert.equal(hybrid.url, "https://us.api.konghq.com/v2/control-planes/0f6c3a52-7a1e-4a3b-9d55-7d9c2b1e4f10/core-entities/plugin-schemas");
    assert.deepEqual(hybrid.body, { lua_schema: streamed.body.schema });

    const deck = parse(readFileSync(join(out, "KonnectCustomPlugin/dcg/deck.yaml"), "utf8")) as { _konnect: unknown; plugins: unknown };
    const validate = new AjvDraft04({ allErrors: true, strict: false }).compile(JSON.parse(readFileSync(sharedFixture("deck/kong_json_schema.json"), "utf8")));
    assert.ok(validate(deck), JSON.stringify(validate.errors));
    assert.deepEqual(deck._konnect, { control_plane_name: "payments-dcg" });
    assert.deepEqual(deck.plugins, [{ name: "rate-limit-example", config: { limit: 100, period: "minute" }, enabled: true, service: "orders" }]);
    assert.match(readFileSync(join(out, "resources.txt"), "utf8"), /KonnectCustomPlugin/);
  });

  it("fails without the token, saying which config is missing", () => {
    const run = spawnSync(process.execPath, [CLI, "preview", "examples/konnect", "--out", tempDir("preview-konnect-"), "--check"], { cwd: repoRoot, encoding: "utf8" });
    assert.notEqual(run.status, 0);
    assert.match(`${run.stdout}${run.stderr}`, /konnectToken/);
  });
});
