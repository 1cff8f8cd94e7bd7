import * as pulumi from "@pulumi/pulumi";
import { IssueCollector } from "../core/errors";
import { withoutUndefined } from "../core/objects";
import { SecretInputs } from "../core/secret-inputs";
import type { PluginSpec } from "../plugin/model";
import { pluginSpecOf, resolvePlugins } from "../plugin/validate";
import { buildImage, type ImageBuildArgs } from "./built-image";
import { renderBuildContext } from "./build-context";
import { resolveGatewayImage, type GatewayImageSpec, type PluginInstallMode, type ResolvedGatewayImage } from "./gateway-spec";
import type { GatewayImageReference } from "./image-facts";

/** Arguments of {@link GatewayImage}. */
export interface GatewayImageArgs extends ImageBuildArgs {
  /**
   * The image to build on: `kong/kong-gateway:<tag>` or `kong:<tag>`.
   * @default "kong/kong-gateway:3.10" (the current long-term-support line)
   */
  readonly baseImage?: pulumi.Input<string>;
  /** The custom plugins to put in the image (PluginMetadata `definition`s). Two with the same name are an error. */
  readonly plugins: pulumi.Input<pulumi.Input<PluginSpec>[]>;
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
 * The image spec checked with its plugins, every problem of both reported at once: a bad
 * plugin does not hide a bad `baseImage`.
 * @throws KongPluginsValidationError
 */
function resolveGatewayImageArgs(plugins: readonly PluginSpec[], rest: Omit<GatewayImageSpec, "plugins">): ResolvedGatewayImage {
  const issues = new IssueCollector();
  const resolved = resolvePlugins(plugins, "plugins", issues);
  // The image's own plugin checks (duplicates, bundled names) name plugins by index: they run
  // once every plugin resolved, so that an index always means the plugin given at it.
  const checked = resolved.length === plugins.length ? resolved : [];
  const image = issues.attempt("", () => resolveGatewayImage(withoutUndefined({ ...rest, plugins: checked }) as GatewayImageSpec));
  issues.throwIfAny("the gateway image");
  return image as ResolvedGatewayImage;
}

/**
 * A custom `kong/kong-gateway` image with plugins inside, built the way Kong's documentation
 * prescribes: the Dockerfile, a reproducible build context, and one `docker.Image` on it.
 */
export class GatewayImage extends pulumi.ComponentResource {
  /** The rendered Dockerfile. */
  readonly dockerfile: pulumi.Output<string>;
  /** `sha256:` digest of the build context (paths, modes, contents). */
  readonly contextDigest: pulumi.Output<string>;
  /** The image's name. */
  readonly imageName: pulumi.Output<string>;
  /** `repository@sha256:...` of the pushed image (of the local image when not pushed). */
  readonly repoDigest: pulumi.Output<string>;
  /** The plugins in the image, as `name@version`, sorted. */
  readonly plugins: pulumi.Output<string[]>;
  /**
   * The image as the stacks that run it need it (`gatewayImage: image.definition`): by digest
   * once pushed, with the plugins inside.
   */
  readonly definition: pulumi.Output<GatewayImageReference>;

  constructor(name: string, args: GatewayImageArgs, opts?: pulumi.ComponentResourceOptions) {
    super("kong-plugins:index:GatewayImage", name, {}, opts);
    // Nothing of an image is rendered as a reference: whatever a secret reaches stays secret.
    const inputs = new SecretInputs(this, {
      plugins: args.plugins,
      baseImage: args.baseImage,
      installMode: args.installMode,
      luaRoot: args.luaRoot,
      includeBundled: args.includeBundled,
      env: args.env,
      labels: args.labels,
    });
    const resolved = inputs.checked(({ plugins, ...rest }) => resolveGatewayImageArgs(plugins as PluginSpec[], rest));
    const built = buildImage(this, "kong-plugins:index:GatewayImage", name, args, resolved.apply(renderBuildContext));
    this.dockerfile = built.dockerfile;
    this.contextDigest = built.contextDigest;
    this.imageName = built.imageName;
    this.repoDigest = built.repoDigest;
    this.plugins = resolved.apply((image) => image.plugins.map((plugin) => `${plugin.name}@${plugin.version}`));
    this.definition = pulumi.all([resolved, built.reference]).apply(([image, reference]) => ({
      image: reference,
      plugins: image.plugins.map(pluginSpecOf),
      luaRoot: image.luaRoot,
      includeBundled: image.includeBundled,
    }));
    this.registerOutputs({
      dockerfile: this.dockerfile,
      contextDigest: this.contextDigest,
      imageName: this.imageName,
      repoDigest: this.repoDigest,
      plugins: this.plugins,
      definition: this.definition,
    });
  }
}
