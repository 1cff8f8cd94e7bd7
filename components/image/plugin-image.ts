import * as pulumi from "@pulumi/pulumi";
import { SecretInputs } from "../core/secret-inputs";
import type { PluginSpec } from "../plugin/model";
import { resolvePlugin } from "../plugin/validate";
import { buildImage, type ImageBuildArgs } from "./built-image";
import { renderPluginImageContext } from "./plugin-image-dockerfile";

/** A plugin's image, as a stack with the operator delivery installs it. */
export interface PluginImageReference {
  /** The plugin's name. */
  readonly pluginName: string;
  /** The image: `repository@sha256:...` once pushed, its name until then. */
  readonly image: string;
}

/** Arguments of {@link PluginImage}. */
export interface PluginImageArgs extends ImageBuildArgs {
  /** The plugin to package (a PluginMetadata's `definition`); it must hold exactly handler.lua and schema.lua, at most 1 MiB. */
  readonly plugin: pulumi.Input<PluginSpec>;
}

/**
 * A plugin packaged as Kong Operator expects for a `KongPluginInstallation`: an image built
 * `FROM scratch` whose single layer holds handler.lua and schema.lua at its root.
 */
export class PluginImage extends pulumi.ComponentResource {
  /** The rendered Dockerfile. */
  readonly dockerfile: pulumi.Output<string>;
  /** `sha256:` digest of the build context (paths, modes, contents). */
  readonly contextDigest: pulumi.Output<string>;
  /** The image's name. */
  readonly imageName: pulumi.Output<string>;
  /** `repository@sha256:...` of the pushed image (of the local image when not pushed). */
  readonly repoDigest: pulumi.Output<string>;
  /** The packaged plugin's name. */
  readonly pluginName: pulumi.Output<string>;
  /** The plugin and its image, for a stack's `pluginImages` (`image.definition`). */
  readonly definition: pulumi.Output<PluginImageReference>;

  constructor(name: string, args: PluginImageArgs, opts?: pulumi.ComponentResourceOptions) {
    super("kong-plugins:index:PluginImage", name, {}, opts);
    const inputs = new SecretInputs(this, { plugin: args.plugin });
    const plugin = inputs.checked((values) => resolvePlugin(values.plugin));
    const context = pulumi.all([plugin, inputs.resolved]).apply(([resolved, { secrets }]) => inputs.check(() => renderPluginImageContext(resolved), secrets));
    const built = buildImage(this, "kong-plugins:index:PluginImage", name, args, context);
    this.dockerfile = built.dockerfile;
    this.contextDigest = built.contextDigest;
    this.imageName = built.imageName;
    this.repoDigest = built.repoDigest;
    this.pluginName = plugin.name;
    this.definition = pulumi.all([plugin.name, built.reference]).apply(([pluginName, image]) => ({ pluginName, image }));
    this.registerOutputs({
      dockerfile: this.dockerfile,
      contextDigest: this.contextDigest,
      imageName: this.imageName,
      repoDigest: this.repoDigest,
      pluginName: this.pluginName,
      definition: this.definition,
    });
  }
}
