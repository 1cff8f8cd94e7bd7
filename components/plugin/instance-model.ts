import type { JsonValue } from "../core/canonical";
import type { JsonSchema } from "./model";
import type { PluginType } from "./types";

/** Protocols a plugin instance can run on (Kong 3.x). */
export enum KongProtocol {
  Http = "http",
  Https = "https",
  Grpc = "grpc",
  Grpcs = "grpcs",
  Tcp = "tcp",
  Tls = "tls",
  TlsPassthrough = "tls_passthrough",
  Udp = "udp",
  Ws = "ws",
  Wss = "wss",
}

/** Protocols of Kong's HTTP subsystem; the rest are stream protocols. */
export const HTTP_PROTOCOLS: readonly KongProtocol[] = [
  KongProtocol.Http,
  KongProtocol.Https,
  KongProtocol.Grpc,
  KongProtocol.Grpcs,
  KongProtocol.Ws,
  KongProtocol.Wss,
];

/** A Gateway API object a plugin applies to (the operator's `KongPlugin.spec.targetRef`). */
export interface TargetRef {
  /** API group, e.g. `gateway.networking.k8s.io`. */
  readonly group: string;
  /** Kind, e.g. `Gateway`. */
  readonly kind: string;
  /** The object's name. */
  readonly name: string;
  /**
   * The object's namespace.
   * @default - the instance's namespace
   */
  readonly namespace?: string;
}

/** Kong Enterprise's dynamic plugin ordering: which plugins to run before or after, per phase. */
export interface PluginOrdering {
  /**
   * Plugins this one runs before, by phase: `{ access: ["key-auth"] }`.
   * @default - no constraint
   */
  readonly before?: Record<string, string[]>;
  /**
   * Plugins this one runs after, by phase.
   * @default - no constraint
   */
  readonly after?: Record<string, string[]>;
}

/** One configured use of a plugin, as plain values. */
export interface PluginInstanceSpec {
  /** Name of this instance: the Kubernetes object name of its resources. */
  readonly name: string;
  /** The plugin's name (a custom plugin's, or a bundled one's). */
  readonly plugin: string;
  /** The subsystems the plugin serves, when known: protocols are checked against them. */
  readonly pluginSubsystems?: PluginType[];
  /** JSON Schema the config must conform to, when known. */
  readonly configSchema?: JsonSchema;
  /** Plain configuration (JSON values; `any` because other Pulumi languages have no JSON type). */
  readonly config?: Record<string, any>;
  /** Secret configuration (strings), merged into `config` by Kong; never rendered inline. */
  readonly secretConfig?: Record<string, string>;
  /** Apply to this Kong service only. */
  readonly service?: string;
  /** Apply to this Kong route only. */
  readonly route?: string;
  /** Apply to this consumer only. */
  readonly consumer?: string;
  /** Apply to this Gateway API object (operator form); exclusive with service/route/consumer. */
  readonly targetRef?: TargetRef;
  /** Whether the instance is active. */
  readonly enabled?: boolean;
  /** Protocols the instance runs on. */
  readonly protocols?: KongProtocol[];
  /** Dynamic ordering (Kong Enterprise). */
  readonly ordering?: PluginOrdering;
  /** Kong's `instance_name`, to tell several instances of one plugin apart. */
  readonly instanceName?: string;
  /** Kong tags. */
  readonly tags?: string[];
  /**
   * Namespace of the Services, Ingresses and KongConsumers the instance annotates: its KongPlugin
   * (and config Secret) live there, where the Ingress Controller looks `konghq.com/plugins` up.
   */
  readonly namespace?: string;
  /** Render the Ingress Controller form as a cluster-scoped KongClusterPlugin. */
  readonly clusterWide?: boolean;
  /**
   * Where the spec holds values that came from Pulumi secrets (`secretConfig.token`,
   * `config.headers[0]`), written by PluginInstance into its definition: a stack keeps what it
   * renders from a secret outside secretConfig secret. A program that edits a definition keeps
   * this list true.
   */
  readonly secretPaths?: string[];
}

/** Where an instance applies. */
export enum PluginScope {
  Global = "global",
  Scoped = "scoped",
  GatewayTarget = "targetRef",
}

/** A plugin instance that passed every check, defaults filled in. */
export interface ResolvedPluginInstance {
  readonly name: string;
  readonly plugin: string;
  readonly config: Readonly<Record<string, JsonValue>>;
  readonly secretConfig: Readonly<Record<string, string>>;
  readonly scope: PluginScope;
  readonly service?: string;
  readonly route?: string;
  readonly consumer?: string;
  readonly targetRef?: TargetRef;
  readonly enabled: boolean;
  readonly protocols?: readonly KongProtocol[];
  readonly ordering?: PluginOrdering;
  readonly instanceName?: string;
  readonly tags: readonly string[];
  readonly namespace: string;
  readonly clusterWide: boolean;
  /**
   * The config as Kong stores it, when the plugin's schema.lua checked it: defaults filled,
   * shorthand fields translated, absent optional fields null (secret values as given: withheld, they are placeholders).
   */
  readonly effectiveConfig?: Readonly<Record<string, JsonValue>>;
}
