import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { KnepDeployment, KnepTargetType, KongConfiguration, KongProtocol, KubernetesDelivery, KubernetesStack, PluginImage, PluginInstance, PluginMetadata } from "pulumi-kong-plugins";
import { join } from "node:path";
import { OPERATOR_PREREQUISITES } from "pulumi-kong-plugins/render";
import { installMocks, recordRegistrations, settled, valueOf, type RegisteredResource, type Registration } from "../helpers/pulumi-mocks";
import { runProgramUnderMocks } from "../helpers/program";
import { tempDir, testFixture } from "../helpers/paths";
import { rateLimitExample } from "../../examples/quickstart/rate-limit-example";

const AMQP = "amqps://u:knep-pa55@mq:5671/v";
const SECRET_SIG_KEY = "4dabf18193072939515e22adb298388d";
let registered: RegisteredResource[];
let registrations: Registration[];
before(() => {
  registered = installMocks();
  registrations = recordRegistrations();
});
/** The dependencies of the Kubernetes object of that name (a stack and its Deployment share one). */
const dependenciesOf = (name: string) => registrations.find((registration) => registration.name === name && registration.type.startsWith("kubernetes:"))?.dependencies;

/** The URNs of the stack's own children, in the order it registered them. */
async function childUrns(stack: KubernetesStack): Promise<string[]> {
  await valueOf(stack.yaml);
  await settled(registrations);
  const stackUrn = await valueOf(stack.urn);
  return registrations.filter((registration) => registration.parent === stackUrn).map((registration) => registration.urn as string);
}

const childrenOf = (stack: string) =>
  registered.filter((r) => r.name.startsWith(stack) && !r.type.startsWith("kong-plugins:")).map((r) => `${r.type} ${r.name}`);

