// The bench's inputs: 20 custom plugins (handler.lua and schema.lua inline) and a gateway of N
// plugin instances over services, top-level routes (`routes` with `service:`) and consumers.
// Deterministic: the same N gives the same inputs, so outputs can be compared byte for byte.
import type { KongConsumerSpec, KongRouteSpec, KongServiceSpec, PluginInstanceSpec, PluginSpec } from "pulumi-kong-plugins/render";

/** How many plugins the bench configures. */
export const PLUGIN_COUNT = 20;

const PERIODS = ["second", "minute", "hour"] as const;

/** The bench's plugin number `index`: a schema.lua with the constructs instances use most. */
export function benchPlugin(index: number): PluginSpec {
  const name = `bench-plugin-${String(index).padStart(2, "0")}`;
  const schema = `local typedefs = require "kong.db.schema.typedefs"

return {
  name = "${name}",
  fields = {
    { protocols = typedefs.protocols_http },
    { config = {
        type = "record",
        fields = {
          { limit = { type = "integer", required = true, gt = 0 } },
          { period = { type = "string", required = true, default = "minute", one_of = { "second", "minute", "hour" } } },
          { header = { type = "string", match = "^[%w-]+$", len_max = 64 } },
          { tags = { type = "array", elements = { type = "string" }, default = {} } },
          { token = { type = "string", referenceable = true } },
          { upstream = {
              type = "record",
              fields = {
                { host = { type = "string", default = "localhost" } },
                { port = { type = "integer", between = { 1, 65535 }, default = ${6000 + index} } },
              },
          } },
        },
    } },
  },
}
`;
  const handler = `local Plugin = {
  PRIORITY = ${1000 + index},
  VERSION = "1.${index}.0",
}

function Plugin:access(conf)
  kong.service.request.set_header(conf.header or "x-bench", conf.limit)
end

return Plugin
`;
  return { name, version: `1.${index}.0`, source: { files: { "handler.lua": handler, "schema.lua": schema } } };
}

/** The bench's plugins. */
export function benchPlugins(): PluginSpec[] {
  return Array.from({ length: PLUGIN_COUNT }, (_, index) => benchPlugin(index));
}

/** A gateway's entities and instances as a stack takes them (`plugin` is the plugin's name). */
export interface BenchGateway {
  readonly services: KongServiceSpec[];
  readonly routes: KongRouteSpec[];
  readonly consumers: KongConsumerSpec[];
  /** The instances' arguments, without the plugin (see {@link pluginIndexOf}). */
  readonly instances: BenchInstance[];
}

/** One instance's arguments; `plugin` indexes {@link benchPlugins}. */
export interface BenchInstance {
  readonly name: string;
  readonly plugin: number;
  readonly config: Record<string, unknown>;
  readonly secretConfig?: Record<string, string>;
  readonly service?: string;
  readonly route?: string;
  readonly consumer?: string;
  readonly namespace: string;
}

/**
 * N instances, one plugin after the other, each group of 20 on one entity: a service, a route, a
 * consumer, or a service and consumer together (a top-level kong.yaml entry). Services and
 * top-level routes grow with N (N/10 each), so a services x routes lookup shows.
 */
export function benchGateway(count: number): BenchGateway {
  const serviceCount = Math.max(2, Math.ceil(count / 10));
  const routeCount = Math.max(2, Math.ceil(count / 10));
  const consumerCount = Math.max(2, Math.ceil(count / PLUGIN_COUNT));
  const services = Array.from({ length: serviceCount }, (_, index): KongServiceSpec => ({ name: `svc-${index}`, url: `http://svc-${index}.apps.svc:8080/api` }));
  const routes = Array.from({ length: routeCount }, (_, index): KongRouteSpec => ({ name: `route-${index}`, service: `svc-${(index * 7) % serviceCount}`, paths: [`/r/${index}`] }));
  const consumers = Array.from({ length: consumerCount }, (_, index): KongConsumerSpec => ({ username: `consumer-${index}` }));
  const instances = Array.from({ length: count }, (_, index): BenchInstance => {
    const plugin = index % PLUGIN_COUNT;
    const entity = Math.floor(index / PLUGIN_COUNT);
    const scope = [
      { service: `svc-${entity % serviceCount}` },
      { route: `route-${entity % routeCount}` },
      { consumer: `consumer-${entity % consumerCount}` },
      { service: `svc-${(entity + 1) % serviceCount}`, consumer: `consumer-${entity % consumerCount}` },
    ][entity % 4];
    return {
      name: `inst-${index}`,
      plugin,
      config: {
        limit: 1 + (index % 997),
        period: PERIODS[index % PERIODS.length],
        ...(index % 2 === 0 ? { header: `x-bench-${index % 50}` } : {}),
        ...(index % 5 === 0 ? { tags: [`t${index % 3}`, "bench"] } : {}),
        ...(index % 3 === 0 ? { upstream: { host: `up-${index % 11}.local` } } : {}),
      },
      ...(index % 7 === 0 ? { secretConfig: { token: `token-${index}-secret` } } : {}),
      ...scope,
      namespace: "apps",
    };
  });
  return { services, routes, consumers, instances };
}

/** An instance as the pure layer takes it (a PluginInstance's definition without a component). */
export function instanceSpec(instance: BenchInstance, plugins: readonly PluginSpec[]): PluginInstanceSpec {
  const { plugin, ...rest } = instance;
  return { ...rest, plugin: (plugins[plugin] as PluginSpec).name } as PluginInstanceSpec;
}
