import { IssueCollector, joinPath, type ValidationIssue } from "../core/errors";
import { BUNDLED_PLUGINS } from "../plugin/bundled";
import { PluginScope } from "../plugin/instance-model";
import { secretVariableName } from "../plugin/resources";
import { effectiveLuaPackagePath, enabledPluginsValue, kongEnvIssues, textKongEnv } from "./environment";
import { luaSearchTemplates, pluginContainerDir, searchModule } from "./lua-path";
import { DatabaseMode, PluginDelivery, PluginRetirement, type GatewaySpec, type KongRouteSpec } from "./model";

const KONG_NAME = /^[\p{L}\p{N}._~-]+$/u;

/**
 * The preflight of Kong's startup failures: everything that would stop Kong, or its
 * declarative configuration, from loading, reported at once with the path of the cause, in
 * Kong's own words where Kong has them, and with the fix:
 * - a plugin an instance uses that is not in KONG_PLUGINS: "plugin '<name>' not enabled; add it to
 *   the 'plugins' configuration property" DB-less, "<name> plugin is in use but not enabled" on a database;
 * - a plugin in KONG_PLUGINS whose handler.lua is not on the Lua path: "plugin is enabled but not installed";
 * - a plugin without schema.lua next to its handler: "no configuration schema found for plugin";
 * - a plugin with database entities on a DB-less gateway;
 * - an instance naming an unknown service, route or consumer; duplicate names;
 * - a kongEnv entry that is not a variable name with a text value, or sets a managed variable.
 * @throws KongPluginsValidationError
 */
export function checkGateway(gateway: GatewaySpec): void {
  const issues = new IssueCollector();
  issues.addAll(gatewayIssues(gateway));
  issues.throwIfAny("the gateway");
}

/** The problems {@link checkGateway} would throw, as a list, for targets that add their own. */
export function gatewayIssues(gateway: GatewaySpec): readonly ValidationIssue[] {
  const issues = new IssueCollector();
  issues.oneOf("database", gateway.database, DatabaseMode);
  issues.addAll(kongEnvIssues(gateway.kongEnv));
  // The Lua path search reads KONG_LUA_PACKAGE_PATH as text; a value that is not one is reported above.
  checkPluginsLoad({ ...gateway, kongEnv: textKongEnv(gateway.kongEnv) }, issues);
  checkEntities(gateway, issues);
  checkInstances(gateway, issues);
  checkRetirement(gateway, issues);
  return issues.issues;
}

/**
 * A retiring or disabled plugin is used by no instance (step 1 of Kong's removal order comes
 * first), names a plugin of the gateway, and is disabled only where this library sets
 * KONG_PLUGINS (an image sets its own: rebuild it without the plugin instead).
 */
function checkRetirement(gateway: GatewaySpec, issues: IssueCollector): void {
  const names = new Set(gateway.plugins.map((plugin) => plugin.name));
  for (const [name, stage] of Object.entries(gateway.retirement ?? {})) {
    const path = joinPath("retirement", name);
    issues.oneOf(path, stage, PluginRetirement);
    if (!names.has(name)) issues.add(path, "names no custom plugin of this gateway: a plugin whose files are gone is out of the plugin list, not retired", { expected: [...names].join(", ") || "a custom plugin" });
    if (stage === PluginRetirement.Disabled && gateway.delivery === PluginDelivery.Image) {
      issues.add(path, "cannot take a plugin out of KONG_PLUGINS here: the gateway image sets KONG_PLUGINS; rebuild the GatewayImage without the plugin", { received: stage });
    }
  }
  gateway.instances.forEach((instance, index) => {
    const stage = gateway.retirement?.[instance.plugin];
    if (stage === undefined) return;
    issues.add(joinPath(joinPath("instances", index), "plugin"), `${instance.plugin} is ${stage}: step 1 of Kong's removal order takes it off every service, route, consumer and global first, and ${instance.name} still configures it`, {
      received: instance.name,
      expected: `no instance of ${instance.plugin}`,
    });
  });
}

/**
 * Kong's words for an instance of a plugin that is not enabled. DB-less, kong.yaml (like
 * `/config` and the Admin API) is validated against the plugins entity, whose subschema error
 * says it (kong/db/schema/entities/plugins.lua, `subschema_error`); a node whose database
 * already holds the instance refuses to start with the other (kong/db/dao/plugins.lua,
 * `check_db_against_config`).
 */
