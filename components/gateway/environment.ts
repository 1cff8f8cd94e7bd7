import { compareStrings } from "../core/digest";
import { IssueCollector, joinPath, type ValidationIssue } from "../core/errors";
import { ENVIRONMENT_VARIABLE_NAME } from "../core/names";
import { kongPluginsValue } from "./kong-conventions";
import { secretVariableName } from "../plugin/resources";
import { MOUNT_LUA_PACKAGE_PATH } from "./lua-path";
import { DatabaseMode, PluginDelivery, PluginRetirement, type GatewaySpec } from "./model";

/** Variables the gateway sets from its own arguments; kongEnv may not set them. */
export const GATEWAY_MANAGED_ENV = ["KONG_PLUGINS", "KONG_DATABASE", "KONG_DECLARATIVE_CONFIG"] as const;

/**
 * The problems of a kongEnv, under `kongEnv`: a name that is not an environment variable name
 * (`A B`, `KONG_PLUGINS=bundled,evil`: Docker splits `NAME=value` at the first `=`, so such a
 * name would set another variable, a managed one included), a name the gateway manages, a
 * value that is not a string (Kubernetes and Kong read text; a secret value is never shown).
 */
export function kongEnvIssues(kongEnv: unknown): ValidationIssue[] {
  const issues = new IssueCollector();
  if (kongEnv === undefined) return [];
  if (kongEnv === null || typeof kongEnv !== "object" || Array.isArray(kongEnv)) {
    issues.add("kongEnv", "must map variable names to strings", { received: typeof kongEnv, expected: '{ KONG_LOG_LEVEL: "debug" }' });
    return [...issues.issues];
  }
  for (const [name, value] of Object.entries(kongEnv)) {
    const path = joinPath("kongEnv", name);
    if (!ENVIRONMENT_VARIABLE_NAME.test(name)) {
      issues.add(path, "is not an environment variable name", { received: name, expected: "letters, digits and '_', not starting with a digit, e.g. KONG_LOG_LEVEL" });
    } else if ((GATEWAY_MANAGED_ENV as readonly string[]).includes(name)) {
      issues.add(path, "is set by the gateway from its own arguments");
    }
    if (typeof value !== "string") issues.add(path, "must be a string: a container's environment is text", { received: typeof value, expected: 'e.g. "2"' });
  }
  return [...issues.issues];
}

/** Only the kongEnv entries with string values: what the other checks can read as text. */
export function textKongEnv(kongEnv: unknown): Record<string, string> | undefined {
  if (kongEnv === null || typeof kongEnv !== "object") return undefined;
  return Object.fromEntries(Object.entries(kongEnv).filter((entry): entry is [string, string] => typeof entry[1] === "string"));
}

/**
 * The value of KONG_PLUGINS Kong will run with: `bundled` first, then the plugins by name,
 * whatever order they were given in, less those retired to step 2 (disabled, files kept).
 */
export function enabledPluginsValue(gateway: GatewaySpec): string {
  if (gateway.delivery === PluginDelivery.Image && gateway.image) return gateway.image.kongPlugins;
  const plugins = gateway.plugins.filter((plugin) => gateway.retirement?.[plugin.name] !== PluginRetirement.Disabled).sort((a, b) => compareStrings(a.name, b.name));
  return kongPluginsValue({ includeBundled: gateway.includeBundled ?? true, plugins });
}

/** The Lua path Kong will search: the user's override, the mount path, or the image's own. */
export function effectiveLuaPackagePath(gateway: GatewaySpec): string | undefined {
  const override = gateway.kongEnv?.KONG_LUA_PACKAGE_PATH;
  if (override !== undefined) return override;
  if (gateway.delivery === PluginDelivery.Mount) return gateway.plugins.length > 0 ? MOUNT_LUA_PACKAGE_PATH : undefined;
  return gateway.image?.luaPackagePath;
}

/**
 * The Admin API on every interface of the container, plaintext 8001 and TLS 8444: the default
 * of a compose project, whose network is private to the project and whose KNEP and deck reach
 * Kong at `http://kong:8001`; what the host sees is decided by the published ports.
 */
export const CONTAINER_ADMIN_LISTEN = "0.0.0.0:8001, 0.0.0.0:8444 ssl";

/**
 * Kong's environment that does not depend on where it runs: the plugin list, the Lua path,
 * the database mode, anonymous reports off (offline nodes otherwise try to reach Kong's
 * reporting host), logs to stdout/stderr, the Admin API listener ({@link CONTAINER_ADMIN_LISTEN}
 * unless the target gives its own in `targetDefaults`, as Kubernetes does), the target's other
 * defaults, then the user's kongEnv, which may override any of them. Sorted by name.
 */
export function gatewayEnvironment(gateway: GatewaySpec, targetDefaults: Readonly<Record<string, string>> = {}): Record<string, string> {
  const luaPath = effectiveLuaPackagePath(gateway);
  const env: Record<string, string> = {
    KONG_ANONYMOUS_REPORTS: "off",
    KONG_PROXY_ACCESS_LOG: "/dev/stdout",
    KONG_ADMIN_ACCESS_LOG: "/dev/stdout",
    KONG_PROXY_ERROR_LOG: "/dev/stderr",
    KONG_ADMIN_ERROR_LOG: "/dev/stderr",
    KONG_ADMIN_LISTEN: CONTAINER_ADMIN_LISTEN,
    ...targetDefaults,
    ...gateway.kongEnv,
    KONG_DATABASE: gateway.database ?? DatabaseMode.Off,
    KONG_PLUGINS: enabledPluginsValue(gateway),
    ...(luaPath !== undefined ? { KONG_LUA_PACKAGE_PATH: luaPath } : {}),
  };
  return Object.fromEntries(Object.entries(env).sort(([a], [b]) => compareStrings(a, b)));
}

/** Secret environment variables the instances' vault references need, by name, sorted. */
export function gatewaySecretVariables(gateway: Pick<GatewaySpec, "instances">): string[] {
  const names = new Set<string>();
  for (const instance of gateway.instances) {
    for (const key of Object.keys(instance.secretConfig)) names.add(secretVariableName(instance.name, key));
  }
  return [...names].sort(compareStrings);
}
