import { spawnSync, type SpawnSyncOptions } from "node:child_process";

/** The Debian package that provides each external tool the tests use. */
const PACKAGE_OF: Record<string, string> = {
  buildah: "buildah",
  skopeo: "skopeo",
  "docker-compose": "docker-compose",
  "docker-registry": "docker-registry",
  busybox: "busybox-static",
  "lua5.1": "lua5.1",
  luarocks: "luarocks",
  luajit: "luajit",
  luacheck: "lua-check",
  tar: "tar",
  zip: "zip",
  unzip: "unzip",
  openssl: "openssl",
  kubectl: "kubectl (from https://kubernetes.io/docs/tasks/tools/; it ships with this machine's image)",
};

/**
 * Asserts that a tool is installed. A missing tool fails the test with how to install it:
 * a test must never pass, or skip, without running its independent check.
 */
export function requireTool(command: string): void {
  const found = spawnSync("sh", ["-c", `command -v ${command}`], { encoding: "utf8" });
  if (found.status !== 0) {
    const pkg = PACKAGE_OF[command] ?? command;
    throw new Error(`${command} is not installed; run \`npm run setup\` (or: apt-get install --no-install-recommends ${pkg})`);
  }
}

/** Result of a finished command. */
export interface RunResult {
  readonly status: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs a tool and returns its status and output, whatever the status. */
export function runTool(command: string, args: readonly string[], options: SpawnSyncOptions = {}): RunResult {
  requireTool(command);
  const result = spawnSync(command, args, { encoding: "utf8", maxBuffer: 64 * 1024 * 1024, ...options });
  if (result.error) throw result.error;
  return { status: result.status ?? -1, stdout: String(result.stdout), stderr: String(result.stderr) };
}

/** Runs a tool that must succeed; a failure throws with everything it printed. */
export function mustRun(command: string, args: readonly string[], options: SpawnSyncOptions = {}): string {
  const result = runTool(command, args, options);
  if (result.status !== 0) {
    throw new Error(`${command} ${args.join(" ")} exited ${result.status}\n--- stdout\n${result.stdout}\n--- stderr\n${result.stderr}`);
  }
  return result.stdout;
}
