import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { before, describe, it } from "node:test";
import * as pulumi from "@pulumi/pulumi";
import * as kp from "pulumi-kong-plugins";
import { knepSecretChecksum } from "pulumi-kong-plugins/render";
import { parse as parseYaml } from "yaml";
import { canonicalJson } from "../../components/core/canonical";
import { repoRoot, tempDir } from "../helpers/paths";
import { linkedProject, runProgramUnderMocks } from "../helpers/program";
import { readTree } from "../helpers/tree";
import { installMocks, recordRegistrations, settled, valueOf, type Registration } from "../helpers/pulumi-mocks";
import { examplePluginDir } from "../helpers/paths";

const CLI = join(repoRoot, "dist", "cli", "kong-plugins.js");
const SECRET_SIG_KEY = "4dabf18193072939515e22adb298388d";

/** Every kind of secret a program can give, each with a value of its own, so that a hit names the kind. */
const KINDS = [
  "secretConfig",
  "configArray",
  "configRecord",
  "httpUrl",
  "extraEnv",
  "secretEnv",
  "rabbitmqUrl",
  "postgresUser",
  "postgresPassword",
  "registryPassword",
  "kongEnv",
  "rockspecUrl",
  "baseImage",
  "konnectToken",
] as const;
const SECRETS = Object.fromEntries(KINDS.map((kind) => [kind, `s3cr3t+${kind}+Zq9x7Wv`]));

/** Where in a base64 text the bytes of `secret` alone show, at each of the three alignments it can start at. */
function base64Cores(secret: string, encoding: "base64" | "base64url"): string[] {
  return [0, 1, 2].map((pad) => {
    const bytes = Buffer.concat([Buffer.alloc(pad, 0x20), Buffer.from(secret)]);
    const start = Math.ceil(pad / 3) * 3;
    const end = Math.floor(bytes.length / 3) * 3;
    return bytes.subarray(0, end).toString(encoding).slice((start / 3) * 4);
  });
}

/** The secret in plain, URL-encoded and base64 forms. */
const FORMS = Object.fromEntries(
  KINDS.map((kind) => {
    const secret = SECRETS[kind] as string;
    return [kind, { plain: [secret], "url-encoded": [encodeURIComponent(secret)], base64: [...base64Cores(secret, "base64"), ...base64Cores(secret, "base64url")] }];
  }),
);

/** Every form of every secret found in `text`, as `<where>: <kind> (<form>)`. */
function hits(where: string, text: string): string[] {
  return Object.entries(FORMS).flatMap(([kind, forms]) =>
    Object.entries(forms).flatMap(([form, needles]) => (needles.some((needle) => text.includes(needle)) ? [`${where}: ${kind} (${form})`] : [])),
  );
}


function preview(program: string, args: string[] = []) {
  const out = join(program, "preview");
  const result = spawnSync(process.execPath, [CLI, "preview", program, "--out", out, ...args], { cwd: repoRoot, encoding: "utf8" });
  return { status: result.status ?? -1, stdout: result.stdout, stderr: result.stderr, out };
}

/** A program's text from a body that sees `pulumi`, `kp` (this library) and `dir` (its folder) and returns its outputs. */
function programText(body: string): string {
  return `import * as pulumi from "@pulumi/pulumi";
import * as kp from "pulumi-kong-plugins";
const dir = __dirname;
const outputs = (() => { ${body} })();
for (const [key, value] of Object.entries(outputs)) exports[key] = value;
`;
}

const COMMON = `
  const SECRETS = ${JSON.stringify(SECRETS)};
  const s = (kind) => pulumi.secret(SECRETS[kind]);
  const pluginDir = ${JSON.stringify(examplePluginDir)};
  const registry = { server: "registry.example.com", username: "ci", password: s("registryPassword") };
  const services = [{ name: "orders", url: "http://orders:8080", routes: [{ name: "orders", paths: ["/orders"] }] }];
  const schema = { type: "object", additionalProperties: false, required: ["limit"], properties: { limit: { type: "integer", minimum: 1 }, period: { type: "string", enum: ["second", "minute", "hour"] } } };
  const rl = new kp.PluginMetadata("rl", { name: "rate-limit-example", version: "1.0.0", source: { directory: pluginDir }, configSchema: schema });
  const outputsOf = (components) => {
    const outputs = {};
    for (const [name, component] of Object.entries(components)) {
      for (const [key, value] of Object.entries(component)) if (pulumi.Output.isInstance(value) && key !== "urn") outputs[name + "." + key] = value;
    }
    return outputs;
  };
`;

