import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { parse as parseYaml } from "yaml";
import { KnepTargetType, KongPluginsValidationError, type KnepSpec } from "pulumi-kong-plugins";
import { knepSecretChecksum, renderKnep, renderKnepComposeService, renderKnepKubernetes } from "pulumi-kong-plugins/render";
import { stableYaml } from "../../components/core/canonical";
import { composeSchemaProblems, dockerComposeConfig } from "../helpers/compose";
import { builtInProblems } from "../helpers/kubernetes";

const SECRET = "amqps://kong:pa55w0rd@mq.example.com:5671/events";
const base = { image: "registry.example.com/knep:1.0.0", kongAdminUrl: "http://kong:8001" };
const specs: Record<string, KnepSpec> = {
  kafka: { ...base, targetType: KnepTargetType.Kafka, kafka: { brokers: ["kafka:9092"], topic: "kong-events" }, resources: { requests: { cpu: "50m", memory: "64Mi" }, limits: { memory: "128Mi" } } },
  http: { ...base, targetType: KnepTargetType.Http, http: { url: "https://sink.example.com/events" }, extraEnv: { PRICE: "$5 and ${HOME}" } },
  file: { ...base, targetType: KnepTargetType.File, file: { path: "/var/log/knep/events.jsonl" } },
  rabbitmq: { ...base, targetType: KnepTargetType.RabbitMq, rabbitmq: { url: SECRET, exchange: "kong" }, secretEnv: { API_TOKEN: "t0ken-xyz" }, replicas: 2 },
};

describe("renderKnepKubernetes", () => {
  for (const [target, spec] of Object.entries(specs)) {
    it(`renders valid objects for the ${target} target, secrets only in the Secret`, async () => {
      const objects = renderKnepKubernetes(spec, { namespace: "events", name: "knep" });
      for (const object of [objects.configMap, objects.deployment, ...(objects.secret ? [objects.secret] : [])]) {
        assert.deepEqual(await builtInProblems(object as never), [], `${object.kind}`);
      }
      const publicText = stableYaml([objects.configMap, objects.deployment]);
      assert.ok(!publicText.includes("pa55w0rd") && !publicText.includes("t0ken-xyz"), "no secret in the ConfigMap or Deployment");
      const pod = (objects.deployment.spec as { template: { spec: { securityContext: Record<string, unknown>; containers: Record<string, unknown>[] } } }).template.spec;
      assert.equal(pod.securityContext.runAsNonRoot, true);
      assert.equal(pod.securityContext.runAsUser, 65532);
      const container = pod.containers[0] as { securityContext: Record<string, unknown>; envFrom: unknown; env?: { name: string; valueFrom: unknown }[] };
      assert.equal(container.securityContext.readOnlyRootFilesystem, true);
      assert.equal(container.securityContext.allowPrivilegeEscalation, false);
      assert.deepEqual(container.envFrom, [{ configMapRef: { name: "knep-config" } }]);
      if (target === "rabbitmq") {
        assert.deepEqual(container.env?.map((e) => e.name), ["TARGET_RABBITMQ_URL", "API_TOKEN"]);
        assert.deepEqual(container.env?.[0]?.valueFrom, { secretKeyRef: { name: "knep-secret", key: "TARGET_RABBITMQ_URL" } });
        assert.deepEqual(objects.secret?.stringData, { TARGET_RABBITMQ_URL: SECRET, API_TOKEN: "t0ken-xyz" });
      } else {
        assert.equal(objects.secret, undefined);
        assert.equal(container.env, undefined);
      }
    });
  }

  it("gives the file target a writable volume at the file's folder", () => {
    const pod = (renderKnepKubernetes(specs.file as KnepSpec, { namespace: "events" }).deployment.spec as { template: { spec: { containers: { volumeMounts: unknown[] }[] } } }).template.spec;
    assert.deepEqual(pod.containers[0]?.volumeMounts, [{ name: "tmp", mountPath: "/tmp" }, { name: "events", mountPath: "/var/log/knep" }]);
  });

  it("changes the pod checksum exactly when a plain value changes; never renders a digest of a secret value", () => {
    const annotations = (spec: KnepSpec, secretChecksum?: string) =>
      (renderKnepKubernetes(spec, { namespace: "events", ...(secretChecksum !== undefined ? { secretChecksum } : {}) }).deployment.spec as { template: { metadata: { annotations: Record<string, string> } } }).template.metadata.annotations;
    const checksum = (spec: KnepSpec) => annotations(spec)["checksum/config"];
    const rabbit = specs.rabbitmq as KnepSpec;
    const original = checksum(rabbit);
    assert.match(original ?? "", /^sha256:[0-9a-f]{64}$/);
    assert.equal(checksum({ ...rabbit }), original);
    assert.equal(checksum({ ...rabbit, replicas: 5 }), original, "replicas do not restart pods");
    assert.notEqual(checksum({ ...rabbit, logLevel: "debug" as never }), original);
    const rotated = { ...rabbit, secretEnv: { API_TOKEN: "rotated" } };
    assert.deepEqual(annotations(rotated), annotations(rabbit), "what is rendered does not depend on a secret value");
    assert.equal(annotations(rabbit)["checksum/secret"], "[secret]");
    assert.equal(annotations(rabbit, knepSecretChecksum(rabbit))["checksum/secret"], knepSecretChecksum(rabbit), "a caller gives the roll trigger of the secret values, and keeps it secret");
    assert.notEqual(knepSecretChecksum(rotated), knepSecretChecksum(rabbit));
    assert.equal(annotations(specs.http as KnepSpec)["checksum/secret"], undefined, "no secret variables, no secret checksum");
  });
});

