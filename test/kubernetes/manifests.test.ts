import assert from "node:assert/strict";
import { generateKeyPairSync } from "node:crypto";
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { describe, it } from "node:test";
import { parseAllDocuments } from "yaml";
import { CONFIG_CHECKSUM_ANNOTATION, KONG_DEFAULT_LUA_PATH, knepAdminUrl, PLUGINS_CHECKSUM_ANNOTATION, renderKnepKubernetes, renderKubernetesManifests, renderKubernetesSecrets, renderPluginCrds, resolvePlugin, resolvePluginInstance, type KubernetesManifestsSpec } from "pulumi-kong-plugins/render";
import { DatabaseMode, KnepTargetType, KongConfiguration, KongPluginsValidationError, KubernetesDelivery, PluginDelivery, type KubernetesObject, type ResolvedPlugin } from "pulumi-kong-plugins";
import { manifestKeys } from "../../components/kubernetes/manifest-keys";
import { pluginSubfolders } from "../../components/kubernetes/plugin-configmaps";
import { writeOwnedFolder } from "../../components/core/owned-folder";
import { crdProblems, crdSchema } from "../helpers/crd-schema";
import { luajitSearchPath } from "../helpers/container-fs";
import { builtInProblems } from "../helpers/kubernetes";
import { CONTROLPLANE_V2BETA1_SCHEMA, controlPlaneRuleProblems } from "../helpers/controlplane-schema";
import { sharedFixture, tempDir } from "../helpers/paths";
import { mustRun } from "../helpers/tools";
import { rateLimitExample } from "../../examples/quickstart/rate-limit-example";

const rateLimit = resolvePlugin(rateLimitExample());
/** A plugin with a module in a subfolder, which gets a ConfigMap of its own. */
const nested = resolvePlugin({
  name: "nested-plugin",
  version: "1.0.0",
  source: {
    files: {
      "handler.lua": 'local util = require "kong.plugins.nested-plugin.lib.util"\nreturn { PRIORITY = 5, VERSION = "1.0.0", access = function() util.touch() end }\n',
      "schema.lua": 'return { name = "nested-plugin", fields = { { config = { type = "record", fields = {} } } } }\n',
      "lib/util.lua": "return { touch = function() end }\n",
    },
  },
});
const SECRET = "redis-pa55-never-in-yaml";

const instances = [
  resolvePluginInstance({ name: "limit-orders", plugin: "rate-limit-example", config: { limit: 10 }, service: "orders" }),
  resolvePluginInstance({ name: "limit-all", plugin: "rate-limit-example", config: { limit: 1000, period: "hour" }, targetRef: { group: "gateway.networking.k8s.io", kind: "Gateway", name: "kong" } }),
  resolvePluginInstance({ name: "redis-limit", plugin: "rate-limiting", config: { minute: 5 }, secretConfig: { redis_password: SECRET }, route: "orders-api" }),
];
const entities = { services: [{ name: "orders", url: "http://orders:8080", routes: [{ name: "orders-api", paths: ["/orders"] }] }] };
const imageName = `registry.example.com/kong-custom@sha256:${"c".repeat(64)}`;
const signerKey = generateKeyPairSync("ec", { namedCurve: "P-256" }).publicKey.export({ format: "pem", type: "spki" }).toString();
const artifactOf = (plugin: ResolvedPlugin) => ({ reference: `registry.example.com/plugins/${plugin.name}@sha256:${"d".repeat(64)}`, publicKey: signerKey, pluginDigest: plugin.digest });

