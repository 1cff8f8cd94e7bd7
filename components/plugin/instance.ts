import { isPathWithin, IssueCollector, joinPath, REDACTED } from "../core/errors";
import { isKubernetesName, toKubernetesName } from "../core/names";
import { pluginConfigIssues } from "./config";
import {
  HTTP_PROTOCOLS,
  KongProtocol,
  PluginScope,
  type PluginInstanceSpec,
  type ResolvedPluginInstance,
} from "./instance-model";
import { PluginType } from "./types";
import { kongConfigCheck } from "./kong-config";
import { MESSAGES } from "../schema/validate-field";
import type { ResolvedPlugin } from "./model";
import type { JsonValue } from "../core/canonical";
import { withShape } from "../core/shape";
import { PLUGIN_INSTANCE_SPEC } from "./shapes";

/** The namespace an instance's Kubernetes resources go to when none is given. */
export const DEFAULT_NAMESPACE = "default";

/** Kong's `utf8_name` typedef: letters, digits, `.`, `-`, `_`, `~`. */
const KONG_UTF8_NAME = /^[\p{L}\p{N}._~-]+$/u;

/** Options of {@link resolvePluginInstance}. */
export interface ResolveInstanceOptions {
  /**
   * The secret values are placeholders (the caller withholds them so that what it renders
   * cannot depend on them): only their keys are checked. A component validates once with the
   * real values, inside a secret output, and renders its public outputs with them withheld.
   */
  readonly secretValuesWithheld?: boolean;
  /**
   * The instance's plugin: its schema.lua checks the config, scope and protocols as Kong does.
   * @default - the config is checked only against the spec's configSchema
   */
  readonly plugin?: ResolvedPlugin;
}

/**
 * Instance definitions a PluginInstance checked in this process, by the very object it output,
 * with the plugin it checked them against. A stack is given that object (component inputs are
 * not copied, see resolveInputs in core/secret-inputs.ts) and checks it again only when its plugin differs: for N
 * instances, N schema.lua validations instead of 2N. Only definitions without secret config are
 * kept (they resolve the same with their secret values withheld or not); no one changes an
 * output's value.
 */
const checkedDefinitions = new WeakMap<PluginInstanceSpec, { readonly plugin: ResolvedPlugin | undefined; readonly instance: ResolvedPluginInstance }>();

/** Keeps a PluginInstance's check of its definition (see {@link checkedDefinitions}). */
export function rememberCheckedDefinition(definition: PluginInstanceSpec, plugin: ResolvedPlugin | undefined, instance: ResolvedPluginInstance): void {
  if (Object.keys(definition.secretConfig ?? {}).length === 0) checkedDefinitions.set(definition, { plugin, instance });
}

/** A PluginInstance's check of this very definition against this plugin, if it made one. */
export function checkedDefinition(definition: PluginInstanceSpec, plugin: ResolvedPlugin | undefined): ResolvedPluginInstance | undefined {
  const earlier = checkedDefinitions.get(definition);
  return earlier !== undefined && earlier.plugin === plugin ? earlier.instance : undefined;
}

/**
 * Checks a plugin instance and fills in its defaults, reporting every problem at once.
 * @throws KongPluginsValidationError with paths such as `config.limit`, `protocols[1]`.
 */
export function resolvePluginInstance(spec: PluginInstanceSpec, options: ResolveInstanceOptions = {}): ResolvedPluginInstance {
  return withShape(spec, PLUGIN_INSTANCE_SPEC, "the plugin instance", () => resolvePluginInstanceTyped(spec, options));
}

/**
 * {@link resolvePluginInstance} for a spec whose types its caller has checked (a stack checks
 * every instance's with its own inputs, in one walk): each value is walked once, not twice.
 * @throws KongPluginsValidationError
 */
export function resolveTypedPluginInstance(spec: PluginInstanceSpec, options: ResolveInstanceOptions = {}): ResolvedPluginInstance {
  return resolvePluginInstanceTyped(spec, options);
}

