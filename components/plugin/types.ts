import type { TextFile } from "../core/digest";

/** The subsystem a plugin runs in: `http` (L7) or `stream` (L4, TCP/TLS/UDP). */
export enum PluginType {
  Http = "http",
  Stream = "stream",
}

/**
 * Handler methods Kong calls, in the order Kong runs them (HTTP and stream phases interleaved
 * so that each subsystem's own order holds). `configure` and `init_worker` run once per worker;
 * the others run per request (HTTP), per connection (stream) or per WebSocket frame.
 * See https://docs.konghq.com/gateway/latest/plugin-development/custom-logic/
 */
export const HANDLER_PHASES = [
  "init_worker",
  "configure",
  "certificate",
  "rewrite",
  "access",
  "preread",
  "ws_handshake",
  "ws_client_frame",
  "ws_upstream_frame",
  "response",
  "header_filter",
  "body_filter",
  "ws_close",
  "log",
] as const;

/** One handler phase. */
export type HandlerPhase = (typeof HANDLER_PHASES)[number];

/** A position in a plugin file; lines and columns start at 1, as editors show them. */
export interface LuaLocation {
  /** Path of the file inside the plugin folder, e.g. `handler.lua`. */
  readonly file: string;
  readonly line: number;
  readonly column: number;
}

/** A `require("module")` found in a plugin file. */
export interface LuaRequire extends LuaLocation {
  /** The required module, or `null` when the argument is not a string literal. */
  readonly module: string | null;
}

/**
 * A use of an API that creates timers: `ngx.timer.at`/`every`, `kong.timer`'s `named_at`,
 * `named_every`, `at` and `every`, or Kong's queue (`kong.tools.queue`'s `enqueue`). Located
 * at each call, at a value that escapes (passed, stored, returned), or at an alias never read.
 */
export interface LuaTimerUse extends LuaLocation {
  /** The expression resolved through local aliases, e.g. `ngx.timer.at` for `timer_at(0, f)`. */
  readonly expression: string;
}

/** A Lua syntax error, located. `toString` form: `file:line:col message`. */
export interface LuaSyntaxError extends LuaLocation {
  readonly message: string;
}

/** What static analysis of the plugin's Lua found. */
export interface LuaAnalysis {
  /** Phases that handler.lua's returned table implements, in Kong's execution order. */
  readonly phases: readonly HandlerPhase[];
  /** Every field set on handler.lua's returned table (methods, PRIORITY, VERSION, ...), sorted. */
  readonly handlerFields: readonly string[];
  /** The handler's `PRIORITY`, when it is a number literal. */
  readonly priority?: number;
  /** The handler's `VERSION`, when it is a string literal. */
  readonly handlerVersion?: string;
  /** The `name` that schema.lua returns, when it is a string (or a local bound to one). */
  readonly schemaName?: string;
  /** Config fields schema.lua marks `referenceable = true` (the only ones Kong resolves vault references in), sorted. */
  readonly referenceableFields: readonly string[];
  /** Every timer use, in file and position order. */
  readonly timers: readonly LuaTimerUse[];
  /** Every `require`, in file and position order. */
  readonly requires: readonly LuaRequire[];
  /** Every syntax error (one per file at most: parsing stops at the first). */
  readonly syntaxErrors: readonly LuaSyntaxError[];
}

/** A plugin's source as read: its files (sorted by path), their digest and the Lua analysis. */
export interface PluginSource {
  /** Files relative to `kong/plugins/<name>/`, sorted by path. */
  readonly files: readonly TextFile[];
  /** `sha256:` digest of paths and contents ({@link digestFiles}). */
  readonly digest: string;
  /** Static analysis of the Lua files. */
  readonly analysis: LuaAnalysis;
}