describe("renderKnepComposeService", () => {
  it("renders services that docker-compose and the compose spec accept, secrets as required ${VAR} references", () => {
    for (const [target, spec] of Object.entries(specs)) {
      const rendered = renderKnepComposeService(spec, { dependsOn: ["kong"] });
      const document = { services: { [rendered.name]: rendered.service, kong: { image: "kong/kong-gateway:3.10" } }, ...(Object.keys(rendered.volumes).length > 0 ? { volumes: rendered.volumes } : {}) };
      assert.deepEqual(composeSchemaProblems(document), [], target);
      const secrets = Object.fromEntries(rendered.secretVariables.map((variable) => [variable, `value-of-${variable}`]));
      const config = dockerComposeConfig(document, {}, secrets);
      assert.equal(config.status, 0, `${target}: ${config.stderr}`);
      const resolved = parseYaml(config.stdout).services.knep.environment;
      for (const variable of renderKnepComposeService(spec).secretVariables) assert.equal(resolved[variable.replace(/^KNEP_/, "")], `value-of-${variable}`);
      assert.ok(!stableYaml(document).includes("pa55w0rd") && !stableYaml(document).includes("t0ken-xyz"), "no secret inline");
    }
  });

  it("keeps $ in plain values literal through compose interpolation", () => {
    const rendered = renderKnepComposeService(specs.http as KnepSpec);
    const config = dockerComposeConfig({ services: { knep: rendered.service } }, {}, { HOME: "/should/not/appear" });
    assert.equal(config.status, 0, config.stderr);
    // `config` prints a compose file again, so it re-escapes `$` as `$$`; read it back once.
    const printed: string = parseYaml(config.stdout).services.knep.environment.PRICE;
    assert.equal(printed.replace(/\$\$/g, "$"), "$5 and ${HOME}");
    assert.ok(!config.stdout.includes("/should/not/appear"), "nothing was interpolated");
  });

  it("fails docker-compose config when a secret is not provided, and lists it in .env.example", () => {
    const rendered = renderKnepComposeService(specs.rabbitmq as KnepSpec);
    assert.equal(rendered.envExample, "# Secrets of the knep service. Copy to .env and fill in; never commit .env.\nKNEP_TARGET_RABBITMQ_URL=\nKNEP_API_TOKEN=\n");
    const config = dockerComposeConfig({ services: { knep: rendered.service } });
    assert.notEqual(config.status, 0);
    assert.match(config.stderr, /set KNEP_TARGET_RABBITMQ_URL in \.env/);
  });

  it("without an image, asks for KNEP_IMAGE when the project starts, and uses it once given", () => {
    const { image: _none, ...imageless } = specs.kafka as KnepSpec;
    const rendered = renderKnepComposeService(imageless);
    assert.deepEqual(rendered.requiredVariables, ["KNEP_IMAGE"]);
    assert.match(rendered.envExample, /^# Required: this project cannot start without them\.\nKNEP_IMAGE=\n/);
    const unset = dockerComposeConfig({ services: { knep: rendered.service } });
    assert.notEqual(unset.status, 0);
    assert.match(unset.stderr, /KNEP has no public image: set KNEP_IMAGE in \.env to your registry's KNEP image/);
    const given = dockerComposeConfig({ services: { knep: rendered.service } }, { ".env": "KNEP_IMAGE=registry.example.com/knep:2.0.0\n" });
    assert.equal(given.status, 0, given.stderr);
    assert.equal(parseYaml(given.stdout).services.knep.image, "registry.example.com/knep:2.0.0");
  });
});

describe("KNEP without an image on Kubernetes", () => {
  it("is refused with the path of the image, where nothing could ask for it later", () => {
    const { image: _none, ...imageless } = specs.kafka as KnepSpec;
    assert.throws(
      () => renderKnepKubernetes(imageless, { namespace: "events" }),
      (error: KongPluginsValidationError) => error.issues.some((issue) => issue.path === "image" && /required on Kubernetes: KNEP has no public image/.test(issue.message)),
    );
    assert.throws(
      () => renderKnep({ spec: imageless, registersKubernetes: true }, { namespace: "events" }),
      (error: KongPluginsValidationError) => error.issues.some((issue) => issue.path === "image"),
    );
    assert.equal(renderKnep({ spec: imageless }, { namespace: "events" }).kubernetes, undefined, "a compose-only KNEP renders no Kubernetes objects");
  });
});
