/**
 * What a Kong run by someone else needs to run what a `pluginsOnly` rendering holds: values for
 * Kong's Helm chart (github.com/Kong/charts, `charts/kong`), or a patch for a Kong Operator
 * DataPlane. Each value names the chart template that reads it (`_helpers.tpl` unless said).
 */
import type { JsonValue } from "../core/canonical";
import { enabledPluginsValue } from "../gateway/environment";
import { PluginDelivery, type GatewaySpec } from "../gateway/model";
import { DEFAULT_INGRESS_CLASS, secretVariableName } from "../plugin/resources";
import { chartPluginValues } from "./plugin-configmaps";
import { gatewayObjectNames } from "./gateway-workload";
import { KongConfiguration, type KubernetesManifestsSpec } from "./spec";

/**
 * The chart's values for the ConfigMap or image delivery:
 * - plugin ConfigMaps: `plugins.configMaps`, from which `kong.volumes`/`kong.volumeMounts` mount
 *   them and `kong.plugins` sets KONG_PLUGINS to `bundled` and every mounted plugin; `env.plugins`
 *   (which overrides it) only where Kong must run another list: a disabled plugin, whose files
 *   stay mounted, or `includeBundled: false`;
 * - a custom image: `image.unifiedRepoTag` (`kong.getRepoTag`), and `env.plugins` and
 *   `env.lua_package_path` as the image sets them, because `kong.env` otherwise sets
 *   KONG_PLUGINS to `bundled` and its own Lua path, which would hide the image's plugins;
 * - kong.yaml (declarative): `dblessConfig.configMap`, which the chart mounts only with its
 *   controller off (`ingressController.enabled: false`, on by default), and the secret config's
 *   variables as `customEnv` entries reading the rendered Secret (`kong.renderEnv` writes a map
 *   value as is);
 * - controller configuration: the chart's controller on, with the class KongClusterPlugins carry;
 * - the stack's kongEnv, as `customEnv` (kept by name, which `customEnv` does not prefix).
 */
export function pluginsOnlyChartValues(spec: KubernetesManifestsSpec, name: string): Record<string, JsonValue> {
  const gateway = spec.gateway;
  const declarative = (spec.configuration ?? KongConfiguration.Declarative) === KongConfiguration.Declarative;
  const names = gatewayObjectNames(name);
  const secretEnv = declarative
    ? gateway.instances.flatMap((instance) =>
        Object.keys(instance.secretConfig).map((key) => {
          const variable = secretVariableName(instance.name, key);
          return [variable, { valueFrom: { secretKeyRef: { name: names.pluginSecrets, key: variable } } }] as const;
        }),
      )
    : [];
  const customEnv = { ...(gateway.kongEnv ?? {}), ...Object.fromEntries(secretEnv) };
  const image = gateway.delivery === PluginDelivery.Image ? gateway.image : undefined;
  const mountedPlugins = gateway.delivery === PluginDelivery.Mount && !sameNames(enabledPluginsValue(gateway), chartEnabledPlugins(gateway)) ? { env: { plugins: enabledPluginsValue(gateway) } } : {};
  return {
    ...(gateway.delivery === PluginDelivery.Mount ? (chartPluginValues(gateway.plugins) as unknown as Record<string, JsonValue>) : {}),
    ...mountedPlugins,
    ...(image
      ? {
          image: { unifiedRepoTag: image.name },
          env: { plugins: image.kongPlugins, ...(image.luaPackagePath !== undefined ? { lua_package_path: image.luaPackagePath } : {}) },
        }
      : {}),
    ...(declarative
      ? { dblessConfig: { configMap: names.declarativeConfig }, ingressController: { enabled: false } }
      : { ingressController: { enabled: true, ingressClass: spec.ingressClass ?? DEFAULT_INGRESS_CLASS } }),
    ...(Object.keys(customEnv).length > 0 ? { customEnv } : {}),
  };
}

/** KONG_PLUGINS as the chart's `kong.plugins` sets it for `plugins.configMaps`: `bundled`, then each plugin, without repeats. */
function chartEnabledPlugins(gateway: GatewaySpec): string {
  return [...new Set(["bundled", ...gateway.plugins.map((plugin) => plugin.name)])].join(",");
}

/** Whether two KONG_PLUGINS values enable the same plugins: Kong reads the list as a set. */
function sameNames(a: string, b: string): boolean {
  const names = (value: string) => [...new Set(value.split(","))].sort().join(",");
  return names(a) === names(b);
}

/**
 * A merge patch for a Kong Operator DataPlane: the KongPluginInstallations in
 * `spec.pluginsToInstall` (the operator then sets KONG_PLUGINS and mounts each plugin itself).
 */
export function pluginsOnlyDataPlanePatch(spec: KubernetesManifestsSpec, namespace: string): Record<string, JsonValue> {
  return { spec: { pluginsToInstall: spec.gateway.plugins.map((plugin) => ({ name: plugin.name, namespace })) } };
}
