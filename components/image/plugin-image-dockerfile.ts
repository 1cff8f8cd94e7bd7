import { IssueCollector } from "../core/errors";
import type { ResolvedPlugin } from "../plugin/model";
import { assembleContext, FILE_MODE, type BuildContext } from "./build-context";
import { quoteDockerfileValue } from "./dockerfile-text";

/** The largest plugin Kong Operator's KongPluginInstallation accepts: 1 MiB. */
export const PLUGIN_IMAGE_MAX_BYTES = 1024 * 1024;

/** The only files a KongPluginInstallation image may hold, at its root. */
export const PLUGIN_IMAGE_FILES = ["handler.lua", "schema.lua"] as const;

/** A tar block: every header and every file's content (padded) take whole blocks. */
const TAR_BLOCK = 512;

/**
 * The size of the image's layer as Kong Operator measures it: the decompressed tar, one
 * header block and the content padded to whole blocks per file, then the two zero blocks that
 * end the archive. The operator's 1 MiB limit is on this, not on the files' bytes.
 */
export function pluginImageLayerBytes(plugin: Pick<ResolvedPlugin, "files">): number {
  const blocks = (bytes: number) => Math.ceil(bytes / TAR_BLOCK) * TAR_BLOCK;
  return plugin.files.reduce((total, file) => total + TAR_BLOCK + blocks(Buffer.byteLength(file.content, "utf8")), 2 * TAR_BLOCK);
}

/**
 * Checks that a plugin fits Kong Operator's plugin image format: exactly handler.lua and
 * schema.lua, in a layer of at most 1 MiB ({@link pluginImageLayerBytes}).
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
  const size = pluginImageLayerBytes(plugin);
  if (size > PLUGIN_IMAGE_MAX_BYTES) {
    issues.add("plugin.files", "make a layer larger than the 1 MiB a KongPluginInstallation image may hold (its decompressed tar, headers included); deliver this plugin with a GatewayImage instead", {
      received: `a ${size}-byte layer`,
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
