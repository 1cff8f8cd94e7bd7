import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { KafkaCompression, KnepEventType, KnepTargetType, KongPluginsValidationError, KongProtocol, PluginDelivery, PluginInstallMode } from "pulumi-kong-plugins";
import { renderComposeProject, renderKubernetesManifests, resolveGatewayImage, resolveKnep, resolvePlugin, resolvePluginInstance, resolveStackGateway } from "pulumi-kong-plugins/render";
import { joinPath } from "../../components/core/errors";
import { KubernetesDelivery } from "pulumi-kong-plugins";
import { examplePluginDir } from "../helpers/paths";
import { rateLimitExample } from "../../examples/quickstart/rate-limit-example";

// Typed-input fuzz of the public entry points: each case takes a valid input, replaces one
// field (at any depth) with a value of another JSON type, and calls the entry point. The only
// acceptable outcome is the typed validation error naming that field: no TypeError, no
// RangeError, no wrong-type value accepted. Other Pulumi languages and hand-written
// definitions can send anything, so every field an entry point reads is checked.

const plugin = resolvePlugin(rateLimitExample());
const instance = resolvePluginInstance({ name: "limit", plugin: "rate-limit-example", config: { limit: 5 }, service: "orders" });

/** Each entry point: a valid input, the call, and the paths whose content is free-form (JSON the user owns). */
interface EntryPoint {
  readonly input: Record<string, unknown>;
  readonly call: (input: never) => unknown;
  /** Paths below which any JSON is valid (a plugin's config, a JSON Schema). */
  readonly freeForm?: readonly string[];
}

const ENTRY_POINTS: Record<string, EntryPoint> = {
  resolvePlugin: {
    input: { name: "rate-limit-example", version: "1.0.0", source: { directory: examplePluginDir }, rockspec: { summary: "s", license: "MIT", dependencies: ["lua >= 5.1"], homepage: "https://example.com" } },
    call: resolvePlugin,
  },
  resolvePluginInstance: {
    input: { name: "limit", plugin: "rate-limit-example", config: { limit: 5 }, secretConfig: { token: "t" }, service: "orders", enabled: true, protocols: [KongProtocol.Http], instanceName: "limit", tags: ["team-a"], namespace: "kong", clusterWide: false },
    call: resolvePluginInstance,
    freeForm: ["config"],
  },
  resolveKnep: {
    input: { image: "r/knep:1", kongAdminUrl: "http://kong:8001", adminTimeoutSeconds: 5, targetType: KnepTargetType.Kafka, kafka: { brokers: ["kafka:9092"], topic: "t", compression: KafkaCompression.Gzip, retryMax: 3 }, eventTypes: [KnepEventType.Request], replicas: 1, extraEnv: { A: "b" }, secretEnv: { S: "s" } },
    call: resolveKnep,
  },
  resolveGatewayImage: {
    input: { plugins: [plugin], baseImage: "kong/kong-gateway:3.10", installMode: PluginInstallMode.Copy, luaRoot: "/opt/kong-plugins", includeBundled: true, env: { KONG_LOG_LEVEL: "info" }, labels: { "org.example": "x" } },
    call: resolveGatewayImage,
    freeForm: ["plugins"],
  },
  resolveStackGateway: {
    input: { plugins: [{ name: "rate-limit-example", version: "1.0.0", source: { directory: examplePluginDir } }], instances: [{ name: "limit", plugin: "rate-limit-example", config: { limit: 5 }, service: "orders" }], services: [{ name: "orders", url: "http://orders:8080", routes: [{ name: "orders", paths: ["/orders"] }] }], consumers: [{ username: "alice" }], includeBundled: true, kongEnv: { KONG_LOG_LEVEL: "info" } },
    call: (inputs: never) => resolveStackGateway(inputs, { secretValuesWithheld: false }),
    freeForm: ["instances[0].config"],
  },
  renderComposeProject: {
    input: { gateway: { plugins: [plugin], delivery: PluginDelivery.Mount, instances: [instance], services: [{ name: "orders", url: "http://orders:8080" }] }, projectName: "kong", ports: { proxy: 8000, admin: 8001, adminHost: "127.0.0.1" }, upstreams: [{ name: "orders", image: "nginx:1.27" }] },
    call: renderComposeProject,
    freeForm: ["gateway.plugins", "gateway.instances"],
  },
  renderKubernetesManifests: {
    input: { name: "kong", namespace: "kong", delivery: KubernetesDelivery.ConfigMap, gateway: { plugins: [plugin], delivery: PluginDelivery.Mount, instances: [instance], services: [{ name: "orders", url: "http://orders:8080" }] }, replicas: 1 },
    call: renderKubernetesManifests,
    freeForm: ["gateway.plugins", "gateway.instances"],
  },
};

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** Every field of a value, as a path and the value found there. */
function fields(value: unknown, path = ""): [string, unknown][] {
  if (value === null || typeof value !== "object") return [];
  const entries = Array.isArray(value) ? value.map((item, index) => [index, item] as const) : Object.entries(value);
  return entries.flatMap(([key, item]) => {
    const itemPath = joinPath(path, key as string | number);
    return [[itemPath, item] as [string, unknown], ...fields(item, itemPath)];
  });
}