function notEnabledMessage(plugin: string, database: DatabaseMode): string {
  return database === DatabaseMode.Off ? `plugin '${plugin}' not enabled; add it to the 'plugins' configuration property` : `${plugin} plugin is in use but not enabled`;
}

function checkPluginsLoad(gateway: GatewaySpec, issues: IssueCollector): void {
  const enabledValue = enabledPluginsValue(gateway);
  const enabled = new Set(enabledValue.split(",").filter(Boolean));
  const bundledEnabled = enabled.has("bundled");
  const luaPath = effectiveLuaPackagePath(gateway);
  const templates = luaSearchTemplates(luaPath);

  gateway.plugins.forEach((plugin, index) => {
    const path = joinPath("plugins", index);
    const dir = pluginContainerDir(gateway, plugin.name);
    const delivered = new Set(plugin.files.map((file) => `${dir}/${file.path}`));
    const exists = (candidate: string) => delivered.has(candidate);
    if (enabled.has(plugin.name) && !searchModule(`kong.plugins.${plugin.name}.handler`, templates, exists)) {
      issues.add(path, `${plugin.name} plugin is enabled but not installed: kong.plugins.${plugin.name}.handler is not on the Lua path`, {
        received: `files in ${dir}/, KONG_LUA_PACKAGE_PATH=${luaPath ?? "(Kong's default)"}`,
        expected: `a KONG_LUA_PACKAGE_PATH entry that maps kong.plugins.${plugin.name}.handler to ${dir}/handler.lua, e.g. ${dir.slice(0, -`/kong/plugins/${plugin.name}`.length)}/?.lua;;`,
      });
    } else if (enabled.has(plugin.name) && !searchModule(`kong.plugins.${plugin.name}.schema`, templates, exists)) {
      issues.add(path, `no configuration schema found for plugin: ${plugin.name} (schema.lua must sit next to handler.lua in ${dir}/)`);
    }
  });

  gateway.instances.forEach((instance, index) => {
    const known = enabled.has(instance.plugin) || (bundledEnabled && BUNDLED_PLUGINS.has(instance.plugin));
    // A retired plugin's instance is reported by checkRetirement, with the step that comes first.
    if (!known && gateway.retirement?.[instance.plugin] === undefined) {
      issues.add(joinPath(joinPath("instances", index), "plugin"), `${notEnabledMessage(instance.plugin, gateway.database ?? DatabaseMode.Off)}: ${instance.name} configures it, but it is not in KONG_PLUGINS`, {
        received: enabledValue,
        expected: `${instance.plugin} among the gateway's plugins${BUNDLED_PLUGINS.has(instance.plugin) ? ", or bundled plugins enabled" : ""}`,
      });
    }
  });
}

function allRoutes(gateway: GatewaySpec): { route: KongRouteSpec; path: string; service: string | undefined }[] {
  return [
    ...(gateway.services ?? []).flatMap((service, serviceIndex) =>
      (service.routes ?? []).map((route, routeIndex) => ({ route, path: joinPath(joinPath(joinPath("services", serviceIndex), "routes"), routeIndex), service: service.name })),
    ),
    ...(gateway.routes ?? []).map((route, index) => ({ route, path: joinPath("routes", index), service: route.service })),
  ];
}

