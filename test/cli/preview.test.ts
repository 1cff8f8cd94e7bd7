import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { cpSync, existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { parse as parseYaml, parseAllDocuments } from "yaml";
import { writeOwnedFolder } from "../../components/core/owned-folder";
import { composeSchemaProblems } from "../helpers/compose";
import { buildContextDir, inspectImage, removeImage, standInKongImage } from "../helpers/buildah";
import { CONTROLPLANE_V2BETA1_SCHEMA, controlPlaneRuleProblems } from "../helpers/controlplane-schema";
import { crdProblems, crdSchema } from "../helpers/crd-schema";
import { builtInProblems } from "../helpers/kubernetes";
import { repoRoot, sharedFixture, tempDir, testFixture } from "../helpers/paths";
import { mustRun, runTool } from "../helpers/tools";
import { readTree } from "../helpers/tree";

const CLI = join(repoRoot, "dist", "cli", "kong-plugins.js");
const EXAMPLES: Record<string, string> = {
  quickstart: ".",
  kubernetes: "examples/kubernetes",
  "custom-image": "examples/custom-image",
  operator: "examples/operator",
  "seed-operator": "examples/seed-operator",
};

function preview(program: string, args: string[], env: Record<string, string> = {}) {
  const result = spawnSync(process.execPath, [CLI, "preview", program, ...args], { cwd: repoRoot, encoding: "utf8", env: { ...process.env, ...env } });
  return { status: result.status ?? -1, stdout: result.stdout, stderr: result.stderr };
}


const built: string[] = [];
after(() => built.forEach(removeImage));

describe("kong-plugins preview", () => {
  for (const [example, program] of Object.entries(EXAMPLES)) {
    it(`${example}: exits 0 and renders exactly the committed expectation (--check)`, () => {
      const run = preview(program, ["--out", `examples/${example}/expected`, "--check"]);
      assert.equal(run.status, 0, `${run.stdout}${run.stderr}`);
      assert.match(run.stdout, /is up to date/);
      // The repository root is also where unit tests run components under mocks: look at the example folders.
      if (program !== ".") assert.equal(existsSync(join(repoRoot, program, ".kong-plugins")), false, "the offline preview writes no build context");
    });
  }

  it("quickstart: the compose project runs as rendered (its upstream is in it, KNEP's image is asked for), passes docker-compose and its schemas; the rockspec builds from the archive beside it", () => {
    const out = join(repoRoot, "examples/quickstart/expected");
    const project = join(out, "ComposeStack/local");
    const compose = parseYaml(readFileSync(join(project, "docker-compose.yaml"), "utf8"));
    assert.deepEqual(composeSchemaProblems(compose), []);
    const composeConfig = (env: Record<string, string>) => runTool("docker-compose", ["-f", join(project, "docker-compose.yaml"), "config"], { cwd: project, env: { PATH: process.env.PATH ?? "", ...env } });
    const asked = composeConfig({});
    assert.notEqual(asked.status, 0, "without KNEP_IMAGE the project does not start");
    assert.match(asked.stderr, /KNEP has no public image: set KNEP_IMAGE in \.env to your registry's KNEP image/);
    assert.match(readFileSync(join(project, ".env.example"), "utf8"), /^KNEP_IMAGE=$/m);
    const config = composeConfig({ KNEP_IMAGE: "registry.example.com/knep:1.0.0" });
    assert.equal(config.status, 0, config.stderr);
    const resolved = parseYaml(config.stdout);
    assert.equal(resolved.services.knep.image, "registry.example.com/knep:1.0.0");
    for (const service of parseYaml(readFileSync(join(project, "kong.yaml"), "utf8")).services) {
      assert.ok(new URL(service.url).hostname in resolved.services, `${service.name}'s upstream ${service.url} is a service of the project`);
    }
    assert.equal(compose.services.kong.environment.KONG_PLUGINS, "bundled,rate-limit-example");
    // luarocks build unpacks the archive where it runs: build from a copy, not the committed folder.
    const copy = tempDir("rock-build-");
    cpSync(join(out, "PluginMetadata/rate-limit-example"), copy, { recursive: true });
    const tree = mustRun("luarocks", ["build", "--tree", join(tempDir(), "tree"), "kong-plugin-rate-limit-example-1.0.0-1.rockspec"], { cwd: copy });
    assert.match(tree, /kong-plugin-rate-limit-example 1\.0\.0-1 is now installed/);
  });

  it("Kubernetes examples: every manifest passes its schema and kubectl kustomize builds each folder", async () => {
    const crds: Record<string, Record<string, unknown>> = {
      KongPlugin: crdSchema(sharedFixture("kong-crds/configuration.konghq.com_kongplugins.yaml")),
      KongClusterPlugin: crdSchema(sharedFixture("kong-crds/configuration.konghq.com_kongclusterplugins.yaml")),
      KongPluginInstallation: crdSchema(sharedFixture("kong-crds/gateway-operator.konghq.com_kongplugininstallations.yaml")),
      DataPlane: crdSchema(sharedFixture("kong-crds/gateway-operator.konghq.com_dataplanes.yaml"), "v1beta1"),
      ControlPlane: CONTROLPLANE_V2BETA1_SCHEMA as never,
    };
    for (const example of ["kubernetes", "custom-image", "operator", "seed-operator"]) {
      const dir = join(repoRoot, `examples/${example}/expected/KubernetesStack/kong`);
      const objects = parseAllDocuments(mustRun("kubectl", ["kustomize", dir])).map((document) => document.toJSON());
      const seedCrds = objects.filter((o) => o.kind === "CustomResourceDefinition").map((crd) => [crd.spec.names.kind, crdSchema(crd)]);
      const schemas = { ...crds, ...Object.fromEntries(seedCrds) } as Record<string, Record<string, unknown>>;
      for (const object of objects) {
        const where = `${example}: ${object.kind} ${object.metadata.name}`;
        if (["v1", "apps/v1", "apiextensions.k8s.io/v1", "networking.k8s.io/v1", "rbac.authorization.k8s.io/v1"].includes(object.apiVersion)) assert.deepEqual(await builtInProblems(object), [], where);
        else {
          assert.ok(schemas[object.kind], `${where}: no schema`);
          assert.deepEqual(crdProblems(schemas[object.kind] as Record<string, unknown>, object), [], where);
          if (object.kind === "ControlPlane") assert.deepEqual(controlPlaneRuleProblems(object), [], where);
        }
      }
    }
  });

  it("custom-image and operator: the rendered build contexts build with buildah", () => {
    standInKongImage("kong/kong-gateway:3.10");
    const gatewayTag = "localhost/kong-plugins-test/example-gateway:1";
    buildContextDir(join(repoRoot, "examples/custom-image/expected/GatewayImage/gateway/context"), gatewayTag);
    built.push(gatewayTag);
    assert.equal(inspectImage(gatewayTag).env.KONG_PLUGINS, "bundled,rate-limit-example");
    const pluginTag = "localhost/kong-plugins-test/example-plugin:1";
    buildContextDir(join(repoRoot, "examples/operator/expected/PluginImage/rate-limit-example-image/context"), pluginTag);
    built.push(pluginTag);
    assert.equal(inspectImage(pluginTag).labels["org.opencontainers.image.title"], "rate-limit-example");
  });

  it("never writes a secret in plaintext: every secret shows as [secret]", () => {
    const out = tempDir("preview-secret-");
    const run = preview(testFixture("cli/fixtures/secret-program"), ["--out", out]);
    assert.equal(run.status, 0, `${run.stdout}${run.stderr}`);
    const tree = readTree(out);
    assert.ok(tree.size > 20);
    for (const [path, content] of tree) assert.ok(!content.toString("latin1").includes("PLAINTEXT-SECRET-MUST-NOT-LEAK"), path);
    const text = [...tree.values()].map((content) => content.toString("utf8")).join("\n");
    assert.match(text, /\[secret\]/);
    assert.equal(parseYaml(readFileSync(join(out, "stack-outputs.yaml"), "utf8")).secretEnvironment, "[secret]");
  });

  it("--check exits 1 and prints a unified diff after one config value changes", () => {
    const run = preview(".", ["--out", "examples/quickstart/expected", "--check", "--config", "rateLimit=42"]);
    assert.equal(run.status, 1);
    assert.match(run.stdout, /^--- a\/ComposeStack\/local\/kong\.yaml$/m);
    assert.match(run.stdout, /^-\s+limit: 100$/m);
    assert.match(run.stdout, /^\+\s+limit: 42$/m);
    assert.match(run.stderr, /differs from what the program renders now/);
  });

  it("renders identical trees in two runs with different working folders, time zones and output folders", () => {
    const first = tempDir("preview-a-");
    const second = tempDir("preview-b-");
    assert.equal(preview(".", ["--out", first], { TZ: "UTC" }).status, 0);
    const otherCwd = spawnSync(process.execPath, [CLI, "preview", repoRoot, "--out", second], { cwd: tempDir(), encoding: "utf8", env: { ...process.env, TZ: "Asia/Kolkata" } });
    assert.equal(otherCwd.status, 0, otherCwd.stderr);
    assert.deepEqual(readTree(second), readTree(first));
  });

  it("a failing program exits non-zero and lists its validation issues", () => {
    const out = tempDir("preview-fail-");
    // A previous preview, which the failed run must leave as it was.
    writeOwnedFolder(out, ["resources.txt", "stack-outputs.yaml"].map((path) => ({ path, content: "previous output" })));
    const before = readTree(out);
    const run = preview(testFixture("cli/fixtures/failing-program"), ["--out", out]);
    assert.equal(run.status, 1);
    assert.match(run.stderr, /failing-program \(dev\) failed/);
    assert.match(run.stderr, /config\.limit: value must be greater than 0/);
    assert.match(run.stderr, /config\.period: expected one of: second, minute, hour/);
    assert.deepEqual(readTree(out), before, "a failed preview writes nothing");
  });
});
