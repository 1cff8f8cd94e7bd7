import type { ResolvedPluginInstance } from "../plugin/instance-model";
import type { ResolvedPlugin } from "../plugin/model";
import type { KongProtocol } from "../plugin/instance-model";

/** Whether Kong keeps its configuration in PostgreSQL or runs DB-less from a declarative file. */
export enum DatabaseMode {
  Off = "off",
  Postgres = "postgres",
}

/** How custom plugins reach Kong's Lua path. */
export enum PluginDelivery {
  /** Baked into a custom image (GatewayImage): files under the image's Lua root. */
  Image = "image",
  /** Mounted read-only at `/opt/kong/plugins/<name>` (compose volumes; Kong Helm chart's ConfigMaps). */
  Mount = "mount",
}

/**
 * Where a custom plugin is in Kong's removal order
 * (https://docs.konghq.com/gateway/latest/plugin-development/distribution/#remove-a-plugin):
 * (1) take it off every service, route, consumer and global; (2) take it out of `plugins`
 * (KONG_PLUGINS) and restart every node; (3) delete its files. Doing (2) or (3) early makes Kong
 * fail to start ("plugin is in use but not enabled", "plugin is enabled but not installed").
 */
export enum PluginRetirement {
  /** Step 1: still installed and enabled; the preflight requires that no instance uses it. */
  Retiring = "retiring",
  /** Step 2: out of KONG_PLUGINS; its files stay installed. Step 3 drops it from the plugin list. */
  Disabled = "disabled",
}

/** A Kong route. */
export interface KongRouteSpec {
  /** Unique route name. */
  readonly name: string;
  /**
   * Paths the route matches, e.g. `/orders`.
   * @default []
   */
  readonly paths?: string[];
  /**
   * Host names the route matches.
   * @default []
   */
  readonly hosts?: string[];
  /**
   * HTTP methods the route matches.
   * @default []
   */
  readonly methods?: string[];
  /**
   * Protocols the route accepts.
   * @default - Kong's default, ["http", "https"]
   */
  readonly protocols?: KongProtocol[];
  /**
   * Whether Kong strips the matched path before proxying (`strip_path`).
   * @default - Kong's default, true
   */
  readonly stripPath?: boolean;
  /**
   * The service a top-level route belongs to.
   * @default - the service it is nested in
   */
  readonly service?: string;
}

/** A Kong service (an upstream API). */
export interface KongServiceSpec {
  /** Unique service name. */
  readonly name: string;
  /** Where Kong proxies to, e.g. `http://orders:8080/api`. */
  readonly url: string;
  /**
   * Routes to this service.
   * @default []
   */
  readonly routes?: KongRouteSpec[];
}

/** A Kong consumer. */
export interface KongConsumerSpec {
  /** Unique username. */
  readonly username: string;
  /**
   * The consumer's `custom_id`, e.g. an id in your user store.
   * @default - none
   */
  readonly customId?: string;
}

/** What a gateway image holds, when plugins are delivered in one. */
export interface GatewayImageFacts {
  /** Image reference Kong runs. */
  readonly name: string;
  /** KONG_PLUGINS as the image sets it. */
  readonly kongPlugins: string;
  /** Where the image keeps its plugins (its Lua root). */
  readonly luaRoot: string;
  /** KONG_LUA_PACKAGE_PATH as the image sets it, if it does. */
  readonly luaPackagePath?: string;
}

/** A gateway and its plugins, independent of where it runs. */
export interface GatewaySpec {
  /** Custom plugins. */
  readonly plugins: readonly ResolvedPlugin[];
  /** How custom plugins reach Kong. */
  readonly delivery: PluginDelivery;
  /** The custom image, for `image` delivery. */
  readonly image?: GatewayImageFacts;
  /** The base image, for `mount` delivery. @default "kong/kong-gateway:3.10" */
  readonly baseImage?: string;
  /** Keep Kong's bundled plugins enabled. @default true */
  readonly includeBundled?: boolean;
  /**
   * Custom plugins on their way out, by name, each at its step of Kong's removal order; a plugin
   * not named here is in use. @default {}
   */
  readonly retirement?: Readonly<Record<string, PluginRetirement>>;
  /** Configured plugin instances (secret values withheld). */
  readonly instances: readonly ResolvedPluginInstance[];
  /** @default [] */
  readonly services?: readonly KongServiceSpec[];
  /** Routes declared apart from their service. @default [] */
  readonly routes?: readonly KongRouteSpec[];
  /** @default [] */
  readonly consumers?: readonly KongConsumerSpec[];
  /** @default DatabaseMode.Off */
  readonly database?: DatabaseMode;
  /**
   * Extra environment of Kong's container (e.g. KONG_LOG_LEVEL). KONG_LUA_PACKAGE_PATH may be
   * overridden here, and the preflight then checks the plugins against the path given.
   * @default {}
   */
  readonly kongEnv?: Readonly<Record<string, string>>;
}
