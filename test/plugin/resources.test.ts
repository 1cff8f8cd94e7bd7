import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, it } from "node:test";
import AjvDraft04 from "ajv-draft-04";
import { KongPluginsValidationError, type KubernetesObject, type PluginInstanceSpec, type ResolvedPlugin } from "pulumi-kong-plugins";
import { renderDeclarativePlugin, renderIngressControllerPlugin, renderKongPluginMetadata, renderOperatorKongPlugin, renderPluginCrds, resolvePlugin, resolvePluginInstance } from "pulumi-kong-plugins/render";
import { crdProblems, crdSchema } from "../helpers/crd-schema";
import { builtInProblems } from "../helpers/kubernetes";
import { sharedFixture } from "../helpers/paths";
import { demoRateLimit, rateLimitExample } from "../../examples/quickstart/rate-limit-example";

const plugin: ResolvedPlugin = resolvePlugin(rateLimitExample());
const instance = (spec: Partial<PluginInstanceSpec> = {}) =>
  resolvePluginInstance({ ...demoRateLimit, targetRef: undefined, plugin: plugin.name, pluginSubsystems: plugin.subsystems, configSchema: plugin.configSchema, ...spec } as PluginInstanceSpec);

const [metadataCrd, operatorPluginCrd] = renderPluginCrds();
const kicPluginSchema = crdSchema(sharedFixture("kong-crds/configuration.konghq.com_kongplugins.yaml"));
const kicClusterPluginSchema = crdSchema(sharedFixture("kong-crds/configuration.konghq.com_kongclusterplugins.yaml"));

describe("operator resources (seed 000)", () => {
  it("authors CRDs that are valid CustomResourceDefinitions with no unknown fields", async () => {
    for (const crd of renderPluginCrds()) assert.deepEqual(await builtInProblems(crd), [], crd.metadata.name);
    assert.deepEqual(renderPluginCrds().map((crd) => crd.metadata.name), ["kongpluginmetadatas.gateway.konghq.com", "kongplugins.gateway.konghq.com"]);
  });

  it("renders the seed's KongPluginMetadata and KongPlugin, valid against those CRDs", () => {
    const metadata = renderKongPluginMetadata(plugin, { namespace: "kong" });
    assert.deepEqual(crdProblems(crdSchema(metadataCrd as never), metadata), []);
    assert.deepEqual(metadata.spec, { name: "rate-limit-example", version: "1.0.0", type: "http", configSchema: plugin.configSchema });

    const kongPlugin = renderOperatorKongPlugin(resolvePluginInstance({ ...demoRateLimit, plugin: plugin.name }), metadata.metadata.name);
    assert.deepEqual(crdProblems(crdSchema(operatorPluginCrd as never), kongPlugin), []);
    assert.deepEqual(kongPlugin.spec, {
      pluginRef: "rate-limit-example",
      config: { limit: 100, period: "minute" },
      targetRef: { group: "gateway.networking.k8s.io", kind: "Gateway", name: "kong-gateway", namespace: "kong" },
    });
  });

  it("the authored CRDs reject what the operator could not use", () => {
    const metadataSchema = crdSchema(metadataCrd as never);
    const bad = { apiVersion: "gateway.konghq.com/v1alpha1", kind: "KongPluginMetadata", metadata: { name: "x" }, spec: { name: "Bad/Name", version: "1.x", type: "grpc", extra: 1 } };
    const problems = crdProblems(metadataSchema, bad);
    for (const expected of ["/spec/name", "/spec/version", "/spec/type", "/spec/extra"]) assert.ok(problems.some((p) => p.startsWith(expected)), `${expected} in ${problems.join("; ")}`);
    assert.ok(crdProblems(crdSchema(operatorPluginCrd as never), { apiVersion: "x", kind: "KongPlugin", metadata: {}, spec: { pluginRef: "a" } }).some((p) => /targetRef/.test(p)));
  });

  it("refuses to render the operator's KongPlugin without a targetRef", () => {
    assert.throws(() => renderOperatorKongPlugin(instance(), "rate-limit-example"), (error: unknown) => error instanceof KongPluginsValidationError && error.issues[0]?.path === "targetRef");
  });
});

