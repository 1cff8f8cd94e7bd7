import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import { KubernetesDelivery, KubernetesStack, PluginDelivery, PluginRetirement, type PluginSpec } from "pulumi-kong-plugins";
import { enabledPluginsValue, gatewayIssues, PluginStage, pluginStages, renderComposeProject, renderKubernetesManifests, resolvePlugin, resolvePluginInstance, skippedRetirementSteps } from "pulumi-kong-plugins/render";
import { createRequire } from "node:module";
import type * as pulumi from "@pulumi/pulumi";
import type { PluginLifecycleState } from "../../components/gateway/plugin-lifecycle";
import { rateLimitExample } from "../../examples/quickstart/rate-limit-example";
import { installMocks, recordRegistrations, settled, valueOf, type RegisteredResource, type Registration } from "../helpers/pulumi-mocks";

const headerPlugin: PluginSpec = {
  name: "header-echo",
  version: "1.0.0",
  source: {
    files: {
      "handler.lua": 'return { PRIORITY = 5, VERSION = "1.0.0", access = function() end }\n',
      "schema.lua": 'return { name = "header-echo", fields = { { config = { type = "record", fields = {} } } } }\n',
    },
  },
};
const rateLimit = resolvePlugin(rateLimitExample());
const header = resolvePlugin(headerPlugin);
const limitOrders = resolvePluginInstance({ name: "limit-orders", plugin: "rate-limit-example", config: { limit: 10 } });

let registered: RegisteredResource[];
let registrations: Registration[];
before(() => {
  registered = installMocks();
  registrations = recordRegistrations();
});