function variants(): Record<string, KubernetesManifestsSpec> {
  const mounted = { plugins: [rateLimit, nested], delivery: PluginDelivery.Mount, instances, ...entities };
  return {
    "configMap, declarative": { delivery: KubernetesDelivery.ConfigMap, gateway: mounted },
    "configMap, controller, seed resources": { delivery: KubernetesDelivery.ConfigMap, configuration: KongConfiguration.Controller, seedResources: true, gateway: mounted },
    "configMap, declarative, KNEP": {
      delivery: KubernetesDelivery.ConfigMap,
      gateway: mounted,
      knep: renderKnepKubernetes({ image: "registry.example.com/knep:1.0.0", kongAdminUrl: knepAdminUrl("kong", "kong"), targetType: KnepTargetType.Http, http: { url: "http://sink:8080" } }, { namespace: "kong" }),
    },
    "artifact, declarative": {
      delivery: KubernetesDelivery.Artifact,
      gateway: mounted,
      artifactInstall: {
        artifacts: { "rate-limit-example": artifactOf(rateLimit), "nested-plugin": artifactOf(nested) },
        installerImage: `node:20-alpine@sha256:${"e".repeat(64)}`,
        registrySecret: "registry-credentials",
      },
    },
    "image, declarative": {
      delivery: KubernetesDelivery.Image,
      gateway: { ...mounted, delivery: PluginDelivery.Image, image: { name: imageName, kongPlugins: "bundled,nested-plugin,rate-limit-example", luaRoot: "/usr/local/share/lua/5.1" } },
    },
    operator: {
      delivery: KubernetesDelivery.Operator,
      gateway: mounted,
      pluginImages: { "rate-limit-example": "registry.example.com/rate-limit-example:1.0.0", "nested-plugin": "registry.example.com/nested-plugin:1.0.0" },
      imagePullSecret: "registry-credentials",
    },
  };
}

const crdFixture = (file: string, version?: string) => crdSchema(sharedFixture(`kong-crds/${file}`), version);
const schemas: Record<string, Record<string, unknown>> = {
  "configuration.konghq.com/v1/KongPlugin": crdFixture("configuration.konghq.com_kongplugins.yaml"),
  "configuration.konghq.com/v1/KongClusterPlugin": crdFixture("configuration.konghq.com_kongclusterplugins.yaml"),
  "gateway-operator.konghq.com/v1alpha1/KongPluginInstallation": crdFixture("gateway-operator.konghq.com_kongplugininstallations.yaml"),
  "gateway-operator.konghq.com/v1beta1/DataPlane": crdFixture("gateway-operator.konghq.com_dataplanes.yaml", "v1beta1"),
  "gateway.konghq.com/v1alpha1/KongPluginMetadata": crdSchema(renderPluginCrds()[0] as never),
  "gateway.konghq.com/v1alpha1/KongPlugin": crdSchema(renderPluginCrds()[1] as never),
  "gateway-operator.konghq.com/v2beta1/ControlPlane": CONTROLPLANE_V2BETA1_SCHEMA as never,
};
const BUILT_IN = new Set(["v1", "apps/v1", "apiextensions.k8s.io/v1", "networking.k8s.io/v1", "rbac.authorization.k8s.io/v1"]);

