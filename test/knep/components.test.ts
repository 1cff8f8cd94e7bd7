import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import * as pulumi from "@pulumi/pulumi";
import { KnepDeployment, KnepTargetType } from "pulumi-kong-plugins";
import { renderKnepComposeService, renderKnepKubernetes, resolveKnep } from "pulumi-kong-plugins/render";
import { stableYaml } from "../../components/core/canonical";
import { runProgramUnderMocks } from "../helpers/program";
import { installMocks, recordRegistrations, settled, valueOf, type RegisteredResource, type Registration } from "../helpers/pulumi-mocks";

const AMQP = "amqps://kong:rabbit-pa55@mq.example.com:5671/events";
const TOKEN = "api-t0ken-secret";
const SECRET_SIG_KEY = "4dabf18193072939515e22adb298388d";

let registered: RegisteredResource[];
let registrations: Registration[];
before(() => {
  registered = installMocks();
  registrations = recordRegistrations();
});

function rabbitArgs() {
  return {
    image: "registry.example.com/knep:1.0.0",
    kongAdminUrl: "http://kong:8001",
    targetType: KnepTargetType.RabbitMq,
    rabbitmq: { url: pulumi.secret(AMQP), exchange: "kong" },
    secretEnv: { API_TOKEN: TOKEN },
  };
}

