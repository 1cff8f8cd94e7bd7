import type { JsonValue } from "../core/canonical";
import { PluginScope, type ResolvedPluginInstance } from "../plugin/instance-model";
import { renderDeclarativePlugin } from "../plugin/resources";
import type { GatewaySpec, KongRouteSpec } from "./model";

type Entry = Record<string, JsonValue>;

/** Where an instance sits in kong.yaml: nested under the one entity it is scoped to, or top level. */
function placement(instance: ResolvedPluginInstance): { kind: "service" | "route" | "consumer"; name: string } | undefined {
  if (instance.scope !== PluginScope.Scoped) return undefined;
  const scopes = (["service", "route", "consumer"] as const).filter((key) => instance[key] !== undefined);
  if (scopes.length !== 1) return undefined;
  const kind = scopes[0] as "service" | "route" | "consumer";
  return { kind, name: instance[kind] as string };
}

/** The instance's entry without the reference to the entity it is nested under. */
function nestedEntry(instance: ResolvedPluginInstance, parentKey?: "service" | "route" | "consumer"): Entry {
  const { [parentKey ?? ""]: _parent, ...entry } = renderDeclarativePlugin(instance).entry;
  return entry;
}

function routeEntry(route: KongRouteSpec, plugins: Entry[]): Entry {
  return {
    name: route.name,
    ...(route.paths?.length ? { paths: [...route.paths] } : {}),
    ...(route.hosts?.length ? { hosts: [...route.hosts] } : {}),
    ...(route.methods?.length ? { methods: [...route.methods] } : {}),
    ...(route.protocols?.length ? { protocols: [...route.protocols] } : {}),
    ...(route.stripPath !== undefined ? { strip_path: route.stripPath } : {}),
    ...(plugins.length > 0 ? { plugins } : {}),
  };
}

/**
 * The declarative configuration (`kong.yaml`, `_format_version: "3.0"`) of a gateway: its
 * services with their routes, its consumers, and every plugin instance, nested under the
 * service, route or consumer it applies to, or at the top level when it is global or applies
 * to a combination (which references its entities by name). Secret config values are
 * `{vault://env/...}` references, never values. Entities keep the order they were given in.
 */
export function renderDeclarativeConfig(gateway: Pick<GatewaySpec, "instances" | "services" | "routes" | "consumers">): Entry {
  // Every lookup below is by name in a map: a gateway of N instances, services and routes
  // renders in time linear in N (issue 18: routes × services was quadratic).
  const nested = new Map<string, Entry[]>();
  const topLevel: Entry[] = [];
  for (const instance of gateway.instances) {
    const where = placement(instance);
    if (where) {
      const key = `${where.kind}:${where.name}`;
      const entries = nested.get(key);
      if (entries) entries.push(nestedEntry(instance, where.kind));
      else nested.set(key, [nestedEntry(instance, where.kind)]);
    } else {
      topLevel.push(nestedEntry(instance));
    }
  }
  const pluginsOf = (kind: string, name: string) => nested.get(`${kind}:${name}`) ?? [];

  // Routes declared apart, by the service they name, in the order they were given.
  const detachedRoutes = new Map<string | undefined, KongRouteSpec[]>();
  for (const route of gateway.routes ?? []) {
    const list = detachedRoutes.get(route.service);
    if (list) list.push(route);
    else detachedRoutes.set(route.service, [route]);
  }
  const services = (gateway.services ?? []).map((service): Entry => {
    const routes = [...(service.routes ?? []), ...(detachedRoutes.get(service.name) ?? [])];
    const plugins = pluginsOf("service", service.name);
    return {
      name: service.name,
      url: service.url,
      ...(routes.length > 0 ? { routes: routes.map((route) => routeEntry(route, pluginsOf("route", route.name))) } : {}),
      ...(plugins.length > 0 ? { plugins } : {}),
    };
  });
  const consumers = (gateway.consumers ?? []).map((consumer): Entry => {
    const plugins = pluginsOf("consumer", consumer.username);
    return {
      username: consumer.username,
      ...(consumer.customId !== undefined ? { custom_id: consumer.customId } : {}),
      ...(plugins.length > 0 ? { plugins } : {}),
    };
  });
  return {
    _format_version: "3.0",
    ...(services.length > 0 ? { services } : {}),
    ...(consumers.length > 0 ? { consumers } : {}),
    ...(topLevel.length > 0 ? { plugins: topLevel } : {}),
  };
}
