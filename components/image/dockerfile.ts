import { kongPluginsValue, luaPackagePath } from "../gateway/kong-conventions";
import { pluginsDigest } from "../plugin/plugins-digest";
import { quoteDockerfileValue } from "./dockerfile-text";
import { PluginInstallMode, resolveGatewayImage, type GatewayImageSpec, type ResolvedGatewayImage } from "./gateway-spec";
import { sourceRockName } from "./source-rock";

/** Where the build context keeps each plugin's folder (copy mode). */
export function contextPluginDir(name: string): string {
  return `plugins/${name}`;
}

/** Where the build context keeps source rocks (luarocks mode), and where they land in the image. */
export const CONTEXT_ROCKS_DIR = "rocks";
export const IMAGE_ROCKS_DIR = "/tmp/kong-plugins-rocks";

/** The `luarocks install` commands of the luarocks mode, one per plugin, as the RUN line runs them. */
export function luarocksInstallCommands(image: ResolvedGatewayImage): string[] {
  return image.plugins.map((plugin) => `luarocks install --deps-mode=none ${IMAGE_ROCKS_DIR}/${sourceRockName(plugin)}`);
}


/** Label keys this library sets. */
export const PLUGINS_LABEL = "io.kong-plugins.plugins";
export const PLUGINS_DIGEST_LABEL = "io.kong-plugins.plugins.digest";

/**
 * The environment the image sets: Kong's plugin list, the Lua path when plugins live in a
 * root of their own, anonymous reports off (offline nodes otherwise try to reach Kong's
 * reporting host), then the user's variables. Sorted by name.
 */
export function imageEnvironment(image: ResolvedGatewayImage): Record<string, string> {
  return Object.fromEntries(
    Object.entries({
      KONG_ANONYMOUS_REPORTS: "off",
      ...image.env,
      KONG_PLUGINS: kongPluginsValue(image),
      ...(image.customLuaRoot ? { KONG_LUA_PACKAGE_PATH: luaPackagePath(image.luaRoot) } : {}),
    }).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
  );
}

/** The labels the image carries: OCI base image, the plugins with versions, then the user's. */
export function imageLabels(image: ResolvedGatewayImage, pluginsDigest: string): Record<string, string> {
  return Object.fromEntries(
    Object.entries({
      "org.opencontainers.image.base.name": image.baseImage,
      ...image.labels,
      [PLUGINS_LABEL]: image.plugins.map((plugin) => `${plugin.name}@${plugin.version}`).join(","),
      [PLUGINS_DIGEST_LABEL]: pluginsDigest,
    }).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
  );
}

/** Accepts a spec or an already resolved image, so callers that resolved once do not resolve twice. */
export function asResolvedImage(spec: GatewayImageSpec | ResolvedGatewayImage): ResolvedGatewayImage {
  return "customLuaRoot" in spec ? spec : resolveGatewayImage(spec);
}

/**
 * Renders the Dockerfile Kong's documentation prescribes for a custom plugin image: switch to
 * root to install the plugins (files owned by root, readable but not writable by `kong`),
 * set KONG_PLUGINS, switch back to the `kong` user, and restate Kong's entrypoint, ports,
 * stop signal, health check and command.
 * @throws KongPluginsValidationError when the spec is not valid.
 */
export function renderDockerfile(spec: GatewayImageSpec | ResolvedGatewayImage): string {
  const image = asResolvedImage(spec);
  const lines = [
    "# Rendered by pulumi-kong-plugins. Plugins: " + (image.plugins.map((plugin) => `${plugin.name} ${plugin.version}`).join(", ") || "none"),
    `FROM ${image.baseImage}`,
    "",
    "# Installing files needs root; the image runs as kong again below.",
    "USER root",
    ...installLines(image),
    "",
    keyValueInstruction("ENV", imageEnvironment(image)),
    keyValueInstruction("LABEL", imageLabels(image, pluginsDigest(image.plugins))),
    "",
    "USER kong",
    'ENTRYPOINT ["/entrypoint.sh"]',
    "EXPOSE 8000 8443 8001 8444",
    "STOPSIGNAL SIGQUIT",
    "HEALTHCHECK --interval=10s --timeout=10s --retries=10 CMD kong health",
    'CMD ["kong", "docker-start"]',
  ];
  return `${lines.join("\n")}\n`;
}

function installLines(image: ResolvedGatewayImage): string[] {
  switch (image.installMode) {
    case PluginInstallMode.Copy:
      return image.plugins.map((plugin) => `COPY ${contextPluginDir(plugin.name)}/ ${image.luaRoot}/kong/plugins/${plugin.name}/`);
    case PluginInstallMode.LuaRocks:
      if (image.plugins.length === 0) return [];
      return [`COPY ${CONTEXT_ROCKS_DIR}/ ${IMAGE_ROCKS_DIR}/`, `RUN ${[...luarocksInstallCommands(image), `rm -rf ${IMAGE_ROCKS_DIR}`].join(" \\\n && ")}`];
    default: {
      const unreachable: never = image.installMode;
      throw new Error(`unknown install mode ${String(unreachable)}`);
    }
  }
}

/** `ENV a="1" \` continued lines, one pair per line, values quoted. */
function keyValueInstruction(instruction: "ENV" | "LABEL", values: Record<string, string>): string {
  const pairs = Object.entries(values).map(([key, value]) => `${key}=${quoteDockerfileValue(value)}`);
  return `${instruction} ${pairs.join(" \\\n    ")}`;
}