describe("KnepDeployment under mocks", () => {
  it("registers exactly a ConfigMap, a Secret and a Deployment as its children when kubernetes is set", async () => {
    const knep = new KnepDeployment("events", { ...rabbitArgs(), kubernetes: { namespace: "observability" } });
    assert.equal((await valueOf(knep.definition)).registersKubernetes, true);
    await valueOf(knep.deployment);
    await settled(registrations);
    const knepUrn = await valueOf(knep.urn);
    const urns = registrations.filter((registration) => registration.parent === knepUrn).map((registration) => registration.urn as string);
    assert.deepEqual(urns.map((urn) => urn.split("::").slice(2).join("::")), [
      "kong-plugins:index:KnepDeployment$kubernetes:core/v1:ConfigMap::events-config",
      "kong-plugins:index:KnepDeployment$kubernetes:core/v1:Secret::events-secret",
      "kong-plugins:index:KnepDeployment$kubernetes:apps/v1:Deployment::events",
    ]);
    const mine = registered.filter((resource) => resource.name.startsWith("events") && !resource.type.startsWith("kong-plugins:"));
    assert.deepEqual(mine.map((resource) => `${resource.type} ${resource.name}`).sort(), [
      "kubernetes:apps/v1:Deployment events",
      "kubernetes:core/v1:ConfigMap events-config",
      "kubernetes:core/v1:Secret events-secret",
    ]);
    const secretInputs = mine.find((resource) => resource.type === "kubernetes:core/v1:Secret")?.inputs as Record<string, unknown>;
    assert.equal((secretInputs.stringData as Record<string, unknown>)[SECRET_SIG_KEY], "1b47061264138c4ac30d75fd1eb44270", "the Secret's data reaches the engine as a secret");
    for (const resource of mine.filter((r) => r.type !== "kubernetes:core/v1:Secret")) {
      const text = JSON.stringify(resource.inputs);
      assert.ok(!text.includes("rabbit-pa55") && !text.includes(TOKEN), `${resource.type} carries no secret value`);
    }
  });

  it("outputs what the pure renderers render; secrets are Pulumi secrets wherever they flow and absent everywhere else", async () => {
    const variants = { "secret-input": rabbitArgs(), "plain-input": { ...rabbitArgs(), rabbitmq: { url: AMQP, exchange: "kong" } } };
    for (const [name, args] of Object.entries(variants)) {
      const knep = new KnepDeployment(name, args);
      assert.equal((await valueOf(knep.definition)).registersKubernetes, false);
      const expected = resolveKnep({ ...args, rabbitmq: { url: AMQP, exchange: "kong" }, secretEnv: { API_TOKEN: TOKEN } });
      const pure = renderKnepKubernetes(expected, { namespace: "default", name });
      assert.equal(await pulumi.isSecret(knep.secret), true);
      assert.deepEqual(await valueOf(knep.secret), pure.secret);
      assert.deepEqual(await valueOf(knep.deployment), pure.deployment, "same pod checksum from the withheld render");
      assert.deepEqual(await valueOf(knep.configMap), pure.configMap);
      assert.deepEqual(await valueOf(knep.composeService), renderKnepComposeService(expected));
      for (const output of [knep.environment, knep.configMap, knep.deployment, knep.composeService]) {
        assert.equal(await pulumi.isSecret(output as pulumi.Output<unknown>), false);
        const text = stableYaml(await valueOf(output as pulumi.Output<unknown>));
        assert.ok(!text.includes("rabbit-pa55") && !text.includes(TOKEN), "no secret value in rendered text");
      }
    }
  });

  it("says in its definition where the secrets are; a secret outside the URL and secretEnv keeps every rendered output secret", async () => {
    const referenced = new KnepDeployment("referenced", rabbitArgs());
    assert.deepEqual((await valueOf(referenced.definition)).secretPaths, ["spec.rabbitmq.url", "spec.secretEnv.API_TOKEN"]);
    const sink = new KnepDeployment("sink", { image: "r/knep:1", kongAdminUrl: "http://kong:8001", targetType: KnepTargetType.Http, http: pulumi.secret({ url: "https://sink.example.com/?t=x" }), kubernetes: { namespace: pulumi.secret("events") } });
    assert.deepEqual((await valueOf(sink.definition)).secretPaths, ["spec.http"], "the namespace is no part of the definition");
    for (const output of [sink.environment, sink.configMap, sink.deployment, sink.composeService]) {
      assert.equal(await pulumi.isSecret(output as pulumi.Output<unknown>), true);
    }
  });

  it("without an image, fails when it registers its Kubernetes objects, and so does a KubernetesStack given it", () => {
    const own = runProgramUnderMocks(`
      const knep = new kp.KnepDeployment("imageless", { kongAdminUrl: "http://kong:8001", targetType: "http", http: { url: "http://sink" }, kubernetes: { namespace: "events" } });
      await knep.definition.promise();`);
    assert.equal(own.status, 1);
    assert.ok(own.errors.some((e) => e.name === "ResourceError" && /  - image: is required on Kubernetes: KNEP has no public image/.test(e.message)), JSON.stringify(own.errors));
    const stack = runProgramUnderMocks(`
      const knep = new kp.KnepDeployment("imageless", { kongAdminUrl: "http://kong:8001", targetType: "http", http: { url: "http://sink" } });
      const kong = new kp.KubernetesStack("kong", { delivery: "configMap", knep: knep.definition });
      await kong.yaml.promise();`);
    assert.equal(stack.status, 1);
    assert.ok(stack.errors.some((e) => /image: is required on Kubernetes/.test(e.message)), JSON.stringify(stack.errors));
  });

  it("fails the program with every problem of a wrong combination, in one ResourceError", () => {
    const run = runProgramUnderMocks(`
      const knep = new kp.KnepDeployment("bad", { image: "r/knep:1", kongAdminUrl: "http://kong:8001", targetType: "kafka",
        kafka: { brokers: ["kafka"] }, http: { url: "http://sink" }, eventTypes: ["request", "requests"] });
      await knep.environment.promise();`);
    assert.equal(run.status, 1);
    const error = run.errors.find((e) => e.name === "ResourceError");
    assert.ok(error, JSON.stringify(run.errors));
    for (const path of ["http", "kafka.topic", "kafka.brokers[0]", "eventTypes[1]"]) assert.ok(error.message.includes(`  - ${path}:`), `${path} in ${error.message}`);
  });
});
