import * as pulumi from "@pulumi/pulumi";
import { rethrowValidationAs } from "../core/errors";
import type { PluginMetadata } from "../plugin/plugin-metadata";
import { BuiltImage, type ImageBuildArgs } from "./built-image";
import { renderPluginImageContext } from "./plugin-image-dockerfile";

/** Arguments of {@link PluginImage}. */
export interface PluginImageArgs extends ImageBuildArgs {
  /** The plugin to package; it must hold exactly handler.lua and schema.lua, at most 1 MiB. */
  readonly plugin: PluginMetadata;
}

/**
 * A plugin packaged as Kong Operator expects for a `KongPluginInstallation`: an image built
 * `FROM scratch` whose single layer holds handler.lua and schema.lua at its root.
 */
export class PluginImage extends BuiltImage {
  /** The packaged plugin's name. */
  readonly pluginName: pulumi.Output<string>;

  constructor(name: string, args: PluginImageArgs, opts?: pulumi.ComponentResourceOptions) {
    super("kong-plugins:index:PluginImage", name, args, (parent) =>
      args.plugin.resolved.apply((plugin) => rethrowValidationAs((error) => new pulumi.ResourceError(error.message, parent), () => renderPluginImageContext(plugin))),
    opts);
    this.pluginName = args.plugin.pluginName;
    this.registerOutputs({
      dockerfile: this.dockerfile,
      contextDigest: this.contextDigest,
      imageName: this.imageName,
      repoDigest: this.repoDigest,
    });
  }
}
