import { IssueCollector, joinPath } from "../core/errors";
import { compareStrings } from "../core/digest";
import { DEFAULT_BASE_IMAGE, KONG_LUA_ROOT } from "../gateway/kong-conventions";
import { BUNDLED_PLUGINS } from "../plugin/bundled";
import type { ResolvedPlugin } from "../plugin/model";
import { checkDockerfileValue, ENV_NAME, IMAGE_REFERENCE, isSafeContainerPath, LABEL_KEY } from "./dockerfile-text";
import { arrayOf, BOOLEAN, enumOf, mapOf, objectOf, STRING, withShape, type Shape } from "../core/shape";
import { RESOLVED_PLUGIN } from "../plugin/shapes";

/** How plugins get into the image. */
export enum PluginInstallMode {
  /** COPY each plugin folder onto the Lua path (Kong's documented Dockerfile). */
  Copy = "copy",
  /** COPY each plugin's source rock and `luarocks install` it, as LuaRocks-managed installs do. */
  LuaRocks = "luarocks",
}


/** Variables this library sets itself; users configure them through the spec instead. */
export const MANAGED_ENV = ["KONG_PLUGINS", "KONG_LUA_PACKAGE_PATH"] as const;

/** A custom Kong image, as plain values. */
export interface GatewayImageSpec {
  /** Base image: `kong/kong-gateway:<tag>` or `kong:<tag>`. Defaults to {@link DEFAULT_BASE_IMAGE}. */
  readonly baseImage?: string;
  /** The plugins to install. */
  readonly plugins: readonly ResolvedPlugin[];
  /** How plugins get into the image. Defaults to `copy`. */
  readonly installMode?: PluginInstallMode;
  /** A Lua root of your own instead of Kong's (`KONG_LUA_PACKAGE_PATH` is then set). */
  readonly luaRoot?: string;
  /** Keep Kong's bundled plugins enabled. Defaults to true. */
  readonly includeBundled?: boolean;
  /** Extra environment variables. */
  readonly env?: Readonly<Record<string, string>>;
  /** Extra image labels. */
  readonly labels?: Readonly<Record<string, string>>;
}

/** A gateway image spec that passed every check, defaults filled in. */
export interface ResolvedGatewayImage {
  readonly baseImage: string;
  /** Plugins sorted by name. */
  readonly plugins: readonly ResolvedPlugin[];
  readonly installMode: PluginInstallMode;
  /** The Lua root plugins are installed under, and whether it is Kong's own. */
  readonly luaRoot: string;
  readonly customLuaRoot: boolean;
  readonly includeBundled: boolean;
  readonly env: Readonly<Record<string, string>>;
  readonly labels: Readonly<Record<string, string>>;
}

/**
 * Checks an image spec and fills in its defaults, reporting every problem at once.
 * Nothing that reaches the Dockerfile can carry a line break, an unescaped quote or `$`, or a
 * path that leaves its folder.
 * @throws KongPluginsValidationError
 */
/** The types of {@link GatewayImageSpec} (see ../core/shape.ts). */
const GATEWAY_IMAGE_SPEC: Shape = objectOf(
  { plugins: arrayOf(RESOLVED_PLUGIN), baseImage: STRING, installMode: enumOf(PluginInstallMode), luaRoot: STRING, includeBundled: BOOLEAN, env: mapOf(STRING), labels: mapOf(STRING) },
  ["plugins"],
);

export function resolveGatewayImage(spec: GatewayImageSpec): ResolvedGatewayImage {
  return withShape(spec, GATEWAY_IMAGE_SPEC, "the gateway image", () => resolveGatewayImageTyped(spec));
}

function resolveGatewayImageTyped(spec: GatewayImageSpec): ResolvedGatewayImage {
  const issues = new IssueCollector();
  const baseImage = spec.baseImage ?? DEFAULT_BASE_IMAGE;
  if (!IMAGE_REFERENCE.test(baseImage)) {
    issues.add("baseImage", "is not an image reference", { received: baseImage, expected: "e.g. kong/kong-gateway:3.10 or kong:3.9" });
  }
  const installMode = spec.installMode ?? PluginInstallMode.Copy;
  if (!Object.values(PluginInstallMode).includes(installMode)) {
    issues.add("installMode", "is not an install mode", { received: installMode, expected: Object.values(PluginInstallMode).join(" or ") });
  }
  const customLuaRoot = spec.luaRoot !== undefined && spec.luaRoot.replace(/\/$/, "") !== KONG_LUA_ROOT;
  const luaRoot = (spec.luaRoot ?? KONG_LUA_ROOT).replace(/\/$/, "");
  if (spec.luaRoot !== undefined && !isSafeContainerPath(spec.luaRoot)) {
    issues.add("luaRoot", "is not a plain absolute path", { received: spec.luaRoot, expected: "e.g. /opt/kong-plugins" });
  }
  if (customLuaRoot && installMode === PluginInstallMode.LuaRocks) {
    issues.add("luaRoot", "cannot be combined with the luarocks install mode, which installs into LuaRocks' own tree");
  }
  checkPlugins(spec.plugins, issues);
  checkMap(spec.env ?? {}, "env", ENV_NAME, "a variable name such as KONG_LOG_LEVEL", issues);
  for (const name of MANAGED_ENV) {
    if (spec.env && name in spec.env) {
      issues.add(joinPath("env", name), "is set by the image itself; use plugins, includeBundled and luaRoot instead");
    }
  }
  checkMap(spec.labels ?? {}, "labels", LABEL_KEY, "a key such as org.opencontainers.image.source", issues);
  issues.throwIfAny("the gateway image");

  return {
    baseImage,
    plugins: [...spec.plugins].sort((a, b) => compareStrings(a.name, b.name)),
    installMode,
    luaRoot,
    customLuaRoot,
    includeBundled: spec.includeBundled ?? true,
    env: spec.env ?? {},
    labels: spec.labels ?? {},
  };
}

function checkPlugins(plugins: readonly ResolvedPlugin[], issues: IssueCollector): void {
  const seen = new Set<string>();
  plugins.forEach((plugin, index) => {
    if (BUNDLED_PLUGINS.has(plugin.name)) {
      issues.add(joinPath(joinPath("plugins", index), "name"), "is the name of a plugin bundled with Kong Gateway; the image would hold two plugins of that name", { received: plugin.name });
    }
    if (seen.has(plugin.name)) {
      issues.add(joinPath(joinPath("plugins", index), "name"), "names a plugin that is already in the image", { received: plugin.name, expected: "each plugin once" });
    }
    seen.add(plugin.name);
  });
}

function checkMap(map: Readonly<Record<string, string>>, path: string, keyPattern: RegExp, expectedKey: string, issues: IssueCollector): void {
  for (const [key, value] of Object.entries(map)) {
    const keyPath = joinPath(path, key);
    if (!keyPattern.test(key)) issues.add(keyPath, "is not a valid name", { received: key, expected: expectedKey });
    checkDockerfileValue(value, keyPath, issues);
  }
}