function checkEntities(gateway: GatewaySpec, issues: IssueCollector): void {
  const services = gateway.services ?? [];
  checkUnique(services.map((service) => service.name), (index) => joinPath(joinPath("services", index), "name"), "service", issues);
  services.forEach((service, index) => {
    const path = joinPath("services", index);
    if (!KONG_NAME.test(service.name)) issues.add(joinPath(path, "name"), "is not a valid Kong name", { received: service.name });
    let url: URL | undefined;
    try {
      url = new URL(service.url);
    } catch {
      url = undefined;
    }
    if (!url || !["http:", "https:", "grpc:", "grpcs:", "tcp:", "tls:"].includes(url.protocol)) {
      issues.add(joinPath(path, "url"), "is not a service URL", { received: service.url, expected: "e.g. http://orders:8080/api" });
    }
  });

  const routes = allRoutes(gateway);
  checkUnique(routes.map(({ route }) => route.name), (index) => joinPath((routes[index] as (typeof routes)[number]).path, "name"), "route", issues);
  const serviceNames = new Set(services.map((service) => service.name));
  for (const { route, path, service } of routes) {
    if (!KONG_NAME.test(route.name)) issues.add(joinPath(path, "name"), "is not a valid Kong name", { received: route.name });
    if (service === undefined || !serviceNames.has(service)) {
      issues.add(joinPath(path, "service"), "names no service of this gateway", { received: service, expected: [...serviceNames].join(", ") || "a service" });
    }
    if (!route.paths?.length && !route.hosts?.length && !route.methods?.length) {
      // Kong's route schema: "must set one of 'methods', 'hosts', 'headers', 'paths', 'snis' when 'protocols' is 'https'".
      issues.add(path, "must set one of paths, hosts or methods, or Kong cannot match requests to it");
    }
    route.paths?.forEach((routePath, index) => {
      if (!routePath.startsWith("/") && !routePath.startsWith("~/")) issues.add(joinPath(joinPath(path, "paths"), index), "must start with '/' (or '~/' for a regular expression)", { received: routePath });
    });
  }

  const consumers = gateway.consumers ?? [];
  checkUnique(consumers.map((consumer) => consumer.username), (index) => joinPath(joinPath("consumers", index), "username"), "consumer", issues);
}

function checkInstances(gateway: GatewaySpec, issues: IssueCollector): void {
  const known = {
    service: new Set((gateway.services ?? []).map((service) => service.name)),
    route: new Set(allRoutes(gateway).map(({ route }) => route.name)),
    consumer: new Set((gateway.consumers ?? []).map((consumer) => consumer.username)),
  };
  checkUnique(gateway.instances.map((instance) => instance.name), (index) => joinPath(joinPath("instances", index), "name"), "plugin instance", issues);
  const scopes = new Map<string, string>();
  gateway.instances.forEach((instance, index) => {
    const path = () => joinPath("instances", index);
    for (const kind of ["service", "route", "consumer"] as const) {
      const name = instance[kind];
      if (name !== undefined && !known[kind].has(name)) {
        issues.add(joinPath(path(), kind), `names no ${kind} of this gateway`, { received: name, expected: [...known[kind]].join(", ") || `a declared ${kind}` });
      }
    }
    // Kong keys a plugin by its name and scope: two on one scope collide.
    const scope = instance.scope === PluginScope.Scoped ? [instance.service, instance.route, instance.consumer].map((v) => v ?? "*").join("/") : "global";
    const key = `${instance.plugin}@${scope}`;
    const other = scopes.get(key);
    if (other !== undefined) {
      issues.add(path(), `configures ${instance.plugin} on the same scope as ${other}; Kong allows one instance of a plugin per scope`);
    }
    scopes.set(key, instance.name);
  });
  checkSecretVariables(gateway, issues);
}

/**
 * Every secret reaches Kong through one environment variable named from its instance and key,
 * and two spellings can give one name (`auth` + `v2_token`, `auth-v2` + `token`): one instance
 * would silently read the other's secret. Such a pair is refused, naming both.
 */
function checkSecretVariables(gateway: GatewaySpec, issues: IssueCollector): void {
  const owners = new Map<string, string>();
  gateway.instances.forEach((instance, index) => {
    for (const key of Object.keys(instance.secretConfig)) {
      const variable = secretVariableName(instance.name, key);
      const owner = `${instance.name}.secretConfig.${key}`;
      const other = owners.get(variable);
      if (other !== undefined) {
        issues.add(joinPath(joinPath(joinPath("instances", index), "secretConfig"), key), `reaches Kong as ${variable}, the variable of ${other} too: one of them would read the other's secret`, { expected: "instance names and secret keys that give distinct variable names" });
      }
      owners.set(variable, owner);
    }
  });
}

/** Names must be unique; `pathOf` says where the one at an index is (made only for a repeat). */
function checkUnique(names: readonly string[], pathOf: (index: number) => string, what: string, issues: IssueCollector): void {
  const seen = new Set<string>();
  names.forEach((name, index) => {
    if (seen.has(name)) issues.add(pathOf(index), `repeats the ${what} name ${JSON.stringify(name)}; names must be unique`);
    seen.add(name);
  });
}
