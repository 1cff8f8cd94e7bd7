// The Lua worker thread. The main thread blocks on a shared flag while the worker answers one
// request, so the library's API stays synchronous although wasmoon's WebAssembly module can
// only be created asynchronously (once, here, at start).
import { type MessagePort, workerData } from "node:worker_threads";
import { LuaFactory, type LuaWasm } from "wasmoon";
import { LuaFailureKind, type LuaRequest, type LuaResponse } from "./protocol";
import { Sandbox, SandboxFailure } from "./sandbox";

const { port, signal } = workerData as { port: MessagePort; signal: Int32Array };

// Lua 5.4 seeds string hashing from time(NULL) (luai_makeseed), which would make `pairs`
// order differ per run; a fixed clock makes every sandbox iterate the same way everywhere.
Date.now = () => 0;

const sandboxes = new Map<number, Sandbox>();
let nextSandbox = 1;
const lua: Promise<LuaWasm> = new LuaFactory().getLuaModule();

port.on("message", (request: LuaRequest) => {
  lua.then(
    (cmodule) => answer(handle(cmodule, request)),
    (error: unknown) => answer({ ok: false, failure: { kind: LuaFailureKind.Runtime, message: `the Lua runtime could not start: ${String(error)}` } }),
  );
});

function answer(response: LuaResponse): void {
  port.postMessage(response);
  Atomics.store(signal, 0, 1);
  Atomics.notify(signal, 0);
}

function handle(cmodule: LuaWasm, request: LuaRequest): LuaResponse {
  try {
    if (request.op === "open") {
      const id = nextSandbox++;
      sandboxes.set(id, new Sandbox(cmodule, request.modules, request.limits));
      return { ok: true, sandbox: id };
    }
    const sandbox = sandboxes.get(request.sandbox);
    if (sandbox === undefined) throw new Error(`sandbox ${request.sandbox} is not open`);
    switch (request.op) {
      case "run":
        return { ok: true, json: sandbox.run(request.source, request.chunkname) };
      case "call":
        return { ok: true, json: sandbox.call(request.fn, request.argumentsJson) };
      case "global":
        sandbox.setGlobal(request.name, request.valueJson);
        return { ok: true };
      case "required":
        return { ok: true, json: sandbox.required() };
      case "close":
        sandboxes.delete(request.sandbox);
        sandbox.close();
        return { ok: true };
    }
  } catch (error) {
    if (error instanceof SandboxFailure) return { ok: false, failure: error.failure };
    return { ok: false, failure: { kind: LuaFailureKind.Runtime, message: error instanceof Error ? error.message : String(error) } };
  }
}