describe("retirement in the gateway preflight and Kong's environment", () => {
  const gateway = (retirement: Record<string, PluginRetirement>, instances = [limitOrders]) => ({ plugins: [rateLimit, header], delivery: PluginDelivery.Mount, instances, retirement });

  it("retiring: still installed and enabled, and no instance may use it (Kong's step 1)", () => {
    const retiring = gateway({ "rate-limit-example": PluginRetirement.Retiring });
    assert.equal(enabledPluginsValue(retiring), "bundled,header-echo,rate-limit-example");
    const issues = gatewayIssues(retiring);
    assert.deepEqual(issues.map((issue) => issue.path), ["instances[0].plugin"]);
    assert.match(issues[0]!.message, /rate-limit-example is retiring: step 1 of Kong's removal order takes it off every service, route, consumer and global first, and limit-orders still configures it/);
    assert.deepEqual(gatewayIssues(gateway({ "rate-limit-example": PluginRetirement.Retiring }, [])), []);
  });

  it("disabled: out of KONG_PLUGINS, its files still mounted, and no instance may use it (Kong's step 2)", () => {
    const disabled = gateway({ "rate-limit-example": PluginRetirement.Disabled }, []);
    assert.equal(enabledPluginsValue(disabled), "bundled,header-echo");
    assert.deepEqual(gatewayIssues(disabled), []);
    const compose = renderComposeProject({ gateway: disabled });
    assert.ok(compose.files.some((file) => file.path === "plugins/rate-limit-example/handler.lua"), "its files stay");
    assert.match(compose.composeYaml, /KONG_PLUGINS: bundled,header-echo\n/);
    const kubernetes = renderKubernetesManifests({ delivery: KubernetesDelivery.ConfigMap, gateway: disabled });
    assert.ok(kubernetes.entries.some((entry) => entry.object.metadata.name === "kong-plugin-rate-limit-example"), "its ConfigMap stays mounted");
    assert.equal(kubernetes.chartValues, undefined, "Kong's chart enables every plugin it mounts: no chart values for a disabled one");
    assert.throws(
      () => renderKubernetesManifests({ delivery: KubernetesDelivery.Operator, gateway: disabled, pluginImages: { "rate-limit-example": "r/rl:1", "header-echo": "r/he:1" } }),
      /gateway\.retirement\["rate-limit-example"\]: cannot be disabled with the operator delivery/,
    );
    const withInstance = gatewayIssues(gateway({ "rate-limit-example": PluginRetirement.Disabled }));
    assert.deepEqual(withInstance.map((issue) => issue.path), ["instances[0].plugin"], "one problem, in the words of the removal order");
    assert.match(withInstance[0]!.message, /is disabled: step 1 of Kong's removal order/);
  });

  it("refuses retirement of a plugin the gateway lacks, an unknown stage, and disabling inside a gateway image", () => {
    const issues = gatewayIssues({ plugins: [rateLimit], delivery: PluginDelivery.Mount, instances: [], retirement: { ghost: PluginRetirement.Retiring, "rate-limit-example": "gone" as PluginRetirement } });
    assert.deepEqual(issues.map((issue) => issue.path).sort(), ["retirement.ghost", 'retirement["rate-limit-example"]']);
    const image = gatewayIssues({
      plugins: [rateLimit],
      delivery: PluginDelivery.Image,
      image: { name: "registry.example.com/kong@sha256:" + "a".repeat(64), kongPlugins: "bundled,rate-limit-example", luaRoot: "/usr/local/share/lua/5.1" },
      instances: [],
      retirement: { "rate-limit-example": PluginRetirement.Disabled },
    });
    assert.match(image.map((issue) => issue.message).join("\n"), /the gateway image sets KONG_PLUGINS; rebuild the GatewayImage without the plugin/);
  });
});

const STAGES = [PluginStage.InUse, PluginStage.Retiring, PluginStage.Disabled, undefined] as const;
type Stage = (typeof STAGES)[number];
const label = (stage: Stage) => stage ?? "removed";
/** Kong's order forbids exactly these: off KONG_PLUGINS while in use, files gone while enabled. */
const REFUSED = new Set(["in-use→disabled", "in-use→removed", "retiring→removed"]);

/** The stack's inputs for one plugin at a stage, beside a plugin that stays in use. */
function stackArgs(stage: Stage) {
  const retirement: Record<string, PluginRetirement> = {};
  if (stage === PluginStage.Retiring) retirement["rate-limit-example"] = PluginRetirement.Retiring;
  if (stage === PluginStage.Disabled) retirement["rate-limit-example"] = PluginRetirement.Disabled;
  return {
    delivery: KubernetesDelivery.ConfigMap,
    plugins: stage === undefined ? [headerPlugin] : [rateLimitExample(), headerPlugin],
    instances: stage === PluginStage.InUse ? [{ name: "limit-orders", plugin: "rate-limit-example", config: { limit: 10 } }] : [],
    retirement,
  };
}

/** Pulumi's own loader of a serialized dynamic provider, as its dynamic provider host uses it. */
const requireFromString = createRequire(require.resolve("@pulumi/pulumi"))("require-from-string") as (code: string) => { handler(): pulumi.dynamic.ResourceProvider };
/** The provider as the engine runs it: deserialized from what the stack registered (`__provider`). */
let pluginLifecycleProvider: pulumi.dynamic.ResourceProvider;

let deployments = 0;
/** Registers a KubernetesStack under mocks and returns what its lifecycle resource was given, and its KONG_PLUGINS. */
async function deploy(stage: Stage): Promise<{ inputs: PluginLifecycleState; kongPlugins: string }> {
  const name = `retire-${(deployments += 1)}`;
  const stack = new KubernetesStack(name, stackArgs(stage));
  const manifests = await valueOf(stack.manifests);
  await settled(registrations);
  const lifecycle = registered.find((resource) => resource.name === `${name}-plugin-lifecycle`);
  assert.ok(lifecycle, "the stack registers <name>-plugin-lifecycle");
  const deployment = registrations.find((registration) => registration.name === name && registration.type === "kubernetes:apps/v1:Deployment");
  assert.ok(deployment?.dependencies.includes(registrations.find((registration) => registration.name === `${name}-plugin-lifecycle`)!.urn!), "the Deployment waits for the lifecycle check");
  const proxy = manifests.find((object) => object.kind === "Deployment")!.spec.template.spec.containers[0];
  const { __provider: serialized, ...inputs } = lifecycle.inputs as Record<string, unknown>;
  pluginLifecycleProvider = requireFromString(serialized as string).handler();
  return { inputs: inputs as unknown as PluginLifecycleState, kongPlugins: proxy.env.find((variable: { name: string }) => variable.name === "KONG_PLUGINS").value };
}

/** One update as the engine runs it: diff against the recorded state, then update; a refused diff leaves the state as it was. */
async function update(state: PluginLifecycleState, news: PluginLifecycleState): Promise<{ state: PluginLifecycleState; refused?: Error }> {
  try {
    const diff = await pluginLifecycleProvider.diff!("plugin-lifecycle", state, news);
    if (!diff.changes) return { state };
    return { state: (await pluginLifecycleProvider.update!("plugin-lifecycle", state, news)).outs as PluginLifecycleState };
  } catch (error) {
    return { state, refused: error as Error };
  }
}

describe("the removal order across consecutive updates (KubernetesStack under mocks, the lifecycle provider's diff as the engine runs it)", () => {
  it("records each plugin's stage from the stack's plugins and retirement", async () => {
    for (const stage of STAGES) {
      const { inputs, kongPlugins } = await deploy(stage);
      assert.deepEqual(inputs.stages, stage === undefined ? { "header-echo": "in-use" } : { "header-echo": "in-use", "rate-limit-example": stage });
      assert.equal(kongPlugins, stage === PluginStage.InUse || stage === PluginStage.Retiring ? "bundled,header-echo,rate-limit-example" : "bundled,header-echo");
    }
  });

  it("Kong's order in three updates: in use → retiring → disabled → removed, each allowed", async () => {
    let state = (await pluginLifecycleProvider.create((await deploy(PluginStage.InUse)).inputs)).outs as PluginLifecycleState;
    for (const stage of [PluginStage.Retiring, PluginStage.Disabled, undefined]) {
      const result = await update(state, (await deploy(stage)).inputs);
      assert.equal(result.refused, undefined, `${label(stage)} is the next step`);
      state = result.state;
      assert.equal(state.stages["rate-limit-example"], stage);
    }
  });

  it("every sequence of three updates from every stage: each transition allowed or refused as Kong's order says, naming the next step; a refused update records nothing", async () => {
    const inputsOf = new Map<Stage, PluginLifecycleState>();
    for (const stage of STAGES) inputsOf.set(stage, (await deploy(stage)).inputs);
    let sequences = 0;
    const seen = new Set<string>();
    for (const start of STAGES) {
      for (const first of STAGES) {
        for (const second of STAGES) {
          for (const third of STAGES) {
            let state = (await pluginLifecycleProvider.create(inputsOf.get(start)!)).outs as PluginLifecycleState;
            for (const next of [first, second, third]) {
              const before = state.stages["rate-limit-example"] as Stage;
              const transition = `${label(before)}→${label(next)}`;
              seen.add(transition);
              const result = await update(state, inputsOf.get(next)!);
              if (REFUSED.has(transition)) {
                assert.ok(result.refused, `${transition} is refused`);
                assert.match(result.refused.message, /^1 problem in the plugin removal order:\n  - /);
                const expectedNext = before === PluginStage.InUse ? /next step: mark it retiring/ : /next step: mark it disabled/;
                assert.match(result.refused.message, expectedNext, transition);
                assert.deepEqual(result.state, state, "the recorded stages stay");
              } else {
                assert.equal(result.refused, undefined, `${transition} is allowed: ${result.refused?.message}`);
                assert.equal(result.state.stages["rate-limit-example"], next);
              }
              assert.equal(result.state.stages["header-echo"], PluginStage.InUse);
              state = result.state;
            }
            sequences += 1;
          }
        }
      }
    }
    assert.equal(sequences, 4 * 64);
    // Every one of the 16 transitions between the four stages occurs in some sequence.
    assert.equal(seen.size, 16, [...seen].join(" "));
  });

  it("names the path and both skipped steps when a plugin in use is dropped", () => {
    const issues = skippedRetirementSteps(pluginStages({ plugins: [{ name: "a" }, { name: "b" }] }), pluginStages({ plugins: [{ name: "b" }] }));
    assert.deepEqual(issues.map((issue) => issue.path), ["plugins.a"]);
    assert.match(issues[0]!.message, /a is dropped from the plugin list while in-use, skipping steps 1 and 2 of Kong's removal order \(nodes still enabling it fail with "a plugin is enabled but not installed"\); next step: mark it retiring/);
  });
});
