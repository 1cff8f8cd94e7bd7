// One Lua state in the worker thread: wasmoon's Lua 5.4 with only the base, table, string,
// math and coroutine libraries, the prelude's LuaJIT shims and fences, an instruction budget
// (a count hook) and a memory cap. Runs only in the worker (see worker.ts).
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { LuaEngine, LuaLibraries, LuaReturn, LuaType, type LuaWasm } from "wasmoon";
import { PRELUDE } from "./prelude";
import { LuaFailureKind, TREE_CHUNK_PREFIX, type LuaFailure, type LuaLimits, type LuaModuleTable } from "./protocol";

/** Instructions between two budget checks: small enough to stop a loop within milliseconds. */
const HOOK_STEP = 1000;
const LUA_MASKCOUNT = 8;
const MODULE_NAME = /^[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)*$/;

/** A failure raised out of a sandbox call. */
export class SandboxFailure extends Error {
  constructor(readonly failure: LuaFailure) {
    super(failure.message);
  }
}

export class Sandbox {
  private readonly engine: LuaEngine;
  private readonly hook: number;
  private budgetLeft = 0;
  private fatal: { kind: LuaFailureKind; message: string } | undefined;
  private syntaxError = false;

  constructor(
    private readonly cmodule: LuaWasm,
    private readonly modules: LuaModuleTable,
    private readonly limits: LuaLimits,
  ) {
    this.engine = new LuaEngine(cmodule, { openStandardLibs: false, traceAllocations: true, enableProxy: false, injectObjects: false });
    const global = this.engine.global;
    for (const library of [LuaLibraries.Base, LuaLibraries.Table, LuaLibraries.String, LuaLibraries.Math, LuaLibraries.Coroutine, LuaLibraries.Debug]) {
      global.loadLibrary(library);
    }
    this.hook = cmodule.module.addFunction((state: number) => this.countHook(state), "vii");
    global.set("__kp_resolve", (name: string, caller: string) => this.resolve(name, caller));
    global.set("__kp_fatal", () => this.fatal !== undefined);
    global.set("__kp_trip", (message: string) => {
      this.fatal ??= { kind: LuaFailureKind.Fenced, message };
    });
    global.set("__kp_syntax", () => {
      this.syntaxError = true;
    });
    this.runGuarded(() => this.runPrelude());
  }

  /** Runs a chunk of Lua text; returns its results as a JSON array. */
  run(source: string, chunkname: string): string {
    return this.runGuarded(() => this.callEntry("__kp_run", [source, chunkname]));
  }

  /** Calls a function the sandbox exported as `{"$function": id}`; returns `[ok, ...results]` as JSON. */
  call(fn: number, argumentsJson: string): string {
    return this.runGuarded(() => this.callEntry("__kp_invoke", [fn, argumentsJson]));
  }

  /** Sets a global to a JSON value (`{"$null":true}` is ngx.null). */
  setGlobal(name: string, valueJson: string): void {
    this.runGuarded(() => this.callEntry("__kp_global", [name, valueJson]));
  }

  /** Every `require` so far, as JSON: `[{ module, kind, file, line }]`. */
  required(): string {
    return this.runGuarded(() => this.callEntry("__kp_required", []));
  }

  close(): void {
    this.engine.global.close();
    this.cmodule.module.removeFunction(this.hook);
  }

  private countHook(state: number): void {
    this.budgetLeft -= HOOK_STEP;
    if (this.budgetLeft > 0) return;
    this.fatal ??= { kind: LuaFailureKind.Budget, message: `ran past the instruction budget of ${this.limits.instructions} Lua instructions` };
    const lua = this.cmodule;
    lua.luaL_where(state, 0);
    lua.lua_pushstring(state, this.fatal.message);
    lua.lua_concat(state, 2);
    lua.lua_error(state);
  }

  private resolve(name: string, caller: string): string {
    const module = this.modules.modules[name];
    // Kong's own files may use what plugin files may not (ffi): for them it is inert.
    if (module?.kind === "fenced" && caller.startsWith(TREE_CHUNK_PREFIX)) return "unknown";
    if (module !== undefined) return module.kind === "source" ? `source\n${module.chunkname}\n${module.source}` : module.kind;
    if (this.modules.missingUnder.some((prefix) => name.startsWith(prefix))) return "missing";
    const fromTree = this.treeModule(name);
    return fromTree ?? "unknown";
  }

