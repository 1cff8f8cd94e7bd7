// One measurement of the pure layer, in a process of its own (its peak RSS is its own):
//   node dist/bench/pure-child.js <library|floor|cdk8s> <N>
// prints one JSON line. `library` validates the N instances and renders the declarative and the
// controller manifests (kong.yaml inside), and apart, the kong.yaml of N services and N
// top-level routes; `floor` serializes the same objects with `yaml`;
// `cdk8s` synthesizes them with cdk8s. The objects `floor` and `cdk8s` take are rendered
// before their clock starts.
import { createHash } from "node:crypto";
import { performance } from "node:perf_hooks";
import { stringify } from "yaml";
import {
  KongConfiguration,
  KubernetesDelivery,
  renderDeclarativeConfig,
  renderKubernetesManifests,
  resolvePlugins,
  resolveStackGateway,
  type GatewaySpec,
  type KubernetesManifests,
} from "pulumi-kong-plugins/render";
import { stableYaml } from "../components/core/canonical";
import { benchGateway, benchPlugins, instanceSpec } from "./fixture";

/** What one child reports. */
export interface PureSample {
  readonly mode: string;
  readonly count: number;
  /** Milliseconds of the whole measured work. */
  readonly ms: number;
  /** Milliseconds of each path (library only): validate, declarative, controller. */
  readonly paths?: Record<string, number>;
  /** sha256 of every text rendered (library only), to compare before/after. */
  readonly digest?: string;
  /** sha256 of the kong.yaml of N services and N top-level routes (library only). */
  readonly routesDigest?: string;
  /** Peak resident set size of this process, in kB. */
  readonly maxRssKb: number;
}

function inputs(count: number) {
  const plugins = benchPlugins();
  const gateway = benchGateway(count);
  return { plugins, ...gateway, instances: gateway.instances.map((instance) => instanceSpec(instance, plugins)) };
}

function manifests(gateway: GatewaySpec, configuration: KongConfiguration): KubernetesManifests {
  return renderKubernetesManifests({ name: "kong", namespace: "kong", delivery: KubernetesDelivery.ConfigMap, configuration, gateway });
}

function main(): void {
  const [mode, countText] = process.argv.slice(2);
  const count = Number(countText);
  const stack = inputs(count);
  // Each plugin is loaded once per process (its Lua state and schema): not what scales with N.
  resolvePlugins(stack.plugins, "plugins");
  let sample: PureSample;
  if (mode === "library") {
    const started = performance.now();
    const gateway = resolveStackGateway(stack, { secretValuesWithheld: true });
    const validated = performance.now();
    const declarative = manifests(gateway, KongConfiguration.Declarative);
    const rendered = performance.now();
    const controller = manifests(gateway, KongConfiguration.Controller);
    const finished = performance.now();
    // Apart from the ratio (not in `ms`): N services and N top-level routes, each naming its
    // service, rendered into kong.yaml: the path where a route was looked up per service.
    const entities = { instances: [], services: Array.from({ length: count }, (_, index) => ({ name: `s-${index}`, url: "http://s" })), routes: Array.from({ length: count }, (_, index) => ({ name: `r-${index}`, service: `s-${(index * 7) % count}`, paths: [`/r/${index}`] })), consumers: [] };
    const routesStarted = performance.now();
    const routesYaml = stableYaml(renderDeclarativeConfig(entities));
    const routesFinished = performance.now();
    const hash = createHash("sha256");
    for (const text of [declarative.yaml, declarative.kustomization, declarative.chartValues ?? "", controller.yaml]) hash.update(text).update("\0");
    const routesDigest = createHash("sha256").update(routesYaml).digest("hex");
    sample = {
      mode,
      count,
      ms: finished - started,
      paths: { validate: validated - started, declarative: rendered - validated, controller: finished - rendered, routes: routesFinished - routesStarted },
      digest: hash.digest("hex"),
      routesDigest,
      maxRssKb: process.resourceUsage().maxRSS,
    };
  } else {
    const gateway = resolveStackGateway(stack, { secretValuesWithheld: true });
    const kongYaml = renderDeclarativeConfig(gateway);
    const objects = [...manifests(gateway, KongConfiguration.Declarative).entries, ...manifests(gateway, KongConfiguration.Controller).entries].map((entry) => entry.object);
    const started = performance.now();
    if (mode === "floor") {
      let length = stringify(kongYaml).length;
      for (const object of objects) length += stringify(object).length;
      if (length === 0) throw new Error("nothing serialized");
    } else if (mode === "cdk8s") {
      // Loaded here: its load time is not the synthesis.
      const cdk8s = require("cdk8s") as typeof import("cdk8s");
      const app = new cdk8s.App({ outdir: "/nonexistent-cdk8s-outdir" });
      const chart = new cdk8s.Chart(app, "bench");
      objects.forEach((object, index) => new cdk8s.ApiObject(chart, `object-${index}`, object as unknown as import("cdk8s").ApiObjectProps));
      const text = cdk8s.Yaml.stringify(kongYaml) + app.synthYaml();
      if (text.length === 0) throw new Error("nothing synthesized");
    } else {
      throw new Error(`unknown mode ${mode}: library, floor or cdk8s`);
    }
    sample = { mode, count, ms: performance.now() - started, maxRssKb: process.resourceUsage().maxRSS };
  }
  process.stdout.write(`${JSON.stringify(sample)}\n`);
}

main();
