import * as pulumi from "@pulumi/pulumi";
import { rethrowValidationAs } from "../core/errors";
import { withoutUndefined } from "../core/objects";
import type { PluginMetadata } from "../plugin/plugin-metadata";
import { BuiltImage, type ImageBuildArgs } from "./built-image";
import { renderBuildContext } from "./build-context";
import { resolveGatewayImage, type GatewayImageSpec, type PluginInstallMode, type ResolvedGatewayImage } from "./gateway-spec";

/** Arguments of {@link GatewayImage}. */
export interface GatewayImageArgs extends ImageBuildArgs {
  /**
   * The image to build on: `kong/kong-gateway:<tag>` or `kong:<tag>`.
   * @default "kong/kong-gateway:3.10" (the current long-term-support line)
   */
  readonly baseImage?: pulumi.Input<string>;
  /** The custom plugins to put in the image. Two with the same name are an error. */
  readonly plugins: PluginMetadata[];
  /**
   * How the plugins get in: COPY onto the Lua path, or `luarocks install` of each plugin's rock.
   * See https://docs.konghq.com/gateway/latest/plugin-development/distribution/
   * @default PluginInstallMode.Copy
   */
  readonly installMode?: pulumi.Input<PluginInstallMode>;
  /**
   * A Lua root of your own (e.g. `/opt/kong-plugins`); the image then sets
   * `KONG_LUA_PACKAGE_PATH=<root>/?.lua;<root>/?/init.lua;;`.
   * @default "/usr/local/share/lua/5.1" (Kong's own, already on its Lua path)
   */
  readonly luaRoot?: pulumi.Input<string>;
  /**
   * Keep Kong's bundled plugins enabled (`KONG_PLUGINS=bundled,...`).
   * @default true
   */
  readonly includeBundled?: pulumi.Input<boolean>;
  /**
   * Extra environment variables of the image. KONG_PLUGINS and KONG_LUA_PACKAGE_PATH are
   * managed by the image and cannot be set here. Not for secrets: image layers are readable.
   * @default {}
   */
  readonly env?: pulumi.Input<Record<string, pulumi.Input<string>>>;
  /**
   * Extra image labels, e.g. `org.opencontainers.image.source`.
   * @default {}
   */
  readonly labels?: pulumi.Input<Record<string, pulumi.Input<string>>>;
}

/**
 * A custom `kong/kong-gateway` image with plugins inside, built the way Kong's documentation
 * prescribes: the Dockerfile, a reproducible build context, and one `docker.Image` on it.
 */
export class GatewayImage extends BuiltImage {
  /** The checked image model, for stacks that run this image. */
  readonly resolved: pulumi.Output<ResolvedGatewayImage>;
  /** The plugins in the image, as `name@version`, sorted. */
  readonly plugins: pulumi.Output<string[]>;

  constructor(name: string, args: GatewayImageArgs, opts?: pulumi.ComponentResourceOptions) {
    // Set by the render callback, which the base constructor calls exactly once; the callback
    // is where `this` exists to be named by validation errors.
    let resolved!: pulumi.Output<ResolvedGatewayImage>;
    super("kong-plugins:index:GatewayImage", name, args, (parent) => {
      resolved = pulumi
        .output({
          plugins: pulumi.all(args.plugins.map((plugin) => plugin.resolved)),
          baseImage: args.baseImage,
          installMode: args.installMode,
          luaRoot: args.luaRoot,
          includeBundled: args.includeBundled,
          env: args.env,
          labels: args.labels,
        })
        .apply((spec) => rethrowValidationAs((error) => new pulumi.ResourceError(error.message, parent), () => resolveGatewayImage(withoutUndefined(spec) as GatewayImageSpec)));
      return resolved.apply(renderBuildContext);
    }, opts);
    this.resolved = resolved;
    this.plugins = resolved.apply((image) => image.plugins.map((plugin) => `${plugin.name}@${plugin.version}`));
    this.registerOutputs({
      dockerfile: this.dockerfile,
      contextDigest: this.contextDigest,
      imageName: this.imageName,
      repoDigest: this.repoDigest,
      plugins: this.plugins,
    });
  }
}