function resolvePluginInstanceTyped(spec: PluginInstanceSpec, options: ResolveInstanceOptions): ResolvedPluginInstance {
  const issues = new IssueCollector();
  const config = spec.config ?? {};
  const secretConfig = spec.secretConfig ?? {};

  if (typeof spec.name !== "string" || !isKubernetesName(toKubernetesName(spec.name))) {
    issues.add("name", "is not usable as a Kubernetes object name", { received: spec.name, expected: "lower-case letters, digits, '-', '_' and '.', at most 253 characters" });
  }
  if (typeof spec.plugin !== "string" || spec.plugin.length === 0) {
    issues.add("plugin", "must name a plugin", { received: spec.plugin });
  }
  const plugin = options.plugin?.name === spec.plugin ? options.plugin : undefined;
  // schema.lua is the config's truth; a JSON Schema judges only where schema.lua could not be loaded.
  const judgedBySchemaLua = plugin?.facts.schema !== undefined;
  checkConfig(judgedBySchemaLua ? undefined : spec.configSchema, config, secretConfig, options.secretValuesWithheld ?? false, issues);
  const scope = checkScope(spec, issues);
  const effectiveConfig = plugin && checkWithSchemaLua(plugin, spec, options.secretValuesWithheld ?? false, issues);
  // With the plugin, its schema.lua judges the protocols (checkWithSchemaLua).
  checkProtocols(spec.protocols, plugin === undefined ? spec.pluginSubsystems : undefined, issues);
  checkOrdering(spec, issues);
  checkTags(spec.tags ?? [], issues);
  if (spec.instanceName !== undefined && !KONG_UTF8_NAME.test(spec.instanceName)) {
    issues.add("instanceName", "is not a valid Kong instance name", { received: spec.instanceName, expected: "letters, digits, '.', '-', '_' and '~'" });
  }
  const namespace = spec.namespace ?? DEFAULT_NAMESPACE;
  if (!isKubernetesName(namespace)) issues.add("namespace", "is not a valid Kubernetes namespace", { received: namespace });

  issues.throwIfAny(`plugin instance ${JSON.stringify(spec.name)}`);
  return {
    name: spec.name,
    plugin: spec.plugin,
    config,
    secretConfig,
    scope,
    ...definedScope(spec),
    enabled: spec.enabled ?? true,
    ...(spec.protocols !== undefined ? { protocols: spec.protocols } : {}),
    ...(spec.ordering !== undefined ? { ordering: spec.ordering } : {}),
    ...(spec.instanceName !== undefined ? { instanceName: spec.instanceName } : {}),
    tags: spec.tags ?? [],
    namespace,
    clusterWide: spec.clusterWide ?? false,
    ...(effectiveConfig !== undefined ? { effectiveConfig: effectiveConfig as Record<string, JsonValue> } : {}),
  };
}

/**
 * The instance as Kong would judge it by the plugin's schema.lua, with its secret values in
 * place (the Ingress Controller's configFrom gives Kong the values themselves). With the values
 * withheld, problems inside secret keys are not judged (they are placeholders); problems inside
 * them are reported under secretConfig, where the user wrote them. Returns the effective config.
 */
function checkWithSchemaLua(plugin: ResolvedPlugin, spec: PluginInstanceSpec, withheld: boolean, issues: IssueCollector): Record<string, unknown> | undefined {
  const secretKeys = Object.keys(spec.secretConfig ?? {});
  const checked = kongConfigCheck(plugin, {
    config: { ...(spec.config ?? {}), ...(spec.secretConfig ?? {}) },
    ...(spec.protocols !== undefined ? { protocols: spec.protocols } : {}),
    consumer: spec.consumer !== undefined,
    route: spec.route !== undefined,
    service: spec.service !== undefined,
  });
  if (checked === undefined) return undefined;
  for (const issue of checked.issues) {
    const inSecret = secretKeys.some((key) => isPathWithin(issue.path, joinPath("config", key)));
    // A placeholder is not judged; an unknown key is unknown whatever its value.
    if (inSecret && withheld && issue.message !== MESSAGES.unknown) continue;
    const path = issue.path === "@entity" ? "config" : inSecret ? issue.path.replace(/^config/, "secretConfig") : issue.path;
    issues.add(path, issue.message);
  }
  return checked.config;
}

function checkConfig(configSchema: PluginInstanceSpec["configSchema"], config: object, secretConfig: Record<string, unknown>, withheld: boolean, issues: IssueCollector): void {
  const secretKeys = Object.keys(secretConfig);
  for (const key of secretKeys) {
    const path = joinPath("secretConfig", key);
    if (key in config) issues.add(path, "is also set in config; give each key in one place", { expected: "a key only in config or only in secretConfig" });
    // A secret reaches Kong as a vault reference or a Secret's text, both of which are strings.
    if (!withheld && typeof secretConfig[key] !== "string") issues.add(path, "must be a string", { received: REDACTED, expected: "a string (secrets are delivered as references that resolve to text)" });
  }
  // Kong sees one merged config, so that is what the schema judges. Paths into secret keys
  // are reported under secretConfig, where the user wrote them, with the value redacted.
  const merged = { ...config, ...secretConfig };
  for (const issue of pluginConfigIssues(configSchema, merged, { secretKeys })) {
    const inSecret = secretKeys.some((key) => isPathWithin(issue.path, joinPath("config", key)));
    // A placeholder is not judged; an unknown key is unknown whatever its value.
    if (inSecret && withheld && issue.message !== MESSAGES.unknown) continue;
    issues.addAll([inSecret ? { ...issue, path: issue.path.replace(/^config/, "secretConfig") } : issue]);
  }
}

