import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { KnepTargetType, type KnepSpec } from "pulumi-kong-plugins";
import { renderKnep, renderKnepKubernetes } from "pulumi-kong-plugins/render";
import { builtInProblems } from "../helpers/kubernetes";
import { runProgramUnderMocks } from "../helpers/program";
import { issuesOf } from "../helpers/tree";

const spec: KnepSpec = { image: "registry.example.com/knep:1.0.0", kongAdminUrl: "http://kong:8001", targetType: KnepTargetType.Http, http: { url: "http://sink:8080" }, secretEnv: { TOKEN: "t" } };

const pathsOf = (render: () => unknown): string[] => issuesOf(render).map((issue) => issue.path);

describe("KNEP's Kubernetes names, as the API server validates them", () => {
  it("refuses a namespace that is not an RFC 1123 label, and a base name that is not one either, at once", () => {
    for (const namespace of ["", "Events", "events.prod", "-events", "e".repeat(64), "events_prod"]) {
      assert.deepEqual(pathsOf(() => renderKnepKubernetes(spec, { namespace, name: "knep" })), ["namespace"], JSON.stringify(namespace));
    }
    for (const name of ["", "Knep", "knep.events", "knep_events", "knep-", "k".repeat(64)]) {
      assert.deepEqual(pathsOf(() => renderKnepKubernetes(spec, { namespace: "events", name })), ["name"], JSON.stringify(name));
    }
    assert.deepEqual(pathsOf(() => renderKnepKubernetes({ ...spec, image: undefined } as KnepSpec, { namespace: "Bad", name: "Bad" })), ["image", "namespace", "name"]);
  });

  it("takes the longest label, and the derived <name>-config and <name>-secret fit too", async () => {
    const name = `k${"n".repeat(61)}p`;
    const objects = renderKnepKubernetes(spec, { namespace: "e".repeat(63), name });
    assert.deepEqual([objects.configMap.metadata.name, objects.secret?.metadata.name], [`${name}-config`, `${name}-secret`]);
    for (const object of [objects.configMap, objects.deployment, ...(objects.secret ? [objects.secret] : [])]) assert.deepEqual(await builtInProblems(object as never), [], object.kind);
  });

  it("on Kubernetes refuses the definition's kubernetesName and the namespace; elsewhere renders no objects Kubernetes would refuse", () => {
    assert.deepEqual(pathsOf(() => renderKnep({ spec, kubernetesName: "Event_Proxy" }, { namespace: "Events", onKubernetes: true })).sort(), ["kubernetesName", "namespace"]);
    const offKubernetes = renderKnep({ spec, kubernetesName: "Event_Proxy" }, { namespace: "default" });
    assert.equal(offKubernetes.kubernetes, undefined);
    assert.ok(offKubernetes.composeService.service, "its compose service is still rendered");
  });

  it("KnepDeployment fails with a ResourceError naming the namespace it was given", () => {
    const run = runProgramUnderMocks(`
      const knep = new kp.KnepDeployment("events", { image: "r/knep:1", kongAdminUrl: "http://kong:8001", targetType: "http", http: { url: "http://sink" }, kubernetes: { namespace: "Observability.Prod", name: "events" } });
      await knep.definition.promise();`);
    const error = run.errors.find((e) => e.name === "ResourceError");
    assert.ok(error, JSON.stringify(run.errors));
    assert.match(error.message, /namespace: is not a Kubernetes namespace name \(received "Observability\.Prod"/);
  });
});
