// What the main thread and the Lua worker say to each other. Everything crosses as plain,
// structured-clonable data; Lua values cross as JSON text produced by the prelude.

/** Limits of one sandbox. */
export interface LuaLimits {
  /** Lua VM instructions one `run` or `call` may execute. */
  readonly instructions: number;
  /** Bytes the Lua state may allocate. */
  readonly memoryBytes: number;
}

/**
 * How `require` answers a module name, decided by the host before the sandbox opens:
 * `source` loads Lua text, `fenced` fails fatally, `missing` raises Lua's "module not
 * found", anything else is `unknown` (an inert value, recorded).
 */
export type LuaModule =
  | { readonly kind: "source"; readonly chunkname: string; readonly source: string }
  | { readonly kind: "fenced" }
  | { readonly kind: "missing" };

/** Chunk names of files from a Kong Lua tree start with this, so errors say where they are. */
export const TREE_CHUNK_PREFIX = "kong-tree/";

/** How modules are found: fixed ones by name, patterns by prefix, then files of a Lua tree. */
export interface LuaModuleTable {
  /** Modules by exact name. */
  readonly modules: Readonly<Record<string, LuaModule>>;
  /** Names under these prefixes that `modules` does not list are `missing` (e.g. the plugin's own `kong.plugins.<name>.`). */
  readonly missingUnder: readonly string[];
  /** A folder holding Lua modules (`<folder>/kong/meta.lua` for `kong.meta`), searched after `modules`. */
  readonly tree?: string;
  /** Only names under these prefixes are looked up in `tree`. */
  readonly treePrefixes?: readonly string[];
}

export type LuaRequest =
  | { readonly op: "open"; readonly modules: LuaModuleTable; readonly limits: LuaLimits }
  | { readonly op: "run"; readonly sandbox: number; readonly source: string; readonly chunkname: string }
  | { readonly op: "call"; readonly sandbox: number; readonly fn: number; readonly argumentsJson: string }
  | { readonly op: "global"; readonly sandbox: number; readonly name: string; readonly valueJson: string }
  | { readonly op: "required"; readonly sandbox: number }
  | { readonly op: "close"; readonly sandbox: number };

/** Why a chunk or call failed. */
export enum LuaFailureKind {
  /** The Lua code raised an error (Kong would see the same error, or the sandbox lacks what it used). */
  Runtime = "runtime",
  /** The text is not Lua the VM parses. */
  Syntax = "syntax",
  /** The instruction budget ran out (an endless or too long loop). */
  Budget = "budget",
  /** The memory cap was reached. */
  Memory = "memory",
  /** The code used an API the sandbox fences (io, os.execute, debug, ffi, bytecode). */
  Fenced = "fenced",
  /** The runtime did not answer in time: work inside one C function (a pattern match) that no instruction count sees. */
  Timeout = "timeout",
}

/** A failure as the worker reports it: what kind, Lua's message, and where when Lua said. */
export interface LuaFailure {
  readonly kind: LuaFailureKind;
  readonly message: string;
  /** The chunk (file) the error points at, e.g. `handler.lua`. */
  readonly file?: string;
  readonly line?: number;
}

export type LuaResponse =
  | { readonly ok: true; readonly sandbox?: number; readonly json?: string }
  | { readonly ok: false; readonly failure: LuaFailure };