function checkScope(spec: PluginInstanceSpec, issues: IssueCollector): PluginScope {
  const entityScopes = (["service", "route", "consumer"] as const).filter((key) => spec[key] !== undefined);
  for (const key of entityScopes) {
    const value = spec[key];
    if (typeof value !== "string" || value.trim() === "") issues.add(key, "must name a Kong entity", { received: value });
  }
  if (spec.targetRef === undefined) return entityScopes.length > 0 ? PluginScope.Scoped : PluginScope.Global;

  if (Object.keys(spec.secretConfig ?? {}).length > 0) {
    issues.add("secretConfig", "cannot be used with targetRef: the operator's KongPlugin (gateway.konghq.com/v1alpha1) has no way to reference a Secret", {
      expected: "no secretConfig, or a service/route/consumer scope rendered for the Ingress Controller",
    });
  }
  if (entityScopes.length > 0) {
    issues.add("targetRef", `cannot be combined with ${entityScopes.join(", ")}: a Gateway API target already says where the plugin applies`);
  }
  for (const key of ["group", "kind", "name"] as const) {
    const value = spec.targetRef[key];
    if (typeof value !== "string" || value === "") issues.add(joinPath("targetRef", key), "is required", { expected: key === "group" ? "e.g. gateway.networking.k8s.io" : undefined });
  }
  if (spec.targetRef.namespace !== undefined && !isKubernetesName(spec.targetRef.namespace)) {
    issues.add("targetRef.namespace", "is not a valid Kubernetes namespace", { received: spec.targetRef.namespace });
  }
  return PluginScope.GatewayTarget;
}

function checkProtocols(protocols: PluginInstanceSpec["protocols"], pluginSubsystems: PluginInstanceSpec["pluginSubsystems"], issues: IssueCollector): void {
  const known = Object.values(KongProtocol) as string[];
  (protocols ?? []).forEach((protocol, index) => {
    const path = joinPath("protocols", index);
    if (!known.includes(protocol)) {
      issues.add(path, "is not a Kong protocol", { received: protocol, expected: `one of ${known.join(", ")}` });
    } else if (pluginSubsystems !== undefined && !pluginSubsystems.includes(HTTP_PROTOCOLS.includes(protocol) ? PluginType.Http : PluginType.Stream)) {
      issues.add(path, `is not a protocol of a subsystem this plugin serves (${pluginSubsystems.join(", ") || "none"})`, { received: protocol });
    }
  });
  if (protocols !== undefined && protocols.length === 0) issues.add("protocols", "must list at least one protocol, or be left out");
}

function checkOrdering(spec: PluginInstanceSpec, issues: IssueCollector): void {
  for (const side of ["before", "after"] as const) {
    for (const [phase, plugins] of Object.entries(spec.ordering?.[side] ?? {})) {
      const path = joinPath(joinPath("ordering", side), phase);
      // Kong's dynamic ordering applies to the access phase only.
      if (phase !== "access") issues.add(path, "is not a phase Kong can order plugins in", { received: phase, expected: '"access"' });
      if (!Array.isArray(plugins) || plugins.some((plugin) => typeof plugin !== "string" || plugin === "")) {
        issues.add(path, "must list plugin names", { received: plugins });
      }
    }
  }
}

function checkTags(tags: readonly string[], issues: IssueCollector): void {
  if (tags.length > 20) issues.add("tags", "has more than 20 tags", { received: tags.length, expected: "at most 20" });
  tags.forEach((tag, index) => {
    // Kong's tag typedef: "printable ascii (except `,` and `/`) or valid utf-8 sequences".
    if (typeof tag !== "string" || tag.length < 1 || tag.length > 128 || /[,/\p{Cc}]/u.test(tag)) {
      issues.add(joinPath("tags", index), "is not a valid Kong tag", { received: tag, expected: "1 to 128 printable characters except ',' and '/'" });
    }
  });
}

function definedScope(spec: PluginInstanceSpec): Pick<ResolvedPluginInstance, "service" | "route" | "consumer" | "targetRef"> {
  return {
    ...(spec.service !== undefined ? { service: spec.service } : {}),
    ...(spec.route !== undefined ? { route: spec.route } : {}),
    ...(spec.consumer !== undefined ? { consumer: spec.consumer } : {}),
    ...(spec.targetRef !== undefined ? { targetRef: spec.targetRef } : {}),
  };
}

/** The spec with its secret config values replaced by placeholders (keys kept). */
export function withheldInstanceSpec(spec: PluginInstanceSpec): PluginInstanceSpec {
  return spec.secretConfig ? { ...spec, secretConfig: Object.fromEntries(Object.keys(spec.secretConfig).map((key) => [key, REDACTED])) } : spec;
}
