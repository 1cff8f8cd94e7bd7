import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { parse as parseYaml } from "yaml";
import { ProviderProcess, TestEngine, type MonitoredResource } from "../helpers/engine";
import { repoRoot, tempDir } from "../helpers/paths";
import { rateLimitExample } from "../../examples/quickstart/rate-limit-example";

const SECRET_SIG_KEY = "4dabf18193072939515e22adb298388d";
const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";
const TOKEN = "provider-test-token-not-shown";
const secret = (value: unknown) => ({ [SECRET_SIG_KEY]: SECRET_SIG, value });
const unwrap = (value: unknown): Record<string, unknown> => {
  const wire = value as Record<string, unknown>;
  return (wire[SECRET_SIG_KEY] === SECRET_SIG ? wire.value : wire) as Record<string, unknown>;
};

const committedSchema = () => JSON.parse(readFileSync(join(repoRoot, "provider", "schema.json"), "utf8"));

let engine: TestEngine;
let provider: ProviderProcess;
before(async () => {
  engine = await new TestEngine().start();
  provider = await ProviderProcess.start([join(repoRoot, "dist", "provider", "index.js")], engine.address, repoRoot);
});
after(async () => {
  provider.stop();
  await engine.stop();
});

const childrenOf = (urn: string) => engine.childrenOf(urn).map((child: MonitoredResource) => `${child.type} ${child.name}`);

