// The synchronous face of the Lua worker. Each call posts one request and blocks on a shared
// flag until the worker answers (Atomics.wait is allowed on Node's main thread), so plugin
// reading stays a plain function call for every caller of the library.
//
// Why wasmoon (Lua 5.4 compiled to WebAssembly): measured against fengari (Lua 5.3 written in
// JavaScript), fengari has 32-bit integers, cannot cap memory (a memory bomb in a plugin file
// aborted Node) and runs Lua many times slower; wasmoon has a real allocator to cap, a count
// hook for the instruction budget, and Lua's own parser. The Lua 5.1 build of wasmoon was
// left out because Lua 5.1 cannot parse `goto`, which LuaJIT (Kong's VM) and plugins use.
// The cost of wasmoon is that its module can only be created asynchronously: hence the worker.
import { join } from "node:path";
import { MessageChannel, type MessagePort, receiveMessageOnPort, Worker } from "node:worker_threads";
import { LuaFailureKind, type LuaFailure, type LuaLimits, type LuaModuleTable, type LuaRequest, type LuaResponse } from "./protocol";

/**
 * How long one request may take before the worker is stopped. The instruction budget stops
 * Lua loops in milliseconds; this bounds what it cannot see (one long C call, such as a
 * pattern match over a huge string) and the first request, which also starts the VM.
 */
const ANSWER_TIMEOUT_MS = 10_000;

/** A Lua error, located when Lua said where, with its kind (runtime, syntax, budget, memory, fenced, timeout). */
export class LuaSandboxError extends Error {
  constructor(readonly failure: LuaFailure) {
    super(failure.file === undefined ? failure.message : `${failure.file}${failure.line !== undefined ? `:${failure.line}` : ""}: ${failure.message}`);
    this.name = "LuaSandboxError";
  }
}

interface Connection {
  readonly worker: Worker;
  readonly port: MessagePort;
  readonly signal: Int32Array;
}

let connection: Connection | undefined;
let sandboxesOpened = 0;

/** How many sandboxes this process opened: plugin loads are cached, and this shows it. */
export function openedSandboxCount(): number {
  return sandboxesOpened;
}

function connect(): Connection {
  if (connection) return connection;
  const { port1, port2 } = new MessageChannel();
  const signal = new Int32Array(new SharedArrayBuffer(4));
  const worker = new Worker(join(__dirname, "worker.js"), { workerData: { port: port2, signal }, transferList: [port2] });
  // Neither the worker nor its port keeps a finished program alive.
  worker.unref();
  port1.unref();
  connection = { worker, port: port1, signal };
  return connection;
}

/**
 * Starts the Lua runtime's worker now, so that it compiles its WebAssembly while this thread
 * does something else (the CLI loads the Pulumi SDK meanwhile). Idempotent; the first sandbox
 * would start it anyway.
 */
export function startLuaRuntime(): void {
  connect();
}

function request(message: LuaRequest): Extract<LuaResponse, { ok: true }> {
  const { worker, port, signal } = connect();
  Atomics.store(signal, 0, 0);
  port.postMessage(message);
  const received = awaitAnswer(port, signal);
  if (received === undefined) {
    connection = undefined;
    void worker.terminate();
    throw new LuaSandboxError({ kind: LuaFailureKind.Timeout, message: `the Lua runtime did not answer within ${ANSWER_TIMEOUT_MS / 1000} s and was stopped` });
  }
  const response = received.message as LuaResponse;
  if (!response.ok) throw new LuaSandboxError(response.failure);
  return response;
}

/** A shared word no one notifies: waiting on it is a sleep that blocks only this thread. */
const PAUSE = new Int32Array(new SharedArrayBuffer(4));

/**
 * The worker's answer, or undefined when none came in time. The worker posts its answer, then
 * raises the signal and notifies; the answer is taken from the port after the wake-up. Seen once
 * on a loaded machine: a wake-up with the port still empty. So an empty port is polled again
 * (every 2 ms) until the answer arrives or the time is up, rather than taken as no answer.
 */
function awaitAnswer(port: MessagePort, signal: Int32Array): { message: unknown } | undefined {
  const deadline = Date.now() + ANSWER_TIMEOUT_MS;
  if (Atomics.wait(signal, 0, 0, ANSWER_TIMEOUT_MS) === "timed-out") return undefined;
  for (;;) {
    const received = receiveMessageOnPort(port);
    if (received !== undefined || Date.now() >= deadline) return received;
    Atomics.wait(PAUSE, 0, 0, 2);
  }
}

/** One `require` a sandbox saw: the module, how it was answered, and the file and line that asked. */
export interface LuaRequired {
  readonly module: string;
  readonly kind: "source" | "fenced" | "missing" | "unknown";
  readonly file: string;
  readonly line: number;
}

/** The limits plugin files load under. @see LuaLimits */
export const DEFAULT_LIMITS: LuaLimits = { instructions: 10_000_000, memoryBytes: 32 * 1024 * 1024 };

/** A Lua state in the worker. Close it when done: all states share the worker's memory. */
export class LuaSandbox {
  private constructor(private readonly id: number) {}

  static open(modules: LuaModuleTable, limits: LuaLimits = DEFAULT_LIMITS): LuaSandbox {
    sandboxesOpened += 1;
    return new LuaSandbox(request({ op: "open", modules, limits }).sandbox as number);
  }

  /** Runs Lua text as a chunk named `chunkname` (errors say `chunkname:line:`); returns its results. */
  run(source: string, chunkname: string): unknown[] {
    return packedValues(this.send({ op: "run", sandbox: this.id, source, chunkname }));
  }

  /** Calls a function a result carried as `{ $function: id }`; returns `[ok, ...results]` as `pcall` does. */
  call(fn: number, args: readonly unknown[]): unknown[] {
    return packedValues(this.send({ op: "call", sandbox: this.id, fn, argumentsJson: JSON.stringify(args, nullMarker) }));
  }

  /** Sets a global variable to a JSON value (`null` is ngx.null). */
  setGlobal(name: string, value: unknown): void {
    this.send({ op: "global", sandbox: this.id, name, valueJson: JSON.stringify(value, nullMarker) });
  }

  /** Every `require` the sandbox answered so far, in order. */
  required(): LuaRequired[] {
    return JSON.parse(this.send({ op: "required", sandbox: this.id })) as LuaRequired[];
  }

  close(): void {
    request({ op: "close", sandbox: this.id });
  }

  private send(message: LuaRequest): string {
    return request(message).json ?? "[]";
  }
}

/** Lua's `table.pack` result (`{ n = 2, [1] = a, [2] = b }`, holes kept) as an array. */
function packedValues(json: string): unknown[] {
  const packed = JSON.parse(json) as Record<string, unknown> | unknown[];
  if (Array.isArray(packed)) return packed;
  return Array.from({ length: Number(packed["n"] ?? 0) }, (_, index) => packed[String(index + 1)] ?? null);
}

/** JSON `null` cannot be a Lua table value; the prelude reads this marker as ngx.null. */
function nullMarker(_key: string, value: unknown): unknown {
  return value === null ? { $null: true } : value;
}