  /** A module of the Lua tree the user named (Kong's own files), found as Kong's package path would. */
  private treeModule(name: string): string | undefined {
    const { tree, treePrefixes = [] } = this.modules;
    if (tree === undefined || !MODULE_NAME.test(name) || !treePrefixes.some((prefix) => name === prefix || name.startsWith(`${prefix}.`))) return undefined;
    const relative = name.replace(/\./g, "/");
    for (const candidate of [`${relative}.lua`, `${relative}/init.lua`]) {
      const path = join(tree, candidate);
      if (existsSync(path)) return `source\n${TREE_CHUNK_PREFIX}${candidate}\n${readFileSync(path, "utf8")}`;
    }
    return undefined;
  }

  private runGuarded<T>(action: () => T): T {
    const global = this.engine.global;
    const lua = this.cmodule;
    this.budgetLeft = this.limits.instructions;
    this.fatal = undefined;
    this.syntaxError = false;
    global.setMemoryMax(this.limits.memoryBytes);
    lua.lua_sethook(global.address, this.hook, LUA_MASKCOUNT, HOOK_STEP);
    const top = global.getTop();
    try {
      return action();
    } finally {
      lua.lua_sethook(global.address, null, 0, 0);
      global.setMemoryMax(undefined);
      global.setTop(top);
    }
  }

  /** Loads and runs the prelude, which defines the entry points every other call goes through. */
  private runPrelude(): void {
    const lua = this.cmodule;
    const state = this.engine.global.address;
    const size = lua.module.lengthBytesUTF8(PRELUDE);
    const pointer = lua.module._malloc(size + 1);
    try {
      lua.module.stringToUTF8(PRELUDE, pointer, size + 1);
      const status = lua.luaL_loadbufferx(state, pointer, size, "=prelude", "t");
      if (status !== LuaReturn.Ok) throw new SandboxFailure(this.failure(status));
    } finally {
      lua.module._free(pointer);
    }
    const status = lua.lua_pcallk(state, 0, 0, 0, 0, null);
    if (status !== LuaReturn.Ok) throw new SandboxFailure(this.failure(status));
  }

  /** Calls a prelude entry point with string or integer arguments; returns its string result. */
  private callEntry(entry: string, args: readonly (string | number)[]): string {
    const global = this.engine.global;
    const lua = this.cmodule;
    lua.lua_getglobal(global.address, entry);
    for (const arg of args) {
      if (typeof arg === "number") lua.lua_pushinteger(global.address, BigInt(arg));
      else pushBytes(lua, global.address, arg);
    }
    const status = lua.lua_pcallk(global.address, args.length, 1, 0, 0, null);
    if (status !== LuaReturn.Ok) throw new SandboxFailure(this.failure(status));
    return lua.lua_type(global.address, -1) === LuaType.String ? lua.lua_tolstring(global.address, -1, null) : "";
  }

  private failure(status: number): LuaFailure {
    const global = this.engine.global;
    const raw = this.cmodule.lua_type(global.address, -1) === LuaType.String ? this.cmodule.lua_tolstring(global.address, -1, null) : "(error object is not a string)";
    const kind =
      this.fatal?.kind ??
      (status === LuaReturn.ErrorMem || raw.endsWith("not enough memory") ? LuaFailureKind.Memory : this.syntaxError ? LuaFailureKind.Syntax : LuaFailureKind.Runtime);
    const failure = located(kind === LuaFailureKind.Memory ? `${raw} (the sandbox's cap is ${this.limits.memoryBytes} bytes)` : raw);
    return { kind, ...failure, ...(failure.file === undefined ? this.innermostChunk() : {}) };
  }

  /** The chunk that was loading when an error Lua does not locate (memory) happened. */
  private innermostChunk(): { file?: string } {
    this.engine.global.setMemoryMax(undefined);
    try {
      const file = this.callEntry("__kp_loading", []);
      return file ? { file } : {};
    } catch {
      return {};
    }
  }
}

/** Pushes a JavaScript string as its UTF-8 bytes, NULs included (lua_pushstring stops at the first). */
function pushBytes(lua: LuaWasm, state: number, text: string): void {
  const module = lua.module;
  const size = module.lengthBytesUTF8(text);
  const pointer = module._malloc(size + 1);
  try {
    module.stringToUTF8(text, pointer, size + 1);
    lua.lua_pushlstring(state, pointer, size);
  } finally {
    module._free(pointer);
  }
}

/** Splits Lua's `chunk:line: message` into its parts. */
function located(raw: string): { message: string; file?: string; line?: number } {
  const match = /^([^\n:]+):(\d+): ([\s\S]*)$/.exec(raw);
  if (!match) return { message: raw };
  const [, file, line, message] = match as unknown as [string, string, string, string];
  // An error rethrown across a coroutine boundary carries its position twice.
  const prefix = `${file}:${line}: `;
  return { file, line: Number(line), message: message.startsWith(prefix) ? message.slice(prefix.length) : message };
}
