import { spawnSync } from "node:child_process";
import { cpSync, mkdirSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { stringify } from "yaml";
import { examplePluginDir, repoRoot, tempDir } from "./paths";

/**
 * A Pulumi project named `program` in a new folder outside the repository that imports this
 * working tree (and its SDK) by name, as a clone linked into a project would, with the example
 * plugin at plugins/rate-limit-example.
 */
export function linkedProject(program: string, stackFile?: Record<string, unknown>): string {
  const dir = tempDir("linked-program-");
  writeFileSync(join(dir, "Pulumi.yaml"), "name: program\nruntime: nodejs\n");
  writeFileSync(join(dir, "index.ts"), program);
  if (stackFile) writeFileSync(join(dir, "Pulumi.dev.yaml"), stringify(stackFile));
  mkdirSync(join(dir, "node_modules"));
  symlinkSync(repoRoot, join(dir, "node_modules", "pulumi-kong-plugins"));
  symlinkSync(join(repoRoot, "node_modules", "@pulumi"), join(dir, "node_modules", "@pulumi"));
  cpSync(examplePluginDir, join(dir, "plugins", "rate-limit-example"), { recursive: true });
  return dir;
}

/** What a Pulumi program run under mocks reported. */
export interface ProgramRun {
  readonly status: number;
  /** Every error the program failed with (as the Pulumi language host would report them). */
  readonly errors: readonly { readonly name: string; readonly message: string; readonly issues?: readonly { readonly path: string; readonly message: string; readonly received?: unknown }[] }[];
}

/**
 * Runs `body` as a Pulumi program in a child process, under mocks, and collects the errors it
 * fails with. A component's validation error rejects its outputs and so `registerOutputs`; the
 * language host reports such unhandled rejections and fails the run, and so does this.
 * `body` sees `pulumi` and `kp` (this library).
 */
export function runProgramUnderMocks(body: string): ProgramRun {
  const script = `
    const pulumi = require("@pulumi/pulumi");
    const kp = require("pulumi-kong-plugins");
    const errors = [];
    process.on("unhandledRejection", (error) => errors.push({ name: error.constructor.name, message: String(error.message), issues: error.issues }));
    pulumi.runtime.setMocks({ newResource: (a) => ({ id: a.name + "-id", state: a.inputs }), call: (a) => a.inputs }, "p", "s", false);
    (async () => { ${body} })().catch((error) => errors.push({ name: error.constructor.name, message: String(error.message), issues: error.issues }));
    setTimeout(() => { process.stdout.write(JSON.stringify(errors)); process.exit(errors.length > 0 ? 1 : 0); }, 500);
  `;
  const result = spawnSync(process.execPath, ["-e", script], { cwd: repoRoot, encoding: "utf8" });
  return { status: result.status ?? -1, errors: result.stdout ? JSON.parse(result.stdout) : [{ name: "crash", message: result.stderr }] };
}