describe("KubernetesStack under mocks", () => {
  it("ConfigMap delivery, controller configuration, seed resources, KNEP: registers exactly these typed resources as its children", async () => {
    const plugin = new PluginMetadata("rl", rateLimitExample());
    const scoped = new PluginInstance("orders-limit", { plugin: plugin.definition, service: "orders", config: { limit: 10 }, secretConfig: { period: pulumi.secret("minute") } });
    const gatewayWide = new PluginInstance("gateway-limit", { plugin: plugin.definition, config: { limit: 1000 }, targetRef: { group: "gateway.networking.k8s.io", kind: "Gateway", name: "kong" } });
    const knep = new KnepDeployment("events", { image: "r/knep:1", kongAdminUrl: "https://edge-admin.kong.svc:8444", targetType: KnepTargetType.RabbitMq, rabbitmq: { url: pulumi.secret(AMQP), exchange: "kong" } });
    const stack = new KubernetesStack("edge", {
      delivery: KubernetesDelivery.ConfigMap,
      configuration: KongConfiguration.Controller,
      seedResources: true,
      plugins: [plugin.definition],
      instances: [scoped.definition, gatewayWide.definition],
      services: [{ name: "orders", url: "http://orders:8080" }],
      knep: knep.definition,
    });
    const urns = await childUrns(stack);
    assert.deepEqual(
      urns.map((urn) => urn.split("::").slice(2).join(" ")).sort(),
      [
        "kong-plugins:index:KubernetesStack$kubernetes:apiextensions.k8s.io/v1:CustomResourceDefinition edge-crd-kongpluginmetadatas.gateway.konghq.com",
        "kong-plugins:index:KubernetesStack$kubernetes:apiextensions.k8s.io/v1:CustomResourceDefinition edge-crd-kongplugins.gateway.konghq.com",
        "kong-plugins:index:KubernetesStack$kubernetes:apps/v1:Deployment edge",
        "kong-plugins:index:KubernetesStack$kubernetes:apps/v1:Deployment edge-knep-deployment",
        "kong-plugins:index:KubernetesStack$kubernetes:configuration.konghq.com/v1:KongClusterPlugin edge-kongplugin-gateway-limit",
        "kong-plugins:index:KubernetesStack$kubernetes:configuration.konghq.com/v1:KongPlugin edge-kongplugin-orders-limit",
        "kong-plugins:index:KubernetesStack$kubernetes:core/v1:ConfigMap edge-knep-configmap",
        "kong-plugins:index:KubernetesStack$kubernetes:core/v1:ConfigMap edge-plugin-rate-limit-example",
        "kong-plugins:index:KubernetesStack$kubernetes:core/v1:Namespace edge-namespace",
        "kong-plugins:index:KubernetesStack$kubernetes:core/v1:Secret edge-config-orders-limit",
        "kong-plugins:index:KubernetesStack$kubernetes:core/v1:Secret edge-knep-secret",
        "kong-plugins:index:KubernetesStack$kubernetes:core/v1:Service edge-admin-service",
        "kong-plugins:index:KubernetesStack$kubernetes:core/v1:Service edge-service",
        "kong-plugins:index:KubernetesStack$kubernetes:gateway.konghq.com/v1alpha1:KongPlugin edge-seed-kongplugin-gateway-limit",
        "kong-plugins:index:KubernetesStack$kubernetes:gateway.konghq.com/v1alpha1:KongPluginMetadata edge-metadata-rate-limit-example",
        "kong-plugins:index:KubernetesStack$kubernetes:core/v1:ServiceAccount edge-controller-service-account",
        "kong-plugins:index:KubernetesStack$kubernetes:networking.k8s.io/v1:IngressClass edge-ingress-class",
        "kong-plugins:index:KubernetesStack$kubernetes:networking.k8s.io/v1:NetworkPolicy edge-admin-network-policy",
        "kong-plugins:index:KubernetesStack$kubernetes:rbac.authorization.k8s.io/v1:ClusterRole edge-controller-cluster-role",
        "kong-plugins:index:KubernetesStack$kubernetes:rbac.authorization.k8s.io/v1:ClusterRoleBinding edge-controller-cluster-role-binding",
        "kong-plugins:index:KubernetesStack$kubernetes:rbac.authorization.k8s.io/v1:Role edge-controller-role",
        "kong-plugins:index:KubernetesStack$kubernetes:rbac.authorization.k8s.io/v1:RoleBinding edge-controller-role-binding",
        "kong-plugins:index:KubernetesStack$pulumi-nodejs:dynamic:Resource edge-plugin-lifecycle",
      ].sort(),
    );
    // Custom resources wait for the CRDs, everything namespaced for the Namespace.
    const crdUrns = urns.filter((urn) => urn.includes(":CustomResourceDefinition::"));
    const namespaceUrn = urns.find((urn) => urn.endsWith("::edge-namespace")) as string;
    assert.equal(crdUrns.length, 2);
    for (const name of ["edge-metadata-rate-limit-example", "edge-seed-kongplugin-gateway-limit"]) {
      for (const crd of crdUrns) assert.ok(dependenciesOf(name)?.includes(crd), `${name} depends on ${crd}`);
    }
    for (const name of ["edge-plugin-rate-limit-example", "edge", "edge-service", "edge-admin-service", "edge-admin-network-policy", "edge-config-orders-limit", "edge-kongplugin-orders-limit"]) {
      assert.ok(dependenciesOf(name)?.includes(namespaceUrn), `${name} depends on the Namespace`);
    }

    // Secrets reach the engine as secrets; nothing else carries a secret value.
    for (const resource of registered.filter((r) => r.name.startsWith("edge"))) {
      const text = JSON.stringify(resource.inputs);
      if (resource.type === "kubernetes:core/v1:Secret") {
        assert.equal((resource.inputs.stringData as Record<string, unknown>)[SECRET_SIG_KEY], "1b47061264138c4ac30d75fd1eb44270", resource.name);
        // The values themselves, rendered again for the Secrets alone.
        assert.match(text, resource.name === "edge-knep-secret" ? /knep-pa55/ : /\\"period\\": \\"minute\\"/, resource.name);
      } else {
        assert.ok(!text.includes("knep-pa55") && !text.includes('"period":"minute"'), `${resource.type} ${resource.name}`);
      }
    }
    const yaml = await valueOf(stack.yaml);
    assert.ok(!yaml.includes("knep-pa55"));
    assert.match(yaml, /TARGET_RABBITMQ_URL: "\[secret\]"/);
    assert.equal(await pulumi.isSecret(stack.yaml), false);
  });

  it("registers a scoped KongPlugin in its instance's namespace and KongClusterPlugins with the stack's ingressClass", async () => {
    const plugin = new PluginMetadata("rl-ns", rateLimitExample());
    const scoped = new PluginInstance("shop-limit", { plugin: plugin.definition, service: "orders", namespace: "shop", config: { limit: 10 } });
    const global = new PluginInstance("all-limit", { plugin: plugin.definition, config: { limit: 1000 } });
    const stack = new KubernetesStack("classed", {
      delivery: KubernetesDelivery.ConfigMap,
      configuration: KongConfiguration.Controller,
      ingressClass: "internal",
      plugins: [plugin.definition],
      instances: [scoped.definition, global.definition],
      services: [{ name: "orders", url: "http://orders.shop.svc:8080" }],
    });
    await childUrns(stack);
    const metadataOf = (name: string) => registered.find((r) => r.name === name)?.inputs.metadata as { namespace?: string; annotations?: Record<string, string> };
    assert.equal(metadataOf("classed-kongplugin-shop-limit").namespace, "shop");
    assert.deepEqual(metadataOf("classed-kongplugin-all-limit").annotations, { "kubernetes.io/ingress.class": "internal" });
  });


  it("registers each KongPlugin with exactly the fields it renders, whichever of them the instance has", async () => {
    const plugin = new PluginMetadata("rl-fields", rateLimitExample());
    const variants: Record<string, Omit<import("pulumi-kong-plugins").PluginInstanceArgs, "plugin">> = {
      plain: { service: "orders", config: { limit: 10 } },
      every: { service: "orders", consumer: "alice", config: { limit: 5 }, enabled: false, instanceName: "slow", protocols: [KongProtocol.Http], ordering: { before: { access: ["key-auth"] } }, tags: ["team-a"] },
      secret: { route: "orders-route", secretConfig: { period: "minute" }, config: { limit: 3 } },
      global: { config: { limit: 1000 }, tags: ["edge"] },
    };
    const instances = Object.entries(variants).map(([name, args]) => new PluginInstance(`f-${name}`, { plugin: plugin.definition, ...args }));
    const stack = new KubernetesStack("fields", {
      delivery: KubernetesDelivery.ConfigMap,
      configuration: KongConfiguration.Controller,
      plugins: [plugin.definition],
      instances: instances.map((instance) => instance.definition),
      services: [{ name: "orders", url: "http://orders:8080", routes: [{ name: "orders-route", paths: ["/orders"] }] }],
      consumers: [{ username: "alice" }],
    });
    await childUrns(stack);
    const rendered = (await valueOf(stack.manifests)).filter((object) => object.kind === "KongPlugin" || object.kind === "KongClusterPlugin");
    assert.equal(rendered.length, 4);
    for (const object of rendered) {
      const resource = registered.find((r) => r.name === `fields-kongplugin-${object.metadata.name}`);
      assert.ok(resource, object.metadata.name);
      assert.deepEqual(resource.inputs, object, `${object.metadata.name}: registered as rendered, no field left out or added`);
    }
  });
  it("ConfigMap delivery of a plugin with a subfolder: one ConfigMap child per folder, and the chart's values as an output", async () => {
    const stack = new KubernetesStack("folders", {
      delivery: KubernetesDelivery.ConfigMap,
      createNamespace: false,
      plugins: [{ name: "db-plugin", version: "1.0.0", source: { directory: testFixture("plugin/fixtures/db-plugin") } }],
    });
    await childUrns(stack);
    const configMaps = childrenOf("folders").filter((child) => child.startsWith("kubernetes:core/v1:ConfigMap folders-plugin-")).sort();
    assert.deepEqual(configMaps, ["kubernetes:core/v1:ConfigMap folders-plugin-db-plugin", "kubernetes:core/v1:ConfigMap folders-plugin-db-plugin/migrations"]);
    const nameOf = (child: string) => (registered.find((r) => r.name === child)?.inputs.metadata as { name: string }).name;
    assert.deepEqual(["folders-plugin-db-plugin", "folders-plugin-db-plugin/migrations"].map(nameOf), ["kong-plugin-db-plugin", "kong-plugin-db-plugin-migrations"]);
    assert.equal(
      await valueOf(stack.chartValues),
      "plugins:\n  configMaps:\n    - name: kong-plugin-db-plugin\n      pluginName: db-plugin\n      subdirectories:\n        - name: kong-plugin-db-plugin-migrations\n          path: migrations\n",
    );
  });

  it("unsecrets only what it redacted: a secret given anywhere else keeps the manifests secret", async () => {
    const secretEnv = new KubernetesStack("secret-env", { delivery: KubernetesDelivery.ConfigMap, kongEnv: { KONG_LOG_LEVEL: pulumi.secret("debug") } });
    assert.equal(await pulumi.isSecret(secretEnv.yaml), true);
  });

  it("registers every child through the caller's Kubernetes provider", async () => {
    const provider = new k8s.Provider("yaml-out", { renderYamlToDirectory: join(tempDir(), "rendered") });
    const stack = new KubernetesStack("via", { delivery: KubernetesDelivery.ConfigMap, provider });
    await childUrns(stack);
    const providerUrn = await valueOf(provider.urn);
    const children = registered.filter((r) => r.type.startsWith("kubernetes:") && (r.name === "via" || r.name.startsWith("via-")));
    assert.equal(children.length, 4);
    for (const child of children) assert.ok(child.provider?.startsWith(providerUrn), `${child.name} uses the given provider`);
  });

  it("KNEP that registers its own objects is not registered again", async () => {
    const knep = new KnepDeployment("selfreg", { image: "r/knep:1", kongAdminUrl: "http://kong:8001", targetType: KnepTargetType.Http, http: { url: "http://sink" }, kubernetes: { namespace: "kong" } });
    const stack = new KubernetesStack("solo", { delivery: KubernetesDelivery.ConfigMap, knep: knep.definition, createNamespace: false });
    await childUrns(stack);
    assert.deepEqual(childrenOf("solo").sort(), ["kubernetes:apps/v1:Deployment solo", "kubernetes:core/v1:ConfigMap solo-declarative-config", "kubernetes:core/v1:Service solo-service", "pulumi-nodejs:dynamic:Resource solo-plugin-lifecycle"]);
  });

  it("operator delivery: KongPluginInstallations from PluginImages, a DataPlane and the ControlPlane that configures it; no Deployment or Service of its own", async () => {
    const plugin = new PluginMetadata("op-rl", rateLimitExample());
    const image = new PluginImage("op-rl-image", { plugin: plugin.definition, imageName: "registry.example.com/rate-limit-example:1.0.0", contextDir: join(tempDir(), "ctx") });
    const stack = new KubernetesStack("op", { delivery: KubernetesDelivery.Operator, plugins: [plugin.definition], pluginImages: [image.definition] });
    await childUrns(stack);
    const kubernetesChildren = registered.filter((r) => r.type.startsWith("kubernetes:") && (r.name === "op" || r.name.startsWith("op-"))).map((r) => `${r.type} ${r.name}`);
    assert.deepEqual(kubernetesChildren.sort(), [
      "kubernetes:core/v1:Namespace op-namespace",
      "kubernetes:gateway-operator.konghq.com/v1alpha1:KongPluginInstallation op-installation-rate-limit-example",
      "kubernetes:gateway-operator.konghq.com/v1beta1:DataPlane op-dataplane",
      "kubernetes:gateway-operator.konghq.com/v2beta1:ControlPlane op-controlplane",
    ]);
    const controlPlane = registered.find((r) => r.name === "op-controlplane")?.inputs as Record<string, unknown>;
    assert.deepEqual(controlPlane.spec, { dataplane: { type: "ref", ref: { name: "op" } }, ingressClass: "kong" });
    assert.deepEqual(await valueOf(stack.prerequisites), [...OPERATOR_PREREQUISITES]);
    const installation = registered.find((r) => r.name === "op-installation-rate-limit-example")?.inputs as Record<string, { image?: string }>;
    assert.equal(installation.spec?.image, "registry.example.com/rate-limit-example:1.0.0", "the mock's repoDigest is the image name here");
  });

  it("pluginsOnly: registers only the plugins' ConfigMaps and the instances' KongPlugins, and outputs the chart values to add", async () => {
    const plugin = new PluginMetadata("po-rl", rateLimitExample());
    const instance = new PluginInstance("po-limit", { plugin: plugin.definition, service: "orders", config: { limit: 10 } });
    const stack = new KubernetesStack("po", { delivery: KubernetesDelivery.ConfigMap, configuration: KongConfiguration.Controller, pluginsOnly: true, plugins: [plugin.definition], instances: [instance.definition], services: [{ name: "orders", url: "http://orders:8080" }] });
    await childUrns(stack);
    const kubernetesChildren = registered.filter((r) => r.type.startsWith("kubernetes:") && r.name.startsWith("po-")).map((r) => `${r.type} ${r.name}`);
    assert.deepEqual(kubernetesChildren.sort(), ["kubernetes:configuration.konghq.com/v1:KongPlugin po-kongplugin-po-limit", "kubernetes:core/v1:ConfigMap po-plugin-rate-limit-example"]);
    const values = await valueOf(stack.chartValues);
    assert.match(values, /pluginName: rate-limit-example/);
    assert.match(values, /ingressController:\n  enabled: true\n  ingressClass: kong/);
    assert.equal(await valueOf(stack.dataPlanePatch), "");
    assert.equal((await valueOf(stack.prerequisites)).length, 1);
  });

  it("fails the program with the preflight's and the delivery's problems as a ResourceError", () => {
    const run = runProgramUnderMocks(`
      const plugin = new kp.PluginMetadata("p", { name: "rate-limit-example", version: "1.0.0", source: { directory: "examples/plugins/rate-limit-example" } });
      const instance = new kp.PluginInstance("ghost", { pluginName: "not-enabled-plugin", config: {} });
      const stack = new kp.KubernetesStack("bad", { delivery: "operator", plugins: [plugin.definition], instances: [instance.definition] });
      await stack.yaml.promise();`);
    assert.equal(run.status, 1);
    const error = run.errors.find((e) => e.name === "ResourceError");
    assert.ok(error, JSON.stringify(run.errors));
    assert.match(error.message, /gateway\.instances\[0\]\.plugin: plugin 'not-enabled-plugin' not enabled; add it to the 'plugins' configuration property/);
    assert.match(error.message, /pluginImages\["rate-limit-example"\]: is required/);
  });
});
