// "Plugins only" for teams that already run Kong from its chart or Kong Operator (issue 15):
// only the plugins' objects and the instances, plus the values or DataPlane patch to add. The
// chart's side is read from Kong/charts charts/kong/templates/_helpers.tpl (commit d2435cdde788):
//   kong.volumes/kong.volumeMounts  plugins.configMaps -> volume kong-plugin-<pluginName>, ConfigMap <name>
//   kong.env   KONG_DECLARATIVE_CONFIG "/kong_dbless/kong.yml" when dblessConfig.configMap is set and
//              ingressController.enabled is false; KONG_PLUGINS from kong.plugins, overridden by env.plugins
//   kong.getRepoTag  image.unifiedRepoTag when set
//   kong.renderEnv   customEnv values: a string as `value`, a map (valueFrom) as is
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { parse } from "yaml";
import { KongConfiguration, KongPluginsValidationError, KubernetesDelivery, PluginDelivery, PluginRetirement, type KubernetesObject } from "pulumi-kong-plugins";
import { knepAdminUrl, renderKnepKubernetes, renderKubernetesManifests, resolvePlugin, resolvePluginInstance, type KubernetesManifestsSpec } from "pulumi-kong-plugins/render";
import { KnepTargetType } from "pulumi-kong-plugins";
import { crdProblems, crdSchema } from "../helpers/crd-schema";
import { builtInProblems } from "../helpers/kubernetes";
import { sharedFixture, testFixture } from "../helpers/paths";
import { rateLimitExample } from "../../examples/quickstart/rate-limit-example";

const rateLimit = resolvePlugin(rateLimitExample());
const dbPlugin = resolvePlugin({ name: "db-plugin", version: "1.0.0", source: { directory: testFixture("plugin/fixtures/db-plugin") } });
const SECRET = "pa55-only-in-the-secret";
const instances = [
  resolvePluginInstance({ name: "limit-orders", plugin: "rate-limit-example", config: { limit: 10 }, service: "orders", namespace: "shop" }),
  resolvePluginInstance({ name: "redis-limit", plugin: "rate-limiting", config: { minute: 5 }, secretConfig: { redis_password: SECRET }, service: "orders" }),
];
const mounted = { plugins: [rateLimit, dbPlugin], delivery: PluginDelivery.Mount, instances, services: [{ name: "orders", url: "http://orders:8080" }] } as const;
const base: KubernetesManifestsSpec = { name: "kong", namespace: "kong", delivery: KubernetesDelivery.ConfigMap, pluginsOnly: true, gateway: mounted };

const GATEWAY_KINDS = ["Namespace", "Deployment", "Service", "ServiceAccount", "ClusterRole", "ClusterRoleBinding", "Role", "RoleBinding", "IngressClass", "NetworkPolicy", "DataPlane", "ControlPlane"];

function objectsOf(spec: KubernetesManifestsSpec) {
  const manifests = renderKubernetesManifests(spec);
  return { manifests, objects: manifests.entries.map((entry) => entry.object), values: parse(manifests.chartValues ?? "null") as Record<string, any> };
}

/** The ConfigMaps Kong's chart mounts for these values, by `kong.volumes`: plugin folders and kong.yml. */
function chartMountedConfigMaps(values: Record<string, any>): string[] {
  const plugins = (values.plugins?.configMaps ?? []) as { name: string; subdirectories?: { name: string }[] }[];
  const dbless = values.ingressController?.enabled === false && values.dblessConfig?.configMap ? [values.dblessConfig.configMap as string] : [];
  return [...plugins.flatMap((entry) => [entry.name, ...(entry.subdirectories ?? []).map((subdirectory) => subdirectory.name)]), ...dbless];
}

