import * as pulumi from "@pulumi/pulumi";
import { collectArtifacts, type ArtifactReport } from "../components/core/artifacts";
import type { PulumiProject, StackConfig } from "./project";
import { registerTypeScript } from "./typescript-loader";

/** What a secret artifact's content is replaced with. */
const REDACTED_TEXT = "[secret]\n";

/** A resource the program registered. */
export interface RecordedResource {
  readonly urn: string;
  readonly type: string;
  readonly name: string;
  readonly parent: string;
}

/** What running a program under mocks produced. */
export interface ProgramRun {
  readonly resources: RecordedResource[];
  /** Each component's files, by `<Type>/<name>/<path>`. */
  readonly files: Map<string, Buffer>;
  /** The stack's exports, secrets as `[secret]`. */
  readonly outputs: Record<string, unknown>;
  /** Every error the program failed with, deduplicated. */
  readonly errors: string[];
}

/**
 * Runs a Pulumi program as `pulumi preview` would, but offline: under the SDK's mocks (no
 * CLI, no engine, no cloud, no credentials; resources echo their inputs), with the stack's
 * configuration. Records every registered resource with its parent and collects what each
 * component of this library rendered.
 */
export async function runProgram(project: PulumiProject, stack: string, config: StackConfig): Promise<ProgramRun> {
  const errors: string[] = [];
  const onRejection = (error: unknown) => errors.push(messageOf(error));
  process.on("unhandledRejection", onRejection);
  try {
    await pulumi.runtime.setMocks(
      { newResource: (args) => ({ id: `${args.name}-id`, state: args.inputs }), call: (args) => args.inputs },
      project.name,
      stack,
      false,
    );
    pulumi.runtime.setAllConfig(config.values, config.secretKeys);
    const resources = recordResources();
    const reports = collectArtifacts();
    registerTypeScript();
    // Pulumi runs a program in its project's folder: relative paths in it are read from there.
    process.chdir(project.dir);

    // The program's own export objects, not what runInPulumiStack returns: those are
    // unwrapped and have lost their secret marks.
    let exports: Record<string, unknown> = {};
    try {
      await settledOrNever(
        pulumi.runtime.runInPulumiStack(async () => {
          exports = require(project.entry) as Record<string, unknown>;
          return exports;
        }),
        "the program",
      );
    } catch (error) {
      errors.push(messageOf(error));
    }
    const files = await collectFiles(reports, errors);
    const outputs = await resolveOutputs(exports, errors);
    await settle(resources);
    return { resources: [...resources], files, outputs, errors: [...new Set(errors)] };
  } finally {
    process.off("unhandledRejection", onRejection);
  }
}

function messageOf(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  // Pulumi wraps errors of component outputs: keep the cause, which names the problem.
  return message.replace(/^(error serializing property "[^"]+": )+/, "");
}

/** Wraps the mock monitor's registration to record each resource's URN, type, name and parent. */
function recordResources(): RecordedResource[] {
  const recorded: RecordedResource[] = [];
  type Request = { getType(): string; getName(): string; getParent(): string };
  type Callback = (error: unknown, response?: { getUrn(): string }) => void;
  const monitor = pulumi.runtime.getMonitor() as unknown as { registerResource(request: Request, callback: Callback): void };
  const register = monitor.registerResource.bind(monitor);
  monitor.registerResource = (request, callback) =>
    register(request, (error, response) => {
      if (response) recorded.push({ urn: response.getUrn(), type: request.getType(), name: request.getName(), parent: request.getParent() });
      callback(error, response);
    });
  return recorded;
}

/** What a wait that can never end resolves to. */
const NEVER_SETTLED = Symbol("never settled");

/**
 * Waits for `promise`, unless the event loop runs out of work first: a promise still pending
 * then can never settle (a resource it depends on was never registered), and waiting on would
 * end the process silently.
 * @throws Error naming `what` when it can never settle.
 */
async function settledOrNever<T>(promise: Promise<T>, what: string): Promise<T> {
  let onDrained = () => {};
  const drained = new Promise<typeof NEVER_SETTLED>((resolve) => {
    // Resolved from a macrotask: the loop stays alive for what runs next, which may wait again.
    onDrained = () => setImmediate(() => resolve(NEVER_SETTLED));
    process.once("beforeExit", onDrained);
  });
  try {
    const outcome = await Promise.race([promise, drained]);
    if (outcome === NEVER_SETTLED) throw new Error(`${what} never settled: nothing left to run could settle it (a resource it waits for was never registered)`);
    return outcome;
  } finally {
    process.off("beforeExit", onDrained);
  }
}

async function valueOf(value: unknown, what: string): Promise<{ value: unknown; secret: boolean }> {
  if (!pulumi.Output.isInstance(value)) return { value: await settledOrNever(Promise.resolve(value), what), secret: false };
  const output = value as pulumi.Output<unknown>;
  const secret = await settledOrNever(pulumi.isSecret(output), what);
  return { value: await settledOrNever((output as unknown as { promise(): Promise<unknown> }).promise(), what), secret };
}

async function collectFiles(reports: ArtifactReport[], errors: string[]): Promise<Map<string, Buffer>> {
  const files = new Map<string, Buffer>();
  for (const report of reports) {
    const folder = `${report.type.split(":").pop()}/${report.name}`;
    try {
      const { value, secret } = await valueOf(report.files, `the files of ${folder}`);
      for (const [path, content] of Object.entries(value as Record<string, string | Uint8Array>)) {
        files.set(`${folder}/${path}`, Buffer.from(secret ? REDACTED_TEXT : content));
      }
    } catch (error) {
      errors.push(messageOf(error));
    }
  }
  return files;
}

async function resolveOutputs(exports: Record<string, unknown>, errors: string[]): Promise<Record<string, unknown>> {
  const outputs: Record<string, unknown> = {};
  for (const [key, exported] of Object.entries(exports)) {
    try {
      const { value, secret } = await valueOf(exported, `the stack output ${JSON.stringify(key)}`);
      outputs[key] = secret ? "[secret]" : value;
    } catch (error) {
      errors.push(messageOf(error));
    }
  }
  return outputs;
}

/**
 * Waits until no more resources register: components register some children inside an
 * `apply`, once the names they need are known, so those arrive late.
 */
export async function settle(registered: readonly unknown[]): Promise<void> {
  let count = -1;
  while (count !== registered.length) {
    count = registered.length;
    for (let turn = 0; turn < 50; turn += 1) await new Promise((resolve) => setImmediate(resolve));
  }
}