const kindOf = (value: unknown) => (value === null ? "null" : Array.isArray(value) ? "array" : typeof value);

/** A value of another JSON type than `value`. */
const otherKind = (value: unknown) => fc.constantFrom<Json>(0, 1.5, -1, true, false, "", "x", [], ["x"], {}, { x: 1 }, null).filter((candidate) => kindOf(candidate) !== kindOf(value));

function replaced(input: unknown, path: string, replacement: Json): unknown {
  const copy = structuredClone(input) as Record<string, unknown>;
  const steps = [...path.matchAll(/\.?([A-Za-z_$][\w$]*)|\[(\d+)\]|\["((?:[^"\\]|\\.)*)"\]/g)].map((match) => match[1] ?? (match[2] !== undefined ? Number(match[2]) : JSON.parse(`"${match[3]}"`)));
  let node: Record<string | number, unknown> = copy;
  for (const step of steps.slice(0, -1)) node = node[step] as Record<string | number, unknown>;
  node[steps[steps.length - 1] as string | number] = replacement;
  return copy;
}

const names = (path: string, issuePath: string) => issuePath === path || issuePath.startsWith(`${path}.`) || issuePath.startsWith(`${path}[`) || (issuePath !== "" && (path.startsWith(`${issuePath}.`) || path.startsWith(`${issuePath}[`)));

describe("typed-input fuzz of every public entry point", () => {
  for (const [entry, { input, call, freeForm = [] }] of Object.entries(ENTRY_POINTS)) {
    it(`${entry}: a field of the wrong type is refused with the typed error naming it`, () => {
      const candidates = fields(input).filter(([path]) => !freeForm.some((free) => path.startsWith(`${free}.`) || path.startsWith(`${free}[`)));
      assert.doesNotThrow(() => call(input as never), `${entry} accepts its valid input`);
      fc.assert(
        fc.property(
          fc.constantFrom(...candidates).chain(([path, value]) => otherKind(value).map((replacement) => ({ path, replacement }))),
          ({ path, replacement }) => {
            let outcome: unknown;
            try {
              call(replaced(input, path, replacement) as never);
              outcome = "accepted";
            } catch (error) {
              outcome = error;
            }
            assert.ok(outcome instanceof KongPluginsValidationError, `${path} = ${JSON.stringify(replacement)}: ${outcome instanceof Error ? `${outcome.name}: ${outcome.message}` : String(outcome)}`);
            assert.ok(outcome.issues.some((issue) => names(path, issue.path)), `${path} = ${JSON.stringify(replacement)} is refused, but under ${outcome.issues.map((issue) => issue.path).join(", ")}`);
          },
        ),
        { numRuns: 300 },
      );
    });
  }
});

describe("deep and cyclic inputs", () => {
  it("a config nested 5,000 deep, or one that refers back to itself, is the typed error with a path, never a RangeError", () => {
    const deep: Record<string, unknown> = {};
    let level = deep;
    for (let depth = 0; depth < 5000; depth += 1) level = level.a = {} as Record<string, unknown>;
    const cyclic: Record<string, unknown> = { limit: 5 };
    cyclic.self = cyclic;
    for (const [config, path, message] of [
      [deep, /^config(\.a){99}$/, /nests deeper than 100 levels/],
      [cyclic, /^config\.self$/, /refers back to an object that holds it/],
    ] as const) {
      assert.throws(
        () => resolvePluginInstance({ name: "limit", plugin: "rate-limit-example", config }),
        (error: unknown) => error instanceof KongPluginsValidationError && error.issues.some((issue) => path.test(issue.path) && message.test(issue.message)),
      );
    }
  });
});