describe("the provider as a process, over gRPC", () => {
  it("GetSchema answers the committed schema", async () => {
    assert.deepEqual(JSON.parse(await provider.getSchema()), committedSchema());
  });

  it("runs from its TypeScript source in provider/, as Pulumi's nodejs language host runs a source-based plugin", async () => {
    const fromSource = await ProviderProcess.start(["--require", "ts-node/register/transpile-only", "index.ts"], engine.address, join(repoRoot, "provider"));
    try {
      assert.deepEqual(JSON.parse(await fromSource.getSchema()), committedSchema());
    } finally {
      fromSource.stop();
    }
  });

  it("Constructs every component from another language's inputs; each registers its children with the monitor", async () => {
    const type = (component: string) => `kong-plugins:index:${component}`;

    const metadata = await provider.construct(engine, type("PluginMetadata"), "rate-limit-example", rateLimitExample() as unknown as Record<string, unknown>);
    assert.match(metadata.urn, /::kong-plugins:index:PluginMetadata::rate-limit-example$/);
    assert.deepEqual(childrenOf(metadata.urn), [], "PluginMetadata registers no cloud resources");
    assert.equal(metadata.state.rockspecFileName, "kong-plugin-rate-limit-example-1.0.0-1.rockspec");
    const plugin = metadata.state.definition as Record<string, unknown>;
    assert.deepEqual(Object.keys((plugin.source as { files: object }).files).sort(), ["handler.lua", "schema.lua"]);

    const instance = await provider.construct(engine, type("PluginInstance"), "orders-auth", {
      plugin,
      service: "orders",
      config: { limit: 5, period: "minute" },
    });
    const tokenInstance = await provider.construct(engine, type("PluginInstance"), "token-auth", {
      pluginName: "key-auth",
      service: "orders",
      config: { key_names: ["apikey"] },
      secretConfig: secret({ anonymous: TOKEN }),
    });
    assert.equal((tokenInstance.state.definition as Record<string, unknown>)[SECRET_SIG_KEY], SECRET_SIG, "a definition holding a secret stays a secret");
    assert.ok(!JSON.stringify(tokenInstance.state.ingressControllerPlugin).includes(TOKEN));

    const knep = await provider.construct(engine, type("KnepDeployment"), "events", {
      image: "registry.example.com/knep:1.0.0",
      kongAdminUrl: "http://kong-admin.kong:8001",
      targetType: "http",
      http: { url: "https://events.example.com/kong" },
      kubernetes: { namespace: "observability" },
    });
    assert.deepEqual(childrenOf(knep.urn), ["kubernetes:core/v1:ConfigMap events-config", "kubernetes:apps/v1:Deployment events"]);

    const gatewayImage = await provider.construct(engine, type("GatewayImage"), "gateway", { plugins: [plugin], imageName: "registry.example.com/kong-gateway:1.0.0", contextDir: join(tempDir(), "gateway") });
    assert.deepEqual(childrenOf(gatewayImage.urn), ["docker:index/image:Image gateway-image"]);
    assert.match(gatewayImage.state.dockerfile as string, /^COPY plugins\/rate-limit-example\/ \/usr\/local\/share\/lua\/5.1\/kong\/plugins\/rate-limit-example\/$/m);

    const pluginImage = await provider.construct(engine, type("PluginImage"), "plugin-image", { plugin, imageName: "registry.example.com/rate-limit-example:1.0.0", contextDir: join(tempDir(), "plugin") });
    assert.deepEqual(childrenOf(pluginImage.urn), ["docker:index/image:Image plugin-image-image"]);

    const compose = await provider.construct(engine, type("ComposeStack"), "local", {
      plugins: [plugin],
      instances: [instance.state.definition],
      services: [{ name: "orders", url: "http://orders:8080", routes: [{ name: "orders", paths: ["/orders"] }] }],
    });
    assert.deepEqual(childrenOf(compose.urn), [], "without outputDir a compose stack only renders");
    const materialized = await provider.construct(engine, type("ComposeStack"), "materialized", { plugins: [plugin], outputDir: join(tempDir(), "stack") });
    assert.deepEqual(childrenOf(materialized.urn), ["pulumi-nodejs:dynamic:Resource materialized-plugin-lifecycle", "pulumi-nodejs:dynamic:Resource materialized-folder"]);
    const folder = engine.childrenOf(materialized.urn).find((child) => child.name === "materialized-folder") as MonitoredResource;
    assert.match(folder.inputs.__provider as string, /^exports\.handler = /, "the folder's dynamic provider is serialized for the engine");
    assert.deepEqual(Object.keys(folder.inputs.files as object).sort(), [".env.example", "docker-compose.yaml", "kong.yaml", "plugins/rate-limit-example/handler.lua", "plugins/rate-limit-example/schema.lua"]);
    const kongYaml = parseYaml(compose.state.kongYaml as string);
    assert.equal(kongYaml.services[0].plugins[0].name, "rate-limit-example");

    const kubernetes = await provider.construct(engine, type("KubernetesStack"), "kong", {
      delivery: "configMap",
      configuration: "controller",
      plugins: [plugin],
      instances: [instance.state.definition, tokenInstance.state.definition],
      services: [{ name: "orders", url: "http://orders.shop.svc:8080" }],
      knep: unwrap(knep.state.definition),
    });
    assert.deepEqual(childrenOf(kubernetes.urn).sort(), [
      "kubernetes:apps/v1:Deployment kong",
      "kubernetes:configuration.konghq.com/v1:KongPlugin kong-kongplugin-orders-auth",
      "kubernetes:configuration.konghq.com/v1:KongPlugin kong-kongplugin-token-auth",
      "kubernetes:core/v1:ConfigMap kong-plugin-rate-limit-example",
      "kubernetes:core/v1:Namespace kong-namespace",
      "kubernetes:core/v1:Secret kong-config-token-auth",
      "kubernetes:core/v1:Service kong-service",
      "kubernetes:core/v1:ServiceAccount kong-controller-service-account",
      "kubernetes:networking.k8s.io/v1:IngressClass kong-ingress-class",
      "kubernetes:rbac.authorization.k8s.io/v1:ClusterRole kong-controller-cluster-role",
      "kubernetes:rbac.authorization.k8s.io/v1:ClusterRoleBinding kong-controller-cluster-role-binding",
      "kubernetes:rbac.authorization.k8s.io/v1:Role kong-controller-role",
      "kubernetes:rbac.authorization.k8s.io/v1:RoleBinding kong-controller-role-binding",
      "pulumi-nodejs:dynamic:Resource kong-plugin-lifecycle",
    ]);
    // The SDK's provider lifts the secret of one definition to the whole list; each definition
    // still says where its secrets are, so what the stack renders stays public.
    assert.equal((kubernetes.state.yaml as Record<string, unknown>)[SECRET_SIG_KEY], undefined, "the manifests are public");
    assert.ok(!String(kubernetes.state.yaml).includes(TOKEN));
    const tokenSecret = engine.childrenOf(kubernetes.urn).find((child) => child.name === "kong-config-token-auth") as MonitoredResource;
    assert.equal((tokenSecret.inputs.stringData as Record<string, unknown>)[SECRET_SIG_KEY], SECRET_SIG, "the Secret's values reach the engine as a secret");
    for (const child of engine.resources.filter((resource) => resource.name !== "kong-config-token-auth")) {
      assert.ok(!JSON.stringify(child.inputs).includes(TOKEN), `${child.type} ${child.name} carries no secret value`);
    }
  });

  it("a Construct with a bad value fails naming the field, what was received and what is expected", async () => {
    await assert.rejects(provider.construct(engine, "kong-plugins:index:KubernetesStack", "typo", { delivery: "configmap" }), (error: Error) => {
      assert.match(error.message, /delivery: is not one of the accepted values/);
      assert.match(error.message, /configmap/);
      assert.match(error.message, /configMap, image, operator/);
      return true;
    });
  });
});
