import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { KubernetesDelivery, PluginDelivery } from "pulumi-kong-plugins";
import { renderKubernetesManifests, type KubernetesManifestsSpec } from "pulumi-kong-plugins/render";
import { runProgramUnderMocks } from "../helpers/program";
import { issuesOf } from "../helpers/tree";

const spec: KubernetesManifestsSpec = { delivery: KubernetesDelivery.ConfigMap, gateway: { plugins: [], delivery: PluginDelivery.Mount, instances: [] } };

const pathsOf = (names: { name?: string; namespace?: string }): string[] => issuesOf(() => renderKubernetesManifests({ ...spec, ...names })).map((issue) => issue.path);

describe("renderKubernetesManifests: names the API server accepts", () => {
  it("refuses a namespace that is not an RFC 1123 label (a subdomain with dots is not one)", () => {
    for (const namespace of ["kong.prod", "Kong", "", "k".repeat(64)]) assert.deepEqual(pathsOf({ namespace }), ["namespace"], JSON.stringify(namespace));
    assert.deepEqual(pathsOf({ namespace: "k".repeat(63) }), []);
  });

  it("refuses a base name whose Service, <name>-proxy, would not be an RFC 1035 label", () => {
    for (const name of ["1kong", "kong.prod", "k".repeat(58), "Kong"]) assert.deepEqual(pathsOf({ name }), ["name"], JSON.stringify(name));
    const longest = `k${"o".repeat(56)}`;
    const service = renderKubernetesManifests({ ...spec, name: longest }).entries.find((entry) => entry.object.kind === "Service");
    assert.equal(service?.object.metadata.name, `${longest}-proxy`);
    assert.equal(service?.object.metadata.name.length, 63);
  });

  it("KubernetesStack fails with a ResourceError naming its namespace", () => {
    const run = runProgramUnderMocks(`
      const stack = new kp.KubernetesStack("kong", { delivery: "configMap", namespace: "kong.prod" });
      await stack.yaml.promise();`);
    const error = run.errors.find((e) => e.name === "ResourceError");
    assert.ok(error, JSON.stringify(run.errors));
    assert.match(error.message, /namespace: is not a Kubernetes namespace name \(received "kong\.prod"/);
  });
});