/**
 * Every component, every kind of secret: the references (secret config, KNEP's RabbitMQ URL and
 * secretEnv, the PostgreSQL password, a registry password) together, and each other kind alone in
 * stacks of its own, beside references, so that no secret keeps another's leak out of sight.
 */
const EVERYTHING = `${COMMON}
  const components = { rl };
  components.rlPrivate = new kp.PluginMetadata("rl-private", { name: "rate-limit-example", version: "1.0.0", source: { directory: pluginDir }, rockspec: { sourceUrl: pulumi.interpolate\`git+https://\${s("rockspecUrl")}@git.example.com/rl.git\` } });
  const limited = components.limited = new kp.PluginInstance("limited", { plugin: rl.definition, service: "orders", config: { limit: 5 } });
  const redis = components.redis = new kp.PluginInstance("redis-limit", { pluginName: "rate-limiting", route: "orders", config: { minute: 5, policy: "redis" }, secretConfig: { redis_password: s("secretConfig") } });
  const transform = components.transform = new kp.PluginInstance("transform", { pluginName: "request-transformer", service: "orders",
    config: { add: { headers: [pulumi.interpolate\`authorization:Bearer \${s("configArray")}\`] }, meta: { token: s("configRecord") } } });
  const knep = { image: "registry.example.com/knep:1.0.0", kongAdminUrl: "http://kong:8001", targetType: "http", http: { url: "https://sink.example.com/hook" }, secretEnv: { API_TOKEN: s("secretEnv") } };
  const knepUrl = components.knepUrl = new kp.KnepDeployment("knep-url", { ...knep, http: { url: pulumi.interpolate\`https://sink.example.com/hook?token=\${s("httpUrl")}\` } });
  const knepEnv = components.knepEnv = new kp.KnepDeployment("knep-env", { ...knep, extraEnv: { TRACE_TOKEN: s("extraEnv") } });
  const mq = { ...knep, targetType: "rabbitmq", http: undefined, rabbitmq: { url: pulumi.interpolate\`amqps://kong:\${s("rabbitmqUrl")}@mq.example.com:5671/events\`, exchange: "kong" } };
  const knepMq = components.knepMq = new kp.KnepDeployment("knep-mq", mq);
  const knepOwn = components.knepOwn = new kp.KnepDeployment("knep-own", { ...mq, kubernetes: { namespace: "events" } });
  const upstreams = [{ name: "orders", image: "mccutchen/go-httpbin:v2.15.0" }];
  const password = { password: s("postgresPassword") };
  const refs = { plugins: [rl.definition], instances: [limited.definition, redis.definition], services, knep: knepMq.definition };
  components.composeRefs = new kp.ComposeStack("compose-refs", { ...refs, upstreams, database: "postgres", postgres: password });
  components.k8sRefs = new kp.KubernetesStack("k8s-refs", { ...refs, delivery: "configMap" });
  components.k8sRefsController = new kp.KubernetesStack("k8s-refs-controller", { ...refs, delivery: "configMap", configuration: "controller" });
  components.k8sOwnKnep = new kp.KubernetesStack("k8s-own-knep", { ...refs, delivery: "configMap", knep: knepOwn.definition });
  const others = {
    Config: { instances: [limited.definition, redis.definition, transform.definition] },
    KnepUrl: { knep: knepUrl.definition },
    KnepEnv: { knep: knepEnv.definition },
    KongEnv: { kongEnv: { KONG_LICENSE_DATA: s("kongEnv") } },
  };
  for (const [kind, extra] of Object.entries(others)) {
    components["compose" + kind] = new kp.ComposeStack("compose-" + kind.toLowerCase(), { ...refs, upstreams, database: "postgres", postgres: password, ...extra });
    components["k8s" + kind] = new kp.KubernetesStack("k8s-" + kind.toLowerCase(), { ...refs, delivery: "configMap", ...extra });
  }
  components.k8sConfigController = new kp.KubernetesStack("k8s-config-controller", { ...refs, ...others.Config, delivery: "configMap", configuration: "controller" });
  components.composePostgresUser = new kp.ComposeStack("compose-postgres-user", { ...refs, upstreams, database: "postgres", postgres: { ...password, user: s("postgresUser") } });
  const gw = components.gw = new kp.GatewayImage("gw", { plugins: [rl.definition], imageName: "registry.example.com/kong-gw:1.0.0", registry, contextDir: dir + "/contexts/gw" });
  components.pi = new kp.PluginImage("pi", { plugin: rl.definition, imageName: "registry.example.com/rl:1.0.0", registry, contextDir: dir + "/contexts/pi" });
  components.k8sImage = new kp.KubernetesStack("k8s-image", { delivery: "image", gatewayImage: gw.definition, instances: [redis.definition], services });
  const konnect = { plugin: rl.definition, controlPlaneId: "9524ec7d-36d9-465d-a8c5-83a3c9390458", token: s("konnectToken") };
  components.konnect = new kp.KonnectCustomPlugin("konnect", { ...konnect, controlPlaneName: "payments", instances: [limited.definition] });
  components.konnectSchema = new kp.KonnectPluginSchema("konnect-schema", konnect);
  return outputsOf(components);
`;

