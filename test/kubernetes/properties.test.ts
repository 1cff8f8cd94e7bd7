import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { parse as parseYaml } from "yaml";
import { KongConfiguration, KubernetesDelivery } from "pulumi-kong-plugins";
import { renderDeclarativeConfig, renderKubernetesManifests } from "pulumi-kong-plugins/render";
import { crdProblems, crdSchema } from "../helpers/crd-schema";
import { gateway, name } from "../helpers/gateway-arbitrary";
import { builtInProblems } from "../helpers/kubernetes";
import { sharedFixture } from "../helpers/paths";

// Two-sided property of the Kubernetes manifests: any well-formed gateway, name and namespace
// render objects that Kubernetes' own schemas and Kong's CRDs accept, in the namespace asked
// for (a KongPlugin in its instance's), carrying the configuration exactly (kong.yaml in its ConfigMap, or KongPlugins).

const crds: Record<string, Record<string, unknown>> = {
  KongPlugin: crdSchema(sharedFixture("kong-crds/configuration.konghq.com_kongplugins.yaml")),
  KongClusterPlugin: crdSchema(sharedFixture("kong-crds/configuration.konghq.com_kongclusterplugins.yaml")),
};
const CLUSTER_SCOPED = ["Namespace", "KongClusterPlugin", "CustomResourceDefinition", "IngressClass", "ClusterRole", "ClusterRoleBinding"];
type Manifest = { apiVersion: string; kind: string; metadata: { name: string; namespace?: string; annotations?: Record<string, string> }; data?: Record<string, string>; config?: unknown; plugin?: string };

describe("property: Kubernetes manifests", () => {
  it("a well-formed gateway renders valid objects in its namespace that carry its configuration exactly", async () => {
    await fc.assert(
      fc.asyncProperty(gateway, name, name, fc.constantFrom(KongConfiguration.Declarative, KongConfiguration.Controller), async (spec, stackName, namespace, configuration) => {
        const manifests = renderKubernetesManifests({ name: stackName, namespace, delivery: KubernetesDelivery.ConfigMap, configuration, gateway: spec });
        const objects = manifests.entries.map((entry) => entry.object as unknown as Manifest);
        for (const { key, object: rendered } of manifests.entries) {
          const object = rendered as unknown as Manifest;
          const where = `${object.kind} ${object.metadata.name}`;
          if (object.kind in crds) assert.deepEqual(crdProblems(crds[object.kind] as Record<string, unknown>, object), [], where);
          else assert.deepEqual(await builtInProblems(object as never), [], where);
          // A KongPlugin and its Secret live where the objects it annotates do (KIC getPluginRelations).
          const [role, index] = key.split(":");
          const instance = role === "instance-plugin" || role === "instance-secret" ? spec.instances[Number(index)] : undefined;
          const annotating = instance !== undefined && instance.scope === "scoped" && !instance.clusterWide;
          if (!CLUSTER_SCOPED.includes(object.kind)) assert.equal(object.metadata.namespace, annotating ? instance.namespace : namespace, where);
          if (object.kind === "KongClusterPlugin") assert.equal(object.metadata.annotations?.["kubernetes.io/ingress.class"], "kong", where);
        }
        if (configuration === KongConfiguration.Declarative) {
          const kongYaml = objects.flatMap((object) => (object.kind === "ConfigMap" ? Object.values(object.data ?? {}) : [])).find((text) => text.startsWith("_format_version"));
          assert.ok(kongYaml, "kong.yaml is in a ConfigMap");
          assert.deepEqual(parseYaml(kongYaml, { version: "1.1" }), JSON.parse(JSON.stringify(renderDeclarativeConfig(spec))));
        } else {
          // The controller beside Kong publishes this gateway's proxy Service, and its token is bound in this namespace.
          const deployment = objects.find((object) => object.kind === "Deployment") as unknown as { spec: { template: { spec: { containers: { name: string; env: { name: string; value?: string }[] }[] } } } };
          const controller = deployment.spec.template.spec.containers.find((container) => container.name === "ingress-controller");
          assert.equal(controller?.env.find((variable) => variable.name === "CONTROLLER_PUBLISH_SERVICE")?.value, `${namespace}/${stackName}-proxy`);
          const binding = objects.find((object) => object.kind === "ClusterRoleBinding") as unknown as { subjects: { namespace: string; name: string }[] };
          assert.deepEqual(binding.subjects.map((subject) => [subject.namespace, subject.name]), [[namespace, stackName]]);
          const plugins = objects.filter((object) => object.kind === "KongPlugin" || object.kind === "KongClusterPlugin");
          const configs = (values: unknown[]) => values.map((value) => JSON.stringify(value)).sort();
          assert.deepEqual(configs(plugins.map((plugin) => plugin.config)), configs(spec.instances.map((instance) => instance.config)));
        }
      }),
      { numRuns: 40 },
    );
  });
});