describe("Ingress Controller resources", () => {
  it("renders a service-scoped instance as a KongPlugin valid against Kong's CRD, with the attach annotation", () => {
    const rendered = renderIngressControllerPlugin(instance({ service: "orders", instanceName: "orders-limit", protocols: ["https" as never], tags: ["team-a"], ordering: { before: { access: ["key-auth"] } } }));
    assert.deepEqual(crdProblems(kicPluginSchema, rendered.resource), []);
    assert.equal(rendered.resource.kind, "KongPlugin");
    assert.equal(rendered.resource.metadata.namespace, "kong");
    assert.deepEqual(rendered.resource.config, { limit: 100, period: "minute" });
    assert.deepEqual(rendered.annotations, { "konghq.com/plugins": "demo-rate-limit" });
    assert.equal(rendered.secret, undefined);
  });

  it("renders a global instance as a KongClusterPlugin labelled global", () => {
    const rendered = renderIngressControllerPlugin(instance());
    assert.deepEqual(crdProblems(kicClusterPluginSchema, rendered.resource), []);
    assert.equal(rendered.resource.kind, "KongClusterPlugin");
    assert.equal(rendered.resource.metadata.labels?.global, "true");
    assert.equal(rendered.resource.metadata.namespace, undefined, "cluster-scoped objects have no namespace");
  });

  it("moves secret config to a Secret read through configFrom, never both config and configFrom (the CRD's CEL rule)", async () => {
    for (const clusterWide of [false, true]) {
      const rendered = renderIngressControllerPlugin(instance({ service: "orders", clusterWide, config: { limit: 5 }, secretConfig: { period: "hour" } }));
      const { resource, secret } = rendered;
      assert.deepEqual(crdProblems(clusterWide ? kicClusterPluginSchema : kicPluginSchema, resource), []);
      assert.ok(!("config" in resource) && "configFrom" in resource, "config xor configFrom");
      assert.ok(!("configPatches" in resource), "configFrom xor configPatches");
      assert.deepEqual((resource.configFrom as { secretKeyRef: object }).secretKeyRef, { name: "demo-rate-limit-config", key: "config", ...(clusterWide ? { namespace: "kong" } : {}) });
      assert.ok(secret);
      assert.deepEqual(await builtInProblems(secret as never), []);
      assert.equal(secret.metadata.labels?.["konghq.com/secret"], "true");
      assert.deepEqual(JSON.parse((secret.stringData as Record<string, string>).config as string), { limit: 5, period: "hour" });
      assert.ok(!JSON.stringify(resource).includes("hour"), "the secret value is only in the Secret");
    }
  });

  it("puts the controller's class on every KongClusterPlugin and none on KongPlugins, as KIC filters them (zz_generated_controllers.go KongClusterPlugin reconciler: MatchesIngressClass on kubernetes.io/ingress.class, default \"kong\")", () => {
    const annotationsOf = (resource: KubernetesObject) => resource.metadata.annotations;
    const global = renderIngressControllerPlugin(instance()).resource;
    const attached = renderIngressControllerPlugin(instance({ service: "orders", clusterWide: true }), { ingressClass: "internal" }).resource;
    const namespaced = renderIngressControllerPlugin(instance({ service: "orders" }), { ingressClass: "internal" }).resource;
    assert.deepEqual(annotationsOf(global), { "kubernetes.io/ingress.class": "kong" });
    // A KongClusterPlugin attached by annotation is dropped from the controller's cache too when its class differs.
    assert.deepEqual(annotationsOf(attached), { "kubernetes.io/ingress.class": "internal" });
    // The KongPlugin reconciler watches every KongPlugin: it is reached through konghq.com/plugins only.
    assert.equal(annotationsOf(namespaced), undefined);
    for (const resource of [global, attached]) assert.deepEqual(crdProblems(kicClusterPluginSchema, resource), []);
    assert.deepEqual(crdProblems(kicPluginSchema, namespaced), []);
  });

  it("narrows a service plugin to a consumer with consumerRef, and renders disabled instances", () => {
    const { resource } = renderIngressControllerPlugin(instance({ service: "orders", consumer: "alice", enabled: false }));
    assert.equal(resource.consumerRef, "alice");
    assert.equal(resource.disabled, true);
    assert.deepEqual(crdProblems(kicPluginSchema, resource), []);
  });
});

describe("declarative kong.yaml entries", () => {
  const deckSchema = JSON.parse(readFileSync(sharedFixture("deck/kong_json_schema.json"), "utf8"));
  const validate = new AjvDraft04({ allErrors: true, strict: false }).compile(deckSchema);

  it("are valid plugin entries of decK's schema, with secrets as env vault references", () => {
    const scoped = renderDeclarativePlugin(instance({ service: "orders", route: "orders-api", consumer: "alice", instanceName: "limit", tags: ["a"], protocols: ["http" as never], config: { limit: 100 }, secretConfig: { period: "hour" } }));
    const global = renderDeclarativePlugin(instance({ enabled: false }));
    const document = { _format_version: "3.0", plugins: [scoped.entry, global.entry] };
    assert.ok(validate(document), JSON.stringify(validate.errors));
    assert.deepEqual(scoped.entry.config, { limit: 100, period: "{vault://env/demo-rate-limit-period}" });
    assert.deepEqual(scoped.secretEnvironment, { DEMO_RATE_LIMIT_PERIOD: "hour" });
    assert.equal(global.entry.enabled, false);
    assert.equal(scoped.entry.service, "orders");
  });

  it("decK's schema rejects an entry with a field Kong does not have (the check is real)", () => {
    assert.equal(validate({ _format_version: "3.0", plugins: [{ ...renderDeclarativePlugin(instance()).entry, scope: "global" }] }), false);
  });
});