describe("renderKubernetesManifests", () => {
  for (const [label, spec] of Object.entries(variants())) {
    it(`${label}: every object passes its schema (kubernetes-models, field maps, CRDs) and kubectl kustomize builds the folder`, async () => {
      const manifests = renderKubernetesManifests(spec);
      for (const { object } of manifests.entries) {
        const where = `${object.kind}/${object.metadata.name}`;
        if (BUILT_IN.has(object.apiVersion)) {
          assert.deepEqual(await builtInProblems(object as never), [], where);
        } else {
          const schema = schemas[`${object.apiVersion}/${object.kind}`];
          assert.ok(schema, `no schema for ${object.apiVersion} ${object.kind}`);
          assert.deepEqual(crdProblems(schema, object), [], where);
          if (object.kind === "ControlPlane") assert.deepEqual(controlPlaneRuleProblems(object as never), [], where);
        }
      }
      const dir = tempDir("kustomize-");
      writeOwnedFolder(dir, manifests.files);
      const built = parseAllDocuments(mustRun("kubectl", ["kustomize", dir])).map((document) => document.toJSON());
      assert.equal(built.length, manifests.entries.length);
    });

    it(`${label}: renders its Secrets alone exactly as among everything (a stack renders them again with their values)`, () => {
      const secrets = renderKubernetesSecrets(spec);
      assert.deepEqual(secrets, renderKubernetesManifests(spec).entries.filter((entry) => entry.object.kind === "Secret"));
      assert.ok(secrets.every((entry) => entry.object.kind === "Secret"));
    });

    it(`${label}: has exactly the keys a component registers for its shape, CRDs and Namespace first`, () => {
      const manifests = renderKubernetesManifests(spec);
      const shape = {
        delivery: spec.delivery,
        configuration: spec.configuration ?? (spec.delivery === KubernetesDelivery.Operator ? KongConfiguration.Controller : KongConfiguration.Declarative),
        seedResources: spec.seedResources ?? false,
        createNamespace: true,
        pluginCount: spec.delivery === KubernetesDelivery.Image ? 0 : spec.gateway.plugins.length,
        pluginSubfolders: spec.gateway.plugins.map((plugin) => pluginSubfolders(plugin.files)),
        instances: spec.gateway.instances.map((i) => ({ hasSecrets: Object.keys(i.secretConfig).length > 0, targetsGateway: i.targetRef !== undefined, ingressControllerKind: (i.scope === "scoped" && !i.clusterWide ? "KongPlugin" : "KongClusterPlugin") as "KongPlugin" | "KongClusterPlugin" })),
        ...(spec.knep ? { knep: { hasSecret: spec.knep.secret !== undefined } } : {}),
      };
      assert.deepEqual(manifests.entries.map((e) => [e.key, e.object.kind]), manifestKeys(shape).map((k) => [k.key, k.kind]));
      const kinds = manifests.entries.map((e) => e.object.kind);
      const firstOther = kinds.findIndex((kind) => kind !== "CustomResourceDefinition" && kind !== "Namespace");
      assert.ok(kinds.slice(firstOther).every((kind) => kind !== "CustomResourceDefinition" && kind !== "Namespace"));
    });
  }

  it("the variants hold every kind of Secret the Secrets-alone render must give: kong.yaml's vault values and an instance's config", () => {
    const keys = Object.values(variants()).flatMap((spec) => renderKubernetesSecrets(spec).map((entry) => entry.key.split(":")[0]));
    assert.ok(keys.includes("plugin-secrets") && keys.includes("instance-secret"), keys.join(", "));
  });

  it("configMap: mounts each plugin read-only at /opt/kong/plugins/<name>, and luajit finds every module over the rendered Lua path", () => {
    const manifests = renderKubernetesManifests(variants()["configMap, declarative"] as KubernetesManifestsSpec);
    const byKey = new Map(manifests.entries.map((e) => [e.key, e.object]));
    const pod = podSpec(byKey.get("deployment") as KubernetesObject);
    const proxy = pod.containers[0];
    const env = Object.fromEntries(proxy.env.filter((e: { value?: string }) => e.value !== undefined).map((e: { name: string; value: string }) => [e.name, e.value]));
    assert.equal(env.KONG_LUA_PACKAGE_PATH, "/opt/?.lua;/opt/?/init.lua;;");
    assert.equal(env.KONG_PLUGINS, "bundled,nested-plugin,rate-limit-example");
    // Lay the ConfigMap volumes out as the kubelet does (each key a file in the mount) under a temp root.
    const root = tempDir("pod-root-");
    for (const mount of proxy.volumeMounts) {
      const volume = pod.volumes.find((v: { name: string }) => v.name === mount.name);
      if (!volume.configMap || mount.mountPath === "/kong_dbless") continue;
      assert.equal(mount.readOnly, true);
      const data = (manifests.entries.find((e) => e.object.kind === "ConfigMap" && e.object.metadata.name === volume.configMap.name)?.object.data ?? {}) as Record<string, string>;
      assert.equal(volume.configMap.items, undefined, "every key is a file name: no items");
      for (const [key, content] of Object.entries(data)) {
        const path = join(root, mount.mountPath, key);
        mkdirSync(dirname(path), { recursive: true });
        writeFileSync(path, content);
      }
    }
    for (const module of ["rate-limit-example.handler", "rate-limit-example.schema", "nested-plugin.handler", "nested-plugin.lib.util"]) {
      const found = luajitSearchPath(`kong.plugins.${module}`, env.KONG_LUA_PACKAGE_PATH as string, root);
      assert.equal(found, join(root, `/opt/kong/plugins/${module.replace(".", "/").replace(/\./g, "/")}.lua`), module);
    }
  });

  it("image: Kong's default Lua path finds the plugins where the image put them, as the real luajit resolves it", async () => {
    const spec = variants()["image, declarative"] as KubernetesManifestsSpec;
    const proxy = podSpec(renderKubernetesManifests(spec).entries.find((e) => e.key === "deployment")?.object as KubernetesObject).containers[0];
    assert.equal(proxy.env.find((e: { name: string }) => e.name === "KONG_LUA_PACKAGE_PATH"), undefined, "Kong's own Lua root needs no path");
    // The image's layout, as the GatewayImage's Dockerfile COPYs it.
    const root = tempDir("image-root-");
    for (const plugin of [rateLimit, nested]) {
      for (const file of plugin.files) {
        const path = join(root, "/usr/local/share/lua/5.1/kong/plugins", plugin.name, file.path);
        mkdirSync(dirname(path), { recursive: true });
        writeFileSync(path, file.content);
      }
    }
    for (const module of ["rate-limit-example.handler", "nested-plugin.lib.util"]) {
      assert.ok(luajitSearchPath(`kong.plugins.${module}`, KONG_DEFAULT_LUA_PATH.join(";"), root), module);
    }
  });

  it("image: runs the image by digest, with nothing mounted but kong.yaml", () => {
    const manifests = renderKubernetesManifests(variants()["image, declarative"] as KubernetesManifestsSpec);
    const pod = podSpec(manifests.entries.find((e) => e.key === "deployment")?.object as KubernetesObject);
    assert.equal(pod.containers[0].image, imageName);
    assert.deepEqual(pod.containers[0].volumeMounts.map((m: { mountPath: string }) => m.mountPath), ["/kong_prefix", "/tmp", "/kong_dbless"]);
  });

  it("operator: a KongPluginInstallation per plugin, and a DataPlane that lists them and keeps the CRD's rules", () => {
    const manifests = renderKubernetesManifests(variants().operator as KubernetesManifestsSpec);
    const installations = manifests.entries.filter((e) => e.object.kind === "KongPluginInstallation").map((e) => e.object);
    assert.deepEqual(installations.map((o) => [o.metadata.name, (o.spec as { image: string }).image]), [
      ["rate-limit-example", "registry.example.com/rate-limit-example:1.0.0"],
      ["nested-plugin", "registry.example.com/nested-plugin:1.0.0"],
    ]);
    const dataPlane = manifests.entries.find((e) => e.object.kind === "DataPlane")?.object as KubernetesObject;
    const spec = dataPlane.spec as { pluginsToInstall: unknown; deployment: { podTemplateSpec: { spec: { containers: { name: string; image?: string; env: { name: string; value: string }[] }[] } } } };
    assert.deepEqual(spec.pluginsToInstall, [{ name: "rate-limit-example", namespace: "kong" }, { name: "nested-plugin", namespace: "kong" }]);
    // The CEL rules of the DataPlane CRD, which ajv does not evaluate:
    const containers = spec.deployment.podTemplateSpec.spec.containers;
    assert.ok(containers.some((c) => c.name === "proxy" && c.image), "DataPlane requires an image to be set on proxy container");
    assert.ok((containers[0]?.env ?? []).every((e) => e.name !== "KONG_DATABASE" || e.value === "off"), "DataPlane supports only db mode 'off'");
  });

  it("operator: refuses a plugin whose name cannot name its KongPluginInstallation, since the operator takes the KPI's name for the plugin's", () => {
    // kong-operator, dataplane withCustomPlugins: KONG_PLUGINS, the volume and /opt/kong/plugins/<name> all use the KPI's name.
    const underscored: ResolvedPlugin = { ...rateLimit, name: "my_plugin" };
    assert.throws(
      () =>
        renderKubernetesManifests({
          delivery: KubernetesDelivery.Operator,
          configuration: KongConfiguration.Controller,
          gateway: { plugins: [underscored], delivery: PluginDelivery.Mount, instances: [] },
          pluginImages: { my_plugin: "registry.example.com/my-plugin:1.0.0" },
        }),
      (error: unknown) => error instanceof KongPluginsValidationError && error.issues.some((issue) => issue.path === "gateway.plugins[0].name" && /KongPluginInstallation/.test(issue.message) && issue.received === "my_plugin"),
    );
  });

  it("refuses database: postgres, which it would render without a host, credentials or Kong's migrations Jobs (Kong's chart runs them as Jobs first)", () => {
    assert.throws(
      () =>
        renderKubernetesManifests({
          delivery: KubernetesDelivery.ConfigMap,
          gateway: { plugins: [rateLimit], delivery: PluginDelivery.Mount, instances: [], database: DatabaseMode.Postgres },
        }),
      (error: unknown) => error instanceof KongPluginsValidationError && error.issues.some((issue) => issue.path === "gateway.database" && /migrations Jobs/.test(issue.message) && issue.received === "postgres"),
    );
  });

  it("rejects a 2 MiB plugin in configMap mode, pointing to the other deliveries", () => {
    const big: ResolvedPlugin = { ...rateLimit, files: rateLimit.files.map((f) => (f.path === "handler.lua" ? { ...f, content: `${f.content}--${"x".repeat(2 * 1024 * 1024)}\n` } : f)) };
    assert.throws(
      () => renderKubernetesManifests({ delivery: KubernetesDelivery.ConfigMap, gateway: { plugins: [big], delivery: PluginDelivery.Mount, instances: [] } }),
      (error: unknown) => error instanceof KongPluginsValidationError && error.issues[0]?.path === "gateway.plugins[0]" && /delivery: image.*delivery: operator/.test(error.issues[0].message),
    );
  });

  it("changes the plugin checksum annotation when a plugin file changes, and only then", () => {
    const annotations = (spec: KubernetesManifestsSpec) => podTemplateAnnotations(renderKubernetesManifests(spec).entries.find((e) => e.key === "deployment")?.object as KubernetesObject);
    const spec = variants()["configMap, declarative"] as KubernetesManifestsSpec;
    const original = annotations(spec);
    const changedPlugin = { ...rateLimit, files: rateLimit.files.map((f) => (f.path === "handler.lua" ? { ...f, content: `${f.content}-- v2\n` } : f)) };
    assert.notEqual(annotations({ ...spec, gateway: { ...spec.gateway, plugins: [changedPlugin, nested] } })[PLUGINS_CHECKSUM_ANNOTATION], original[PLUGINS_CHECKSUM_ANNOTATION]);
    const otherConfig = annotations({ ...spec, replicas: 3, gateway: { ...spec.gateway, instances: instances.slice(0, 1), kongEnv: { KONG_LOG_LEVEL: "debug" } } });
    assert.equal(otherConfig[PLUGINS_CHECKSUM_ANNOTATION], original[PLUGINS_CHECKSUM_ANNOTATION], "unchanged by anything but plugin content");
    assert.notEqual(otherConfig[CONFIG_CHECKSUM_ANNOTATION], original[CONFIG_CHECKSUM_ANNOTATION], "kong.yaml changes roll pods through their own annotation");
  });

  it("runs Kong as uid 1000 with a read-only root, writable emptyDirs, and probes on the status listener", () => {
    const pod = podSpec(renderKubernetesManifests(variants()["configMap, declarative"] as KubernetesManifestsSpec).entries.find((e) => e.key === "deployment")?.object as KubernetesObject);
    assert.deepEqual([pod.securityContext.runAsUser, pod.securityContext.runAsNonRoot], [1000, true]);
    const proxy = pod.containers[0];
    assert.equal(proxy.securityContext.readOnlyRootFilesystem, true);
    assert.deepEqual(pod.volumes.filter((v: { emptyDir?: object }) => v.emptyDir).map((v: { name: string }) => v.name), ["kong-prefix", "tmp"]);
    assert.deepEqual(proxy.readinessProbe.httpGet, { path: "/status/ready", port: 8100 });
    assert.deepEqual(proxy.livenessProbe.httpGet, { path: "/status", port: 8100 });
  });

  it("keeps secret values out of everything but Secrets, and Secrets are read through secretKeyRef or configFrom", () => {
    for (const spec of Object.values(variants())) {
      const manifests = renderKubernetesManifests(spec);
      for (const { object } of manifests.entries.filter((e) => e.object.kind !== "Secret")) assert.ok(!JSON.stringify(object).includes(SECRET), `${object.kind} ${object.metadata.name}`);
    }
    const declarative = renderKubernetesManifests(variants()["configMap, declarative"] as KubernetesManifestsSpec);
    const proxy = podSpec(declarative.entries.find((e) => e.key === "deployment")?.object as KubernetesObject).containers[0];
    assert.deepEqual(proxy.env.find((e: { name: string }) => e.name === "REDIS_LIMIT_REDIS_PASSWORD").valueFrom, { secretKeyRef: { name: "kong-plugin-secrets", key: "REDIS_LIMIT_REDIS_PASSWORD" } });
  });

  it("checks that secret config fields are referenceable in declarative mode only (the controller's configFrom needs no vault reference)", () => {
    const secretOnCustom = resolvePluginInstance({ name: "custom-secret", plugin: "rate-limit-example", config: { limit: 1 }, secretConfig: { period: "minute" } });
    const gateway = { plugins: [rateLimit], delivery: PluginDelivery.Mount, instances: [secretOnCustom] };
    assert.throws(() => renderKubernetesManifests({ delivery: KubernetesDelivery.ConfigMap, gateway }), /gateway\.instances\[0\]\.secretConfig\.period: reaches Kong as \{vault:/);
    assert.doesNotThrow(() => renderKubernetesManifests({ delivery: KubernetesDelivery.ConfigMap, configuration: KongConfiguration.Controller, gateway }));
  });

  it("controller: a KongPlugin and its Secret live in the namespace of the objects it annotates, named as the annotation says (KIC kongstate.go getPluginRelations: a plain konghq.com/plugins name is looked up in the annotated object's namespace)", () => {
    const scoped = [
      resolvePluginInstance({ name: "limit-orders", plugin: "rate-limit-example", config: { limit: 10 }, service: "orders", namespace: "shop" }),
      resolvePluginInstance({ name: "redis-limit", plugin: "rate-limiting", config: { minute: 5 }, secretConfig: { redis_password: SECRET }, route: "orders-api", namespace: "shop" }),
      resolvePluginInstance({ name: "limit-everyone", plugin: "rate-limiting", config: { minute: 50 }, secretConfig: { redis_password: SECRET }, namespace: "shop" }),
    ];
    const manifests = renderKubernetesManifests({
      namespace: "kong",
      delivery: KubernetesDelivery.ConfigMap,
      configuration: KongConfiguration.Controller,
      gateway: { plugins: [rateLimit], delivery: PluginDelivery.Mount, instances: scoped, ...entities },
    });
    const object = (key: string) => manifests.entries.find((entry) => entry.key === key)?.object as KubernetesObject;
    for (const index of [0, 1]) {
      const plugin = object(`instance-plugin:${index}`);
      assert.equal(plugin.kind, "KongPlugin");
      assert.deepEqual(crdProblems(schemas["configuration.konghq.com/v1/KongPlugin"] as Record<string, unknown>, plugin), []);
      assert.equal(plugin.metadata.namespace, "shop", "where the annotated Service or Ingress is");
      assert.equal(plugin.metadata.name, (scoped[index] as { name: string }).name, "the annotation's value is exactly the KongPlugin's name");
    }
    // configFrom names no namespace on a KongPlugin: the controller reads the Secret from the KongPlugin's.
    assert.equal(object("instance-secret:1").metadata.namespace, "shop");
    // A global KongClusterPlugin annotates nothing: its Secret stays with the gateway, referenced with its namespace.
    assert.equal(object("instance-secret:2").metadata.namespace, "kong");
    assert.equal(((object("instance-plugin:2").configFrom as { secretKeyRef: { namespace: string } }).secretKeyRef).namespace, "kong");
  });

  it("controller: every KongClusterPlugin carries the ingress class asked for, \"kong\" by default, and a class Kubernetes cannot name is refused", () => {
    const spec = (ingressClass?: string): KubernetesManifestsSpec => ({
      delivery: KubernetesDelivery.ConfigMap,
      configuration: KongConfiguration.Controller,
      ...(ingressClass !== undefined ? { ingressClass } : {}),
      gateway: { plugins: [rateLimit], delivery: PluginDelivery.Mount, instances: [resolvePluginInstance({ name: "limit-all", plugin: "rate-limit-example", config: { limit: 10 } })] },
    });
    const classOf = (manifests: ReturnType<typeof renderKubernetesManifests>) => manifests.entries.find((entry) => entry.object.kind === "KongClusterPlugin")?.object.metadata.annotations?.["kubernetes.io/ingress.class"];
    assert.equal(classOf(renderKubernetesManifests(spec())), "kong");
    assert.equal(classOf(renderKubernetesManifests(spec("internal"))), "internal");
    assert.throws(() => renderKubernetesManifests(spec("Not A Class")), (error: unknown) => error instanceof KongPluginsValidationError && error.issues.some((issue) => issue.path === "ingressClass"));
  });

  it("renders identical YAML twice", () => {
    const spec = variants()["configMap, controller, seed resources"] as KubernetesManifestsSpec;
    assert.equal(renderKubernetesManifests(spec).yaml, renderKubernetesManifests(structuredClone(spec)).yaml);
  });
});

// Deployment specs are deep JSON; the tests read them loosely.
/* eslint-disable @typescript-eslint/no-explicit-any */
function podSpec(deployment: KubernetesObject): any {
  return (deployment.spec as any).template.spec;
}
function podTemplateAnnotations(deployment: KubernetesObject): Record<string, string> {
  return (deployment.spec as any).template.metadata.annotations;
}
