// KonnectCustomPlugin and KonnectPluginSchema under Pulumi's mocks: the token arrives at the
// provider as a secret, is kept secret in the state, and appears in no output, preview or error.
import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import * as pulumi from "@pulumi/pulumi";
import { parse } from "yaml";
import { KonnectCustomPlugin, KonnectPluginSchema, KonnectRegion, PluginInstance, PluginMetadata } from "pulumi-kong-plugins";
import { konnectRequestPreview, resolveKonnectPluginSpec } from "pulumi-kong-plugins/render";
import { collectArtifacts } from "../../components/core/artifacts";
import { installMocks, recordRegistrations, settled, valueOf, type RegisteredResource } from "../helpers/pulumi-mocks";
import { runProgramUnderMocks } from "../helpers/program";
import { CONTROL_PLANE_ID, KonnectEntityKind, TOKEN, konnectSpec, streamedPlugin } from "./konnect-plugins";

const SECRET_SIG_KEY = "4dabf18193072939515e22adb298388d";
const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";
let registered: RegisteredResource[];
before(() => {
  registered = installMocks();
});

const outputsOf = (component: KonnectCustomPlugin | KonnectPluginSchema): pulumi.Output<unknown>[] => [component.konnectId, component.pluginName, component.requestBody, component.requestPreview, component.digest, component.deckFile];

describe("KonnectCustomPlugin under mocks", () => {
  it("hands the provider the token as a secret, keeps it secret in the state, and shows it in no output or preview", async () => {
    const reports = collectArtifacts();
    const registrations = recordRegistrations();
    const metadata = new PluginMetadata("streamed", streamedPlugin());
    const instance = new PluginInstance("streamed-everywhere", { plugin: metadata.definition, config: { header: "x-konnect" } });
    const component = new KonnectCustomPlugin("dcg", {
      plugin: metadata.definition,
      controlPlaneId: CONTROL_PLANE_ID,
      region: KonnectRegion.Eu,
      token: pulumi.secret(TOKEN),
      controlPlaneName: "payments-dcg",
      instances: [instance.definition],
    });
    const values = await Promise.all(outputsOf(component).map(valueOf));
    await settled(registered);
    await settled(registrations);

    const entity = registered.find((resource) => resource.name === "dcg-custom-plugin");
    assert.equal(entity?.type, "pulumi-nodejs:dynamic:Resource");
    assert.deepEqual(entity?.inputs.token, { [SECRET_SIG_KEY]: SECRET_SIG, value: TOKEN }, "the token reaches the engine as a secret");
    assert.deepEqual(registrations.find((registration) => registration.name === "dcg-custom-plugin")?.additionalSecretOutputs, ["token"], "and stays one in the state");
    const { token: _token, ...publicInputs } = entity?.inputs ?? {};
    assert.ok(!JSON.stringify(publicInputs).includes(TOKEN), "no other input of the state holds it (the provider's code included)");

    for (const value of values) assert.ok(!JSON.stringify(value ?? null).includes(TOKEN));
    for (const output of [component.requestPreview, component.deckFile, component.requestBody] as pulumi.Output<unknown>[]) assert.equal(await pulumi.isSecret(output), false, "what is shown stays public");
    const [, pluginName, requestBody, requestPreview, digest, deckFile] = values as [string, string, Record<string, string>, string, string, string];
    assert.equal(pluginName, "streaming-headers");
    assert.deepEqual(Object.keys(requestBody).sort(), ["handler", "name", "schema"]);
    const resolved = resolveKonnectPluginSpec(konnectSpec(streamedPlugin(), { region: KonnectRegion.Eu }), KonnectEntityKind.CustomPlugin);
    assert.equal(requestPreview, konnectRequestPreview(KonnectEntityKind.CustomPlugin, resolved.target, resolved.body), "the pure render");
    assert.equal(digest, resolved.digest);
    assert.match(requestPreview, /"Authorization": "Bearer \[secret\]"/);
    assert.match(requestPreview, /"url": "https:\/\/eu\.api\.konghq\.com\/v2\/control-planes\/9524ec7d-36d9-465d-a8c5-83a3c9390458\/core-entities\/custom-plugins"/);
    assert.deepEqual(parse(deckFile).plugins, [{ name: "streaming-headers", config: { header: "x-konnect" }, enabled: true }]);

    const report = reports.find((entry) => entry.type === "kong-plugins:index:KonnectCustomPlugin" && entry.name === "dcg");
    const files = (await valueOf(pulumi.output(report?.files))) as Record<string, string>;
    assert.deepEqual(Object.keys(files).sort(), ["deck.yaml", "request.json"]);
    assert.equal(files["request.json"], requestPreview);
    assert.equal(files["deck.yaml"], deckFile);
    assert.ok(!JSON.stringify(files).includes(TOKEN));
  });

  it("makes a token given in plain text a secret all the same", async () => {
    const component = new KonnectCustomPlugin("plain-token", { plugin: streamedPlugin("plain-token-plugin"), controlPlaneId: CONTROL_PLANE_ID, token: TOKEN });
    await valueOf(component.digest);
    await settled(registered);
    assert.deepEqual(registered.find((resource) => resource.name === "plain-token-custom-plugin")?.inputs.token, { [SECRET_SIG_KEY]: SECRET_SIG, value: TOKEN });
    assert.equal(await pulumi.isSecret(component.requestPreview), false);
  });
});

describe("KonnectPluginSchema under mocks", () => {
  it("sends schema.lua only, to plugin-schemas, with the token secret", async () => {
    const component = new KonnectPluginSchema("hybrid", { plugin: streamedPlugin("hybrid-plugin"), controlPlaneId: CONTROL_PLANE_ID, token: pulumi.secret(TOKEN) });
    const [body, preview, deckFile] = await Promise.all([valueOf(component.requestBody), valueOf(component.requestPreview), valueOf(component.deckFile)]);
    await settled(registered);
    assert.deepEqual(Object.keys(body), ["lua_schema"]);
    assert.match(preview, /\/core-entities\/plugin-schemas"/);
    assert.equal(deckFile, undefined, "no decK file without a control plane name");
    assert.deepEqual(registered.find((resource) => resource.name === "hybrid-plugin-schema")?.inputs.token, { [SECRET_SIG_KEY]: SECRET_SIG, value: TOKEN });
    assert.ok(!preview.includes(TOKEN));
  });
});

describe("Konnect components' errors", () => {
  it("name every problem with its path and never show the token, even where it was given by mistake", () => {
    const run = runProgramUnderMocks(`
      const handler = 'local H = { PRIORITY = 1, VERSION = "1.0.0" }\\nfunction H:init_worker() end\\nfunction H:access() end\\nreturn H\\n';
      const schema = 'return { name = "refused", fields = { { config = { type = "record", fields = {} } } } }\\n';
      const token = pulumi.secret(${JSON.stringify(TOKEN)});
      new kp.KonnectCustomPlugin("refused", { plugin: { name: "refused", version: "1.0.0", source: { files: { "handler.lua": handler, "schema.lua": schema } } }, controlPlaneId: token, token });
    `);
    assert.equal(run.status, 1);
    const error = run.errors.find((found) => found.issues !== undefined);
    assert.ok(error, JSON.stringify(run.errors));
    assert.deepEqual(error.issues?.map((issue) => issue.path), ["controlPlaneId", 'plugin.source.files["handler.lua"]']);
    assert.equal(error.issues?.[0]?.received, "[secret]");
    assert.match(error.message, /Konnect: a custom plugin cannot run in the init_worker phase/);
    assert.ok(!JSON.stringify(run.errors).includes(TOKEN));
  });
});
