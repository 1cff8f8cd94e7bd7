import fc from "fast-check";
import { PluginDelivery, type GatewaySpec, type KongServiceSpec } from "pulumi-kong-plugins";
import { resolvePlugin, resolvePluginInstance } from "pulumi-kong-plugins/render";
import { rateLimitExample } from "../../examples/quickstart/rate-limit-example";

// Generators of well-formed gateways, for the renderers' property tests.

const rateLimit = resolvePlugin(rateLimitExample());

/** A name Kong, compose and Kubernetes all accept (a DNS-1123 label). */
export const name = fc.stringMatching(/^[a-z]([a-z0-9-]{0,9}[a-z0-9])?$/);
// A host starting with xn-- is a punycode label, which URL parsers refuse unless it decodes.
const url = fc
  .tuple(fc.constantFrom("http", "https"), fc.stringMatching(/^[a-z][a-z0-9-]{0,8}$/).filter((host) => !host.startsWith("xn--")), fc.option(fc.integer({ min: 1, max: 65535 }), { nil: undefined }), fc.stringMatching(/^(\/[a-z0-9_-]{1,8}){0,3}$/))
  .map(([scheme, host, port, path]) => `${scheme}://${host}${port !== undefined ? `:${port}` : ""}${path}`);
const path = fc.stringMatching(/^\/[a-z0-9_-]{0,10}(\/[a-z0-9_-]{1,6})?$/);

/** A consistent gateway: unique names, every instance on something that exists, one instance of the plugin per scope. */
export const gateway = fc
  .record({
    services: fc.uniqueArray(fc.record({ name, url, routes: fc.uniqueArray(fc.record({ name, paths: fc.uniqueArray(path, { minLength: 1, maxLength: 3 }), stripPath: fc.boolean() }), { maxLength: 3, selector: (route) => route.name }) }), { minLength: 1, maxLength: 4, selector: (service) => service.name }),
    consumers: fc.uniqueArray(fc.record({ username: name }), { maxLength: 3, selector: (consumer) => consumer.username }),
    limits: fc.array(fc.record({ limit: fc.integer({ min: 1, max: 10_000 }), period: fc.constantFrom("second", "minute", "hour"), scope: fc.nat() }), { maxLength: 6 }),
  })
  .map(({ services, consumers, limits }): GatewaySpec => {
    // Route names are unique across services, as Kong requires.
    const seen = new Set<string>();
    const uniqueServices: KongServiceSpec[] = services.map((service) => ({ ...service, routes: service.routes.filter((route) => !seen.has(route.name) && seen.add(route.name)) }));
    const scopes = [{}, ...uniqueServices.map((service) => ({ service: service.name })), ...[...seen].map((route) => ({ route })), ...consumers.map((consumer) => ({ consumer: consumer.username }))];
    const used = new Set<number>();
    const instances = limits
      .map((limit, index) => ({ index, limit, scope: limit.scope % scopes.length }))
      .filter(({ scope }) => !used.has(scope) && used.add(scope))
      .map(({ index, limit, scope }) => resolvePluginInstance({ name: `limit-${index}`, plugin: "rate-limit-example", config: { limit: limit.limit, period: limit.period }, ...scopes[scope] }));
    return { plugins: [rateLimit], delivery: PluginDelivery.Mount, services: uniqueServices, consumers, instances };
  });