/** Every component failing, each with secrets in what it fails on. */
const FAILING = `${COMMON}
  const strict = new kp.PluginMetadata("strict", { name: "rate-limit-example", version: "1.0.0", source: { directory: pluginDir } });
  const badUrl = new kp.PluginMetadata("bad-url", { name: "rate-limit-example", version: "1.0.0", source: { directory: pluginDir }, rockspec: { sourceUrl: pulumi.interpolate\`no url \${s("rockspecUrl")}\` } });
  const instance = new kp.PluginInstance("root-fail", { plugin: strict.definition, service: "orders",
    config: { headers: [pulumi.interpolate\`authorization:Bearer \${s("configArray")}\`], meta: { token: s("configRecord") }, forbidden: true }, secretConfig: { token: s("secretConfig") } });
  const knepBad = new kp.KnepDeployment("knep-bad", { image: "r/knep:1", kongAdminUrl: "http://kong:8001", targetType: "http", http: { url: pulumi.interpolate\`not a url \${s("httpUrl")}\` },
    extraEnv: { TRACE_TOKEN: s("extraEnv"), LOG_LEVEL: s("extraEnv") } });
  const mqBad = new kp.KnepDeployment("mq-bad", { image: "r/knep:1", kongAdminUrl: "http://kong:8001", targetType: "rabbitmq", rabbitmq: { url: pulumi.interpolate\`nope \${s("rabbitmqUrl")}\`, exchange: "kong" },
    secretEnv: { API_TOKEN: s("secretEnv") } });
  const orphan = new kp.PluginInstance("orphan", { pluginName: "request-transformer", service: "nowhere", config: { add: { headers: [s("configArray")] } } });
  const composeBad = new kp.ComposeStack("compose-bad", { plugins: [rl.definition], instances: [orphan.definition], services,
    database: "postgres", postgres: { image: "postgres:9.3", user: s("postgresUser"), password: s("postgresPassword") }, kongEnv: { KONG_LUA_PACKAGE_PATH: s("kongEnv") } });
  const k8sBad = new kp.KubernetesStack("k8s-bad", { delivery: "configMap", plugins: [rl.definition], instances: [orphan.definition], kongEnv: { KONG_LUA_PACKAGE_PATH: s("kongEnv") } });
  const gwBad = new kp.GatewayImage("gw-bad", { plugins: [rl.definition], baseImage: s("baseImage"), imageName: "registry.example.com/kong-gw:1.0.0", registry, contextDir: dir + "/contexts/gw" });
  const piBad = new kp.PluginImage("pi-bad", { plugin: badUrl.definition, imageName: "registry.example.com/rl:1.0.0", registry, contextDir: dir + "/contexts/pi" });
  const konnectBad = new kp.KonnectCustomPlugin("konnect-bad", { plugin: rl.definition, controlPlaneId: s("konnectToken"), token: s("konnectToken"), baseUrl: s("konnectToken") });
  return outputsOf({ strict, badUrl, instance, knepBad, mqBad, composeBad, k8sBad, gwBad, piBad, konnectBad });
`;

/** The value with every Pulumi secret the engine was given replaced: what the engine stores in plaintext. */
function publicPart(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(publicPart);
  if (value === null || typeof value !== "object") return value;
  if ((value as Record<string, unknown>)[SECRET_SIG_KEY] !== undefined) return "[secret]";
  return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, publicPart(item)]));
}

