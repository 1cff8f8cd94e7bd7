// Controller configuration renders a controller (issue 15, item 1): with the ConfigMap or image
// delivery, the Kong Ingress Controller beside Kong in its pod as Kong's chart runs it
// (Kong/charts charts/kong/templates/_helpers.tpl `kong.controller-container`,
// `kong.ingressController.env`, controller-rbac-resources.yaml, ingress-class.yaml); with the
// operator, a ControlPlane that configures the DataPlane (kong-operator ControlPlane v2beta1).
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { KnepTargetType, KongConfiguration, KongPluginsValidationError, KubernetesDelivery, PluginDelivery, type KubernetesObject } from "pulumi-kong-plugins";
import { DEFAULT_INGRESS_CONTROLLER_IMAGE, INGRESS_CONTROLLER_PREREQUISITES, knepAdminUrl, renderKnepKubernetes, renderKubernetesManifests, resolvePlugin, resolvePluginInstance, type KubernetesManifestsSpec } from "pulumi-kong-plugins/render";
import { builtInProblems } from "../helpers/kubernetes";
import { rateLimitExample } from "../../examples/quickstart/rate-limit-example";

const rateLimit = resolvePlugin(rateLimitExample());
const spec: KubernetesManifestsSpec = {
  name: "edge",
  namespace: "gateways",
  delivery: KubernetesDelivery.ConfigMap,
  configuration: KongConfiguration.Controller,
  gateway: {
    plugins: [rateLimit],
    delivery: PluginDelivery.Mount,
    instances: [resolvePluginInstance({ name: "limit-orders", plugin: "rate-limit-example", config: { limit: 10 }, service: "orders", namespace: "shop" })],
    services: [{ name: "orders", url: "http://orders:8080" }],
  },
};

type Container = { name: string; image: string; env: { name: string; value?: string; valueFrom?: unknown }[]; readinessProbe: { httpGet: { path: string; port: number } }; volumeMounts: { name: string; mountPath: string }[] };
type Pod = { serviceAccountName?: string; automountServiceAccountToken: boolean; containers: Container[]; volumes: { name: string; projected?: unknown }[] };
type Rule = { apiGroups: string[]; resources: string[]; verbs: string[] };

function rendered(overrides: Partial<KubernetesManifestsSpec> = {}) {
  const manifests = renderKubernetesManifests({ ...spec, ...overrides });
  const byKind = (kind: string) => manifests.entries.map((entry) => entry.object).filter((object) => object.kind === kind);
  const deployment = byKind("Deployment")[0] as KubernetesObject & { spec: { template: { spec: Pod } } };
  const pod = deployment?.spec.template.spec;
  const container = (name: string) => pod?.containers.find((candidate) => candidate.name === name) as Container;
  const env = (name: string) => Object.fromEntries(container(name).env.filter((variable) => variable.value !== undefined).map((variable) => [variable.name, variable.value as string]));
  return { manifests, byKind, pod, container, env };
}

/** What the `ingress-controller` container's rules grant: `<group>/<resource>` -> verbs. */
function grants(rules: Rule[]): Map<string, Set<string>> {
  const granted = new Map<string, Set<string>>();
  for (const rule of rules) for (const group of rule.apiGroups) for (const resource of rule.resources) granted.set(`${group}/${resource}`, new Set([...(granted.get(`${group}/${resource}`) ?? []), ...rule.verbs]));
  return granted;
}

