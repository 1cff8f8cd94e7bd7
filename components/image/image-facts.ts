import { IssueCollector } from "../core/errors";
import { kongPluginsValue, luaPackagePath } from "../gateway/kong-conventions";
import type { GatewayImageFacts } from "../gateway/model";
import type { PluginSpec, ResolvedPlugin } from "../plugin/model";
import { resolvePlugins } from "../plugin/validate";
import { resolveGatewayImage, type ResolvedGatewayImage } from "./gateway-spec";

/**
 * A built gateway image as the stacks that run it need it: where it is and what is in it.
 * GatewayImage outputs it as `definition`.
 */
export interface GatewayImageReference {
  /** The image Kong runs: `repository@sha256:...` once pushed, its name until then. */
  readonly image: string;
  /** The custom plugins inside the image. */
  readonly plugins: PluginSpec[];
  /**
   * The Lua root the plugins are installed under.
   * @default "/usr/local/share/lua/5.1" (Kong's own)
   */
  readonly luaRoot?: string;
  /**
   * Whether the image keeps Kong's bundled plugins enabled.
   * @default true
   */
  readonly includeBundled?: boolean;
}

/** What a gateway model needs to know of a custom image that Kong runs as `reference`. */
export function imageFacts(reference: string, image: ResolvedGatewayImage): GatewayImageFacts {
  return {
    name: reference,
    kongPlugins: kongPluginsValue(image),
    luaRoot: image.luaRoot,
    ...(image.customLuaRoot ? { luaPackagePath: luaPackagePath(image.luaRoot) } : {}),
  };
}

/**
 * The facts and the checked plugins of an image a stack received by reference.
 * @throws KongPluginsValidationError with paths under `path`.
 */
export function resolveImageReference(reference: GatewayImageReference, path: string): { facts: GatewayImageFacts; plugins: readonly ResolvedPlugin[] } {
  const issues = new IssueCollector();
  const image = issues.attempt(path, () =>
    resolveGatewayImage({
      plugins: resolvePlugins(reference.plugins, "plugins"),
      ...(reference.luaRoot !== undefined ? { luaRoot: reference.luaRoot } : {}),
      ...(reference.includeBundled !== undefined ? { includeBundled: reference.includeBundled } : {}),
    }),
  );
  issues.throwIfAny("the gateway image");
  // attempt() gave undefined only with an issue recorded, which throwIfAny has thrown.
  const resolved = image as ResolvedGatewayImage;
  return { facts: imageFacts(reference.image, resolved), plugins: resolved.plugins };
}