/** Outputs that must stay public: what holds secrets as references only. */
const PUBLIC = [
  "rl.definition",
  "limited.definition",
  "redis.declarativeEntry",
  "redis.ingressControllerPlugin",
  "knepMq.deployment",
  "knepMq.composeService",
  "knepOwn.deployment",
  ...["composeYaml", "kongYaml", "envExample", "files"].map((output) => `composeRefs.${output}`),
  ...["k8sRefs", "k8sRefsController", "k8sOwnKnep", "k8sImage"].flatMap((stack) => ["yaml", "manifests", "kustomization"].map((output) => `${stack}.${output}`)),
  "gw.dockerfile",
  "gw.definition",
  "pi.dockerfile",
  ...["requestPreview", "requestBody", "deckFile", "pluginName", "digest"].map((output) => `konnect.${output}`),
  "konnectSchema.requestPreview",
];
/** Outputs that must be secret: what holds a secret other than as a reference. */
const SECRET = [
  "redis.definition",
  "redis.secretEnvironment",
  "transform.declarativeEntry",
  "transform.ingressControllerPlugin",
  "transform.definition",
  "knepUrl.deployment",
  "knepUrl.environment",
  "knepEnv.configMap",
  "knepEnv.composeService",
  "knepMq.definition",
  "rlPrivate.rockspec",
  "rlPrivate.definition",
  ...["Config", "KnepUrl", "KnepEnv", "KongEnv", "PostgresUser"].flatMap((kind) => ["composeYaml", "kongYaml"].map((output) => `compose${kind}.${output}`)),
  ...["Config", "ConfigController", "KnepUrl", "KnepEnv", "KongEnv"].flatMap((kind) => ["yaml", "manifests"].map((output) => `k8s${kind}.${output}`)),
];

