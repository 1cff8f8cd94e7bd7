// One measurement of the component layer under Pulumi's mocks, in a process of its own:
//   node dist/bench/mocks-child.js library <declarative|controller> <N> <registrations.json>
//     PluginMetadata x 20, PluginInstance x N and a KubernetesStack; writes what it registered.
//   node dist/bench/mocks-child.js sdk <declarative|controller> <N> <registrations.json>
//     the SDK's own cost of the same registrations: as many plain ComponentResources, and the
//     same Kubernetes objects as plain `@pulumi/kubernetes` resources, under the same mocks.
//   node dist/bench/mocks-child.js sdk-state <declarative|controller> <N> <registrations.json>
//     the same, each component also registering the outputs the library's registered (its
//     state, as plain values): what the SDK costs to keep the same state.
// Prints one JSON line: milliseconds from process start until nothing is left to run (every
// registration settled), the number of resources and the peak RSS.
import { readFileSync, writeFileSync } from "node:fs";
import { performance } from "node:perf_hooks";
import * as pulumi from "@pulumi/pulumi";

/** One registration the mocked engine saw. */
export interface Registration {
  readonly type: string;
  readonly name: string;
  readonly component: boolean;
  readonly inputs?: Record<string, unknown>;
  /** A component's registered outputs (its state), as the engine received them. */
  readonly outputs?: Record<string, unknown>;
}

/** What one child reports. */
export interface MocksSample {
  readonly mode: string;
  readonly configuration: string;
  readonly count: number;
  readonly ms: number;
  readonly resources: number;
  readonly maxRssKb: number;
}

const registrations: Registration[] = [];

function installMocks(): void {
  pulumi.runtime.setMocks(
    {
      newResource: (args) => {
        // The SDK reports components here too (`custom` false); the Stack is not the program's.
        if (args.type !== "pulumi:pulumi:Stack") registrations.push({ type: args.type, name: args.name, component: !args.custom, ...(args.custom ? { inputs: args.inputs } : {}) });
        return { id: `${args.name}-id`, state: args.inputs };
      },
      call: (args) => args.inputs,
    },
    "kong-plugins-bench",
    "bench",
    false,
  );
}

function libraryProgram(configuration: string, count: number): pulumi.Output<unknown>[] {
  // Loaded after the mocks, as a program loads it.
  const kp = require("pulumi-kong-plugins") as typeof import("pulumi-kong-plugins");
  const { benchGateway, benchPlugins } = require("./fixture") as typeof import("./fixture");
  const plugins = benchPlugins().map((spec) => new kp.PluginMetadata(spec.name, spec));
  const gateway = benchGateway(count);
  const instances = gateway.instances.map(({ plugin, ...args }) => new kp.PluginInstance(args.name, { ...args, plugin: (plugins[plugin] as InstanceType<typeof kp.PluginMetadata>).definition }));
  const stack = new kp.KubernetesStack("kong", {
    delivery: kp.KubernetesDelivery.ConfigMap,
    configuration: configuration === "controller" ? kp.KongConfiguration.Controller : kp.KongConfiguration.Declarative,
    plugins: plugins.map((plugin) => plugin.definition),
    instances: instances.map((instance) => instance.definition),
    services: gateway.services,
    routes: gateway.routes,
    consumers: gateway.consumers,
  });
  return [stack.yaml, ...instances.map((instance) => instance.definition)];
}

/** A component that registers nothing but itself, as each of the library's does before its children. */
class BaselineComponent extends pulumi.ComponentResource {
  constructor(type: string, name: string, outputs: Record<string, unknown>) {
    super(type, name, {});
    this.registerOutputs(outputs);
  }
}

