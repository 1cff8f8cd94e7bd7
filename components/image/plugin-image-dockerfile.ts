import { IssueCollector } from "../core/errors";
import type { ResolvedPlugin } from "../plugin/model";
import { assembleContext, FILE_MODE, type BuildContext } from "./build-context";
import { quoteDockerfileValue } from "./dockerfile-text";

/** The largest plugin Kong Operator's KongPluginInstallation accepts: 1 MiB. */
export const PLUGIN_IMAGE_MAX_BYTES = 1024 * 1024;

/** The only files a KongPluginInstallation image may hold, at its root. */
export const PLUGIN_IMAGE_FILES = ["handler.lua", "schema.lua"] as const;

/**
 * Checks that a plugin fits Kong Operator's plugin image format: exactly handler.lua and
 * schema.lua, at most 1 MiB together.
 * @throws KongPluginsValidationError pointing to the delivery modes that fit a bigger plugin.
 */
export function checkPluginImagePlugin(plugin: ResolvedPlugin): void {
  const issues = new IssueCollector();
  const others = plugin.files.map((file) => file.path).filter((path) => !(PLUGIN_IMAGE_FILES as readonly string[]).includes(path));
  if (others.length > 0) {
    issues.add("plugin.files", "holds files a KongPluginInstallation image cannot carry (it holds exactly handler.lua and schema.lua); deliver this plugin with a GatewayImage or as ConfigMaps instead", {
      received: others,
      expected: "handler.lua and schema.lua only",
    });
  }
  const size = plugin.files.reduce((total, file) => total + Buffer.byteLength(file.content, "utf8"), 0);
  if (size > PLUGIN_IMAGE_MAX_BYTES) {
    issues.add("plugin.files", "are larger than the 1 MiB a KongPluginInstallation image may hold; deliver this plugin with a GatewayImage instead", {
      received: `${size} bytes`,
      expected: `at most ${PLUGIN_IMAGE_MAX_BYTES} bytes`,
    });
  }
  issues.throwIfAny(`the plugin image of ${JSON.stringify(plugin.name)}`);
}

/**
 * The Dockerfile of a Kong Operator plugin image: `FROM scratch` and one COPY, so the image
 * has a single layer holding handler.lua and schema.lua at its root.
 * See https://developer.konghq.com/operator/ (KongPluginInstallation).
 */
export function renderPluginImageDockerfile(plugin: ResolvedPlugin): string {
  checkPluginImagePlugin(plugin);
  const labels = {
    "org.opencontainers.image.title": plugin.name,
    "org.opencontainers.image.version": plugin.version,
    "io.kong-plugins.plugin.digest": plugin.digest,
  };
  return [
    `# Rendered by pulumi-kong-plugins: the KongPluginInstallation image of ${plugin.name} ${plugin.version}`,
    "FROM scratch",
    `COPY ${PLUGIN_IMAGE_FILES.join(" ")} /`,
    `LABEL ${Object.entries(labels).map(([key, value]) => `${key}=${quoteDockerfileValue(value)}`).join(" \\\n    ")}`,
    "",
  ].join("\n");
}

/** The plugin image's build context: Dockerfile, `.dockerignore`, handler.lua and schema.lua. */
export function renderPluginImageContext(plugin: ResolvedPlugin): BuildContext {
  const dockerfile = renderPluginImageDockerfile(plugin);
  const payload = plugin.files.map((file) => ({ path: file.path, content: file.content, mode: FILE_MODE }));
  return assembleContext(dockerfile, payload, PLUGIN_IMAGE_FILES);
}