describe("no secret in plaintext, anywhere", () => {
  let registrations: Registration[];
  before(() => {
    installMocks();
    registrations = recordRegistrations();
  });

  it("the preview CLI: no rendered file, preview file, output or line it prints holds a secret; references and [secret] stand in for them", () => {
    const run = preview(linkedProject(programText(EVERYTHING)));
    assert.equal(run.status, 0, `${run.stdout}${run.stderr}`);
    const tree = readTree(run.out);
    const found = [...hits("stdout", run.stdout), ...hits("stderr", run.stderr), ...[...tree].flatMap(([path, content]) => hits(path, content.toString("latin1")))];
    assert.deepEqual(found, []);

    const outputs = parseYaml(readFileSync(join(run.out, "stack-outputs.yaml"), "utf8")) as Record<string, unknown>;
    for (const key of PUBLIC) assert.ok(key in outputs && outputs[key] !== "[secret]", `${key} is public`);
    for (const key of SECRET) assert.equal(outputs[key], "[secret]", `${key} is secret`);
    const text = (path: string) => tree.get(path)?.toString("utf8") ?? "";
    assert.match(text("ComposeStack/compose-refs/kong.yaml"), /\{vault:\/\/env\/redis-limit-redis-password\}/);
    assert.match(text("ComposeStack/compose-refs/docker-compose.yaml"), /\$\{KNEP_TARGET_RABBITMQ_URL:\?/);
    assert.match(text("ComposeStack/compose-refs/docker-compose.yaml"), /\$\{KONG_PG_PASSWORD:\?/);
    assert.match(text("KubernetesStack/k8s-refs/manifests.yaml"), /TARGET_RABBITMQ_URL: "\[secret\]"/);
    assert.equal(text("ComposeStack/compose-postgres-user/docker-compose.yaml"), "[secret]\n", "a secret outside the references keeps the project secret");
    assert.equal(text("KubernetesStack/k8s-config/manifests.yaml"), "[secret]\n");
  });

  it("under mocks: no output that is not a secret, and no value the engine keeps in plaintext, holds a secret", async () => {
    const outputs = new Function("pulumi", "kp", "dir", EVERYTHING)(pulumi, kp, tempDir("contexts-")) as Record<string, pulumi.Output<unknown>>;
    const found: string[] = [];
    const secretKeys: string[] = [];
    for (const [key, output] of Object.entries(outputs)) {
      const value = await valueOf(output);
      if (await pulumi.isSecret(output)) secretKeys.push(key);
      else found.push(...hits(key, JSON.stringify(value) ?? ""));
    }
    await settled(registrations);
    for (const resource of registrations) found.push(...hits(`${resource.type} ${resource.name}`, JSON.stringify(publicPart(resource.inputs))));
    assert.deepEqual(found, []);
    for (const key of PUBLIC) assert.ok(!secretKeys.includes(key), `${key} is public`);
    for (const key of SECRET) assert.ok(secretKeys.includes(key), `${key} is secret`);

    const knepPod = registrations.find((resource) => resource.name === "knep-own" && resource.type === "kubernetes:apps/v1:Deployment")?.inputs as { spec: { template: { metadata: { annotations: Record<string, unknown> } } } };
    const annotations = knepPod.spec.template.metadata.annotations;
    assert.equal((annotations["checksum/secret"] as Record<string, unknown>)[SECRET_SIG_KEY] !== undefined, true, "the roll trigger of the secret values reaches the engine as a secret");
    assert.equal(typeof annotations["checksum/config"], "string", "and only it: the rest of the Deployment stays public");
  });

  it("errors: a failing program prints every problem, and no secret, through the CLI and under mocks", () => {
    const run = preview(linkedProject(programText(FAILING)));
    assert.equal(run.status, 1);
    const underMocks = runProgramUnderMocks(`const dir = ${JSON.stringify(tempDir("failing-contexts-"))}; (() => { ${FAILING} })();`);
    assert.equal(underMocks.status, 1);
    const messages = underMocks.errors.map((error) => error.message).join("\n");
    assert.deepEqual([...hits("stdout", run.stdout), ...hits("stderr", run.stderr), ...hits("under mocks", messages)], []);
    for (const text of [run.stderr, messages]) {
      // Each component failed on its secret inputs, and said so.
      // schema.lua judges the config: its messages name the fields, never their values.
      assert.match(text, /config\.headers: unknown field/);
      assert.match(text, /secretConfig\.token: unknown field/);
      assert.match(text, /http\.url: is not a valid URL \(received "\[secret\]"/);
      assert.match(text, /rabbitmq\.url: is not a valid URL \(received "\[secret\]"/);
      assert.match(text, /plugin is enabled but not installed.*\(received "\[secret\]"/);
      assert.match(text, /baseImage: is not an image reference \(received "\[secret\]"/);
      assert.match(text, /rockspec\.sourceUrl: is not a URL LuaRocks can fetch \(received "\[secret\]"/);
      assert.match(text, /controlPlaneId: .*\(received "\[secret\]"/);
    }
  });

  it("KNEP's pod checksum: no public output holds a digest a guess of the secret could be checked against", () => {
    const dictionary = ["guest", "hunter2", "rabbit", "letmein", "changeme", "s3cret"];
    const program = linkedProject(
      programText(`
        const password = new pulumi.Config().requireSecret("mqPassword");
        const url = pulumi.interpolate\`amqps://kong:\${password}@mq.example.com:5671/events\`;
        const args = { image: "registry.example.com/knep:1.0.0", kongAdminUrl: "http://kong:8001", targetType: "rabbitmq", rabbitmq: { url, exchange: "kong" } };
        const own = new kp.KnepDeployment("own", { ...args, kubernetes: { namespace: "events" } });
        const rendered = new kp.KnepDeployment("rendered", args);
        const stack = new kp.KubernetesStack("kong", { delivery: "configMap", knep: rendered.definition });
        const compose = new kp.ComposeStack("local", { knep: rendered.definition });
        return { ownDeployment: own.deployment, renderedDeployment: rendered.deployment, manifests: stack.yaml, compose: compose.composeYaml };
      `),
    );
    const runs = ["guest", "changeme"].map((password) => {
      const run = preview(program, ["--config", `mqPassword=${password}`]);
      assert.equal(run.status, 0, `${run.stdout}${run.stderr}`);
      return readTree(run.out);
    });
    assert.deepEqual(runs[0], runs[1], "nothing public depends on the secret value, so nothing public can confirm a guess of it");
    const text = [...(runs[0] as Map<string, Buffer>).values()].map((content) => content.toString("utf8")).join("\n");
    assert.match(text, /checksum\/secret: "\[secret\]"/);
    for (const guess of dictionary) {
      const url = `amqps://kong:${guess}@mq.example.com:5671/events`;
      const spec = { kongAdminUrl: "http://kong:8001", targetType: kp.KnepTargetType.RabbitMq, rabbitmq: { url, exchange: "kong" } };
      const sha256 = (data: string) => createHash("sha256").update(data).digest("hex");
      for (const digest of [sha256(guess), sha256(url), sha256(canonicalJson({ TARGET_RABBITMQ_URL: url })), knepSecretChecksum(spec).replace(/^sha256:/, "")]) {
        assert.ok(!text.includes(digest), `no digest of ${JSON.stringify(guess)} in the preview`);
      }
    }
  });
});