describe("pluginsOnly: what a Kong run by its chart or Kong Operator needs for the plugins", () => {
  it("ConfigMap delivery, controller: the plugin ConfigMaps, the KongPlugins and their Secrets, no gateway workload", async () => {
    const { objects, values, manifests } = objectsOf({ ...base, configuration: KongConfiguration.Controller, ingressClass: "edge" });
    assert.deepEqual(objects.filter((object) => GATEWAY_KINDS.includes(object.kind)), []);
    assert.deepEqual([...new Set(objects.map((object) => object.kind))].sort(), ["ConfigMap", "KongPlugin", "Secret"]);
    // The chart mounts exactly the rendered ConfigMaps, and runs its controller with the instances' class.
    assert.deepEqual(chartMountedConfigMaps(values).sort(), objects.filter((object) => object.kind === "ConfigMap").map((object) => object.metadata.name).sort());
    assert.deepEqual(values.ingressController, { enabled: true, ingressClass: "edge" });
    assert.match(manifests.prerequisites[0] as string, /KongPlugin/);
    for (const object of objects.filter((candidate) => candidate.kind !== "KongPlugin")) assert.deepEqual(await builtInProblems(object as never), [], object.metadata.name);
    const kongPlugin = crdSchema(sharedFixture("kong-crds/configuration.konghq.com_kongplugins.yaml"));
    for (const object of objects.filter((candidate) => candidate.kind === "KongPlugin")) assert.deepEqual(crdProblems(kongPlugin, object), [], object.metadata.name);
  });

  it("ConfigMap delivery, declarative: kong.yml where the chart's dblessConfig reads it, the secret config through customEnv from the rendered Secret", () => {
    const { objects, values } = objectsOf(base);
    const kongYml = objects.find((object) => object.kind === "ConfigMap" && object.metadata.name === values.dblessConfig.configMap) as KubernetesObject & { data: Record<string, string> };
    assert.deepEqual(Object.keys(kongYml.data), ["kong.yml"], "kong.env reads /kong_dbless/kong.yml");
    assert.deepEqual(values.ingressController, { enabled: false }, "the chart mounts dblessConfig only with its controller off");
    assert.deepEqual(chartMountedConfigMaps(values).sort(), objects.filter((object) => object.kind === "ConfigMap").map((object) => object.metadata.name).sort());
    // Every vault reference in kong.yml resolves to a variable the chart sets from the rendered Secret.
    const secret = objects.find((object) => object.kind === "Secret") as KubernetesObject & { stringData: Record<string, string> };
    const references = [...kongYml.data["kong.yml"]!.matchAll(/\{vault:\/\/env\/([a-z0-9-]+)\}/g)].map((match) => (match[1] as string).toUpperCase().replace(/-/g, "_"));
    assert.ok(references.length > 0);
    for (const variable of references) {
      assert.deepEqual(values.customEnv[variable], { valueFrom: { secretKeyRef: { name: secret.metadata.name, key: variable } } }, variable);
      assert.equal(secret.stringData[variable], SECRET);
    }
    assert.ok(!JSON.stringify(values).includes(SECRET), "the secret value is only in the Secret");
  });

  it("a disabled plugin stays mounted and leaves KONG_PLUGINS through env.plugins, which the chart's own list would not", () => {
    const { values } = objectsOf({ ...base, configuration: KongConfiguration.Controller, gateway: { ...mounted, instances: [instances[1]!], retirement: { "db-plugin": PluginRetirement.Disabled } } });
    assert.ok(values.plugins.configMaps.some((entry: { pluginName: string }) => entry.pluginName === "db-plugin"), "its files stay mounted");
    assert.equal(values.env.plugins, "bundled,rate-limit-example");
    // Without a disabled plugin the chart's own KONG_PLUGINS is right, and no override is given.
    assert.equal(objectsOf({ ...base, configuration: KongConfiguration.Controller }).values.env, undefined);
  });

  it("image delivery: the image by digest and the image's own KONG_PLUGINS, which the chart's default would hide", () => {
    const image = { name: `registry.example.com/kong@sha256:${"b".repeat(64)}`, kongPlugins: "bundled,db-plugin,rate-limit-example", luaRoot: "/opt/custom", luaPackagePath: "/opt/custom/?.lua;;" };
    const { objects, values } = objectsOf({ ...base, delivery: KubernetesDelivery.Image, configuration: KongConfiguration.Controller, gateway: { ...mounted, delivery: PluginDelivery.Image, image } });
    assert.deepEqual(values.image, { unifiedRepoTag: image.name });
    assert.deepEqual(values.env, { plugins: image.kongPlugins, lua_package_path: image.luaPackagePath });
    assert.ok(!objects.some((object) => object.kind === "ConfigMap"));
  });

  it("operator delivery: the KongPluginInstallations and a DataPlane patch that installs them, valid once merged into a DataPlane", () => {
    const { objects, manifests } = objectsOf({ ...base, delivery: KubernetesDelivery.Operator, pluginImages: { "rate-limit-example": "r/rl:1", "db-plugin": "r/db:1" } });
    assert.deepEqual([...new Set(objects.map((object) => object.kind))].sort(), ["KongPlugin", "KongPluginInstallation", "Secret"]);
    assert.equal(manifests.chartValues, undefined);
    const patch = parse(manifests.dataPlanePatch as string) as { spec: { pluginsToInstall: { name: string; namespace: string }[] } };
    const installations = objects.filter((object) => object.kind === "KongPluginInstallation").map((object) => ({ name: object.metadata.name, namespace: object.metadata.namespace }));
    assert.deepEqual(patch.spec.pluginsToInstall, installations);
    const dataPlane = { apiVersion: "gateway-operator.konghq.com/v1beta1", kind: "DataPlane", metadata: { name: "yours", namespace: "kong" }, spec: { deployment: { podTemplateSpec: { spec: { containers: [{ name: "proxy", image: "kong/kong-gateway:3.10" }] } } }, ...patch.spec } };
    assert.deepEqual(crdProblems(crdSchema(sharedFixture("kong-crds/gateway-operator.konghq.com_dataplanes.yaml"), "v1beta1"), dataPlane), []);
  });

  it("refuses a plugin name the chart cannot mount (its volume kong-plugin-<name> would hold '_')", () => {
    const underscored = resolvePlugin({ ...rateLimitExample(), name: "rate_limit_example", source: { files: { "handler.lua": 'return { PRIORITY = 1, VERSION = "1.0.0", access = function() end }\n', "schema.lua": 'return { name = "rate_limit_example", fields = { { config = { type = "record", fields = {} } } } }\n' } } });
    assert.throws(
      () => renderKubernetesManifests({ ...base, gateway: { ...mounted, plugins: [underscored], instances: [] } }),
      (error: unknown) => error instanceof KongPluginsValidationError && error.issues.some((issue) => issue.path === "gateway.plugins[0].name" && /kong-plugin-<pluginName>/.test(issue.message)),
    );
  });

  it("refuses a KNEP, which needs an Admin API only a rendered Kong gives it", () => {
    const knep = renderKnepKubernetes({ image: "r/knep:1", kongAdminUrl: knepAdminUrl("kong", "kong"), targetType: KnepTargetType.Http, http: { url: "http://sink:8080" } }, { namespace: "kong" });
    assert.throws(
      () => renderKubernetesManifests({ ...base, knep }),
      (error: unknown) => error instanceof KongPluginsValidationError && error.issues.some((issue) => issue.path === "knep" && /pluginsOnly/.test(issue.message)),
    );
  });
});