function sdkProgram(recorded: readonly Registration[], withState: boolean): pulumi.Output<unknown>[] {
  const k8s = require("@pulumi/kubernetes") as typeof import("@pulumi/kubernetes");
  const outputs: pulumi.Output<unknown>[] = [];
  let parent: pulumi.ComponentResource | undefined;
  for (const registration of recorded) {
    if (registration.component) {
      parent = new BaselineComponent(registration.type, registration.name, withState ? (registration.outputs ?? {}) : {});
      continue;
    }
    const { apiVersion: _apiVersion, kind: _kind, ...inputs } = (registration.inputs ?? {}) as Record<string, any>;
    const options = { parent };
    switch (registration.type) {
      case "kubernetes:core/v1:Namespace":
        outputs.push(new k8s.core.v1.Namespace(registration.name, inputs, options).metadata);
        break;
      case "kubernetes:core/v1:ConfigMap":
        outputs.push(new k8s.core.v1.ConfigMap(registration.name, inputs, options).metadata);
        break;
      case "kubernetes:core/v1:Secret":
        outputs.push(new k8s.core.v1.Secret(registration.name, inputs, options).metadata);
        break;
      case "kubernetes:core/v1:Service":
        outputs.push(new k8s.core.v1.Service(registration.name, inputs, options).metadata);
        break;
      case "kubernetes:apps/v1:Deployment":
        outputs.push(new k8s.apps.v1.Deployment(registration.name, inputs as import("@pulumi/kubernetes").apps.v1.DeploymentArgs, options).metadata);
        break;
      case "kubernetes:networking.k8s.io/v1:NetworkPolicy":
        outputs.push(new k8s.networking.v1.NetworkPolicy(registration.name, inputs, options).metadata);
        break;
      case "pulumi-nodejs:dynamic:Resource": {
        // A dynamic resource (the stacks' plugin lifecycle): the same inputs, through a provider of its own.
        const { __provider: _provider, ...props } = inputs as Record<string, unknown>;
        outputs.push(new BaselineDynamicResource(BASELINE_DYNAMIC_PROVIDER, registration.name, props, options).urn);
        break;
      }
      default: {
        const [, group, kind] = /^kubernetes:(.+):([^:]+)$/.exec(registration.type) ?? [];
        if (group === undefined || kind === undefined) throw new Error(`no baseline for ${registration.type}`);
        outputs.push(new k8s.apiextensions.CustomResource(registration.name, { apiVersion: group, kind, ...inputs }, options).metadata);
      }
    }
  }
  return outputs;
}

/** What the baseline's dynamic resources are created with: the outputs are the inputs. */
const BASELINE_DYNAMIC_PROVIDER: pulumi.dynamic.ResourceProvider = {
  async create(inputs: Record<string, unknown>) {
    return { id: "baseline", outs: inputs };
  },
};

/** A plain dynamic resource (pulumi.dynamic.Resource is abstract). */
class BaselineDynamicResource extends pulumi.dynamic.Resource {}

/** The registrations with each component's registered outputs, read from the SDK's mock monitor. */
function withOutputs(list: readonly Registration[]): Registration[] {
  type Kept = { state?: { toJavaScript?(): Record<string, unknown> } };
  const monitor = pulumi.runtime.getMonitor() as unknown as { resources?: Map<string, Kept> };
  const byName = new Map<string, Record<string, unknown>>();
  for (const [urn, kept] of monitor.resources ?? new Map<string, Kept>()) {
    const outputs = kept.state?.toJavaScript?.();
    // urn:pulumi:<stack>::<project>::<parent types $ type>::<name>
    const [, , types = "", ...name] = urn.split("::");
    if (outputs) byName.set(`${types.split("$").pop()}::${name.join("::")}`, outputs);
  }
  return list.map((registration) => {
    const outputs = registration.component ? byName.get(`${registration.type}::${registration.name}`) : undefined;
    return outputs ? { ...registration, outputs } : registration;
  });
}

async function main(): Promise<void> {
  const [mode, configuration = "declarative", countText = "0", file = ""] = process.argv.slice(2);
  const count = Number(countText);
  installMocks();
  const recorded = mode === "sdk" || mode === "sdk-state" ? (JSON.parse(readFileSync(file, "utf8")) as Registration[]) : [];
  await pulumi.runtime.runInPulumiStack(async () => {
    const outputs = mode === "library" ? libraryProgram(configuration, count) : mode === "sdk" || mode === "sdk-state" ? sdkProgram(recorded, mode === "sdk-state") : [];
    if (outputs.length === 0) throw new Error(`unknown mode ${mode}: library, sdk or sdk-state`);
    await Promise.all(outputs.map((output) => (output as unknown as { promise(): Promise<unknown> }).promise()));
    return {};
  });
  // Registrations made inside outputs go on after the stack's function returns: the work is
  // done when the event loop has nothing left to run.
  process.once("beforeExit", () => {
    const ms = performance.now();
    const sample: MocksSample = { mode, configuration, count, ms, resources: registrations.length, maxRssKb: process.resourceUsage().maxRSS };
    if (mode === "library") writeFileSync(file, JSON.stringify(withOutputs(registrations)));
    process.stdout.write(`${JSON.stringify(sample)}\n`);
  });
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