describe("controller configuration runs a controller", () => {
  it("runs the Ingress Controller beside Kong in its pod, reaching the Admin API on loopback only", () => {
    const { pod, container, env } = rendered();
    assert.deepEqual(pod.containers.map((candidate) => candidate.name), ["proxy", "ingress-controller"]);
    assert.equal(container("ingress-controller").image, DEFAULT_INGRESS_CONTROLLER_IMAGE);
    const controller = env("ingress-controller");
    assert.equal(controller.CONTROLLER_INGRESS_CLASS, "kong");
    assert.equal(controller.CONTROLLER_ELECTION_ID, "kong-ingress-controller-leader-kong");
    assert.equal(controller.CONTROLLER_PUBLISH_SERVICE, "gateways/edge-proxy");
    // The URL the controller uses is one Kong serves, and Kong serves it on loopback only.
    const url = new URL(controller.CONTROLLER_KONG_ADMIN_URL as string);
    assert.equal(url.protocol, "http:");
    assert.equal(url.hostname, "localhost");
    const listens = (env("proxy").KONG_ADMIN_LISTEN as string).split(",").map((listen) => listen.trim());
    assert.ok(listens.includes(`127.0.0.1:${url.port}`), listens.join(", "));
    assert.ok(listens.every((listen) => listen.startsWith("127.0.0.1:") || listen.startsWith("[::1]:")), "no Admin API beyond loopback");
    assert.equal(env("proxy").KONG_KIC, "on");
    // POD_NAME and POD_NAMESPACE come from the downward API, as the chart sets them.
    assert.deepEqual(
      container("ingress-controller").env.filter((variable) => variable.valueFrom !== undefined).map((variable) => variable.name),
      ["POD_NAME", "POD_NAMESPACE"],
    );
  });

  it("keeps Kong unready until the controller has pushed a configuration: no kong.yaml, readiness on /status/ready", () => {
    const { container, env, byKind } = rendered();
    assert.equal(env("proxy").KONG_DECLARATIVE_CONFIG, undefined);
    assert.equal(env("proxy").KONG_DATABASE, "off");
    assert.ok(!byKind("ConfigMap").some((configMap) => configMap.metadata.name === "edge-declarative-config"));
    assert.equal(container("proxy").readinessProbe.httpGet.path, "/status/ready");
    assert.equal(container("ingress-controller").readinessProbe.httpGet.path, "/readyz");
    assert.equal(container("ingress-controller").readinessProbe.httpGet.port, 10254);
  });

  it("gives only the controller container a token, for a ServiceAccount bound to what it reads and the statuses it writes", () => {
    const { pod, byKind } = rendered();
    assert.equal(pod.automountServiceAccountToken, false);
    assert.equal(pod.serviceAccountName, "edge");
    const tokenVolume = pod.volumes.find((volume) => volume.projected !== undefined)?.name;
    assert.ok(tokenVolume);
    const mounting = pod.containers.filter((container) => container.volumeMounts.some((mount) => mount.name === tokenVolume)).map((container) => container.name);
    assert.deepEqual(mounting, ["ingress-controller"]);

    const [serviceAccount] = byKind("ServiceAccount");
    assert.deepEqual([serviceAccount?.metadata.name, serviceAccount?.metadata.namespace], ["edge", "gateways"]);
    const clusterRole = byKind("ClusterRole")[0] as unknown as { metadata: { name: string }; rules: Rule[] };
    const granted = grants(clusterRole.rules);
    for (const resource of ["configuration.konghq.com/kongplugins", "configuration.konghq.com/kongclusterplugins", "/services", "networking.k8s.io/ingresses", "networking.k8s.io/ingressclasses", "discovery.k8s.io/endpointslices", "/pods"]) {
      assert.deepEqual([...(granted.get(resource) ?? [])].sort(), ["get", "list", "watch"], resource);
    }
    assert.deepEqual([...(granted.get("configuration.konghq.com/kongplugins/status") ?? [])].sort(), ["get", "patch", "update"]);
    assert.deepEqual([...(granted.get("/secrets") ?? [])].sort(), ["list", "watch"]);
    const role = byKind("Role")[0] as unknown as { metadata: { namespace: string }; rules: Rule[] };
    assert.equal(role.metadata.namespace, "gateways");
    assert.ok(grants(role.rules).get("coordination.k8s.io/leases")?.has("update"), "leader election uses a Lease");
    for (const kind of ["ClusterRoleBinding", "RoleBinding"]) {
      const binding = byKind(kind)[0] as unknown as { roleRef: { kind: string; name: string }; subjects: unknown[] };
      assert.deepEqual(binding.subjects, [{ kind: "ServiceAccount", name: "edge", namespace: "gateways" }], kind);
      assert.equal(byKind(binding.roleRef.kind)[0]?.metadata.name, binding.roleRef.name, `${kind} binds the rendered ${binding.roleRef.kind}`);
    }
  });

  it("renders the IngressClass the controller serves, unless told it exists, and names the CRDs it needs as prerequisites", () => {
    const withClass = rendered({ ingressClass: "edge-class" });
    assert.deepEqual(withClass.byKind("IngressClass").map((object) => [object.metadata.name, (object.spec as { controller: string }).controller]), [["edge-class", "ingress-controllers.konghq.com/edge-class"]]);
    assert.equal(withClass.env("ingress-controller").CONTROLLER_INGRESS_CLASS, "edge-class");
    assert.equal(rendered({ createIngressClass: false }).byKind("IngressClass").length, 0);
    assert.deepEqual(withClass.manifests.prerequisites, [...INGRESS_CONTROLLER_PREREQUISITES]);
    assert.match(withClass.manifests.prerequisites[0] as string, /KongPlugin, KongClusterPlugin/);
    assert.deepEqual(renderKubernetesManifests({ ...spec, configuration: KongConfiguration.Declarative }).prerequisites, []);
  });

  it("runs the controller with the image delivery too, and with a KNEP beside Kong (whose TLS Admin API listener stays)", () => {
    const image = rendered({
      delivery: KubernetesDelivery.Image,
      gateway: { ...spec.gateway, delivery: PluginDelivery.Image, image: { name: `registry.example.com/kong@sha256:${"a".repeat(64)}`, kongPlugins: "bundled,rate-limit-example", luaRoot: "/usr/local/share/lua/5.1" } },
      controllerImage: "registry.example.com/kic:3.5.1",
    });
    assert.equal(image.container("ingress-controller").image, "registry.example.com/kic:3.5.1");

    const knep = renderKnepKubernetes({ image: "r/knep:1", kongAdminUrl: knepAdminUrl("edge", "gateways"), targetType: KnepTargetType.Http, http: { url: "http://sink:8080" } }, { namespace: "gateways" });
    const withKnep = rendered({ knep });
    assert.match(withKnep.env("proxy").KONG_ADMIN_LISTEN as string, /0\.0\.0\.0:8444 http2 ssl/);
    assert.equal(withKnep.env("ingress-controller").CONTROLLER_KONG_ADMIN_URL, "http://localhost:8001");
    assert.ok(withKnep.byKind("NetworkPolicy").length === 1, "the TLS listener is fenced to KNEP's pods");
  });

  it("every object passes kubernetes-models and the client's field maps", async () => {
    for (const { object } of rendered().manifests.entries) {
      if (["KongPlugin", "KongClusterPlugin"].includes(object.kind)) continue; // CRD-checked in manifests.test.ts
      assert.deepEqual(await builtInProblems(object as never), [], `${object.kind}/${object.metadata.name}`);
    }
  });

  it("refuses a controller image where no controller runs beside Kong", () => {
    assert.throws(
      () => renderKubernetesManifests({ ...spec, configuration: KongConfiguration.Declarative, controllerImage: "kic:3" }),
      (error: unknown) => error instanceof KongPluginsValidationError && error.issues.some((issue) => issue.path === "controllerImage" && /controller configuration/.test(issue.message)),
    );
  });

  it("operator: a ControlPlane configures the DataPlane it names, with the ingress class its CRD requires", () => {
    const manifests = renderKubernetesManifests({ ...spec, delivery: KubernetesDelivery.Operator, pluginImages: { "rate-limit-example": "registry.example.com/rl:1" }, ingressClass: "edge-class" });
    const dataPlane = manifests.entries.find((entry) => entry.object.kind === "DataPlane")?.object;
    const controlPlane = manifests.entries.find((entry) => entry.object.kind === "ControlPlane")?.object as KubernetesObject & { spec: { dataplane: { type: string; ref: { name: string } }; ingressClass: string } };
    assert.equal(controlPlane.spec.dataplane.type, "ref");
    assert.equal(controlPlane.spec.dataplane.ref.name, dataPlane?.metadata.name);
    assert.equal(controlPlane.metadata.namespace, dataPlane?.metadata.namespace);
    assert.equal(controlPlane.spec.ingressClass, "edge-class");
    assert.ok(!manifests.entries.some((entry) => ["Deployment", "ServiceAccount", "ClusterRole"].includes(entry.object.kind)), "the operator runs the controller");
  });
});
