import { spawn } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { tempDir } from "./paths";
import { requireTool, type RunResult } from "./tools";

/** A container's command, environment and mounts, from a rendered pod or compose service. */
export interface InitStep {
  readonly command: readonly string[];
  readonly env: Readonly<Record<string, string>>;
  /** Container path → host folder standing for what is mounted there. */
  readonly mounts: ReadonlyMap<string, string>;
}

/** Rewrites a container path to the host folder mounted there (longest mount first). */
function hostPath(value: string, mounts: ReadonlyMap<string, string>): string {
  const sorted = [...mounts.keys()].sort((a, b) => b.length - a.length);
  const mount = sorted.find((path) => value === path || value.startsWith(`${path}/`));
  return mount === undefined ? value : `${mounts.get(mount)}${value.slice(mount.length)}`;
}

/**
 * Runs the step's exact command and environment on this machine, the container's mounts standing
 * as host folders (paths in the command and environment pointed at them), with nothing of this
 * process's environment but PATH: what the container would run, without a container runtime.
 * Asynchronous, so that servers of the test process (a registry front) keep answering it.
 */
export function runInitStep(step: InitStep): Promise<RunResult> {
  const [command, ...args] = step.command;
  requireTool(command as string);
  const env = Object.fromEntries(Object.entries(step.env).map(([name, value]) => [name, hostPath(value, step.mounts)]));
  const child = spawn(command as string, args.map((arg) => hostPath(arg, step.mounts)), { env: { PATH: process.env.PATH ?? "", ...env }, stdio: ["ignore", "pipe", "pipe"] });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString("utf8")));
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString("utf8")));
  return new Promise((resolve, reject) => {
    child.once("error", reject);
    child.once("close", (status) => resolve({ status: status ?? -1, stdout, stderr }));
  });
}

/** A folder holding each key of a ConfigMap (or Secret) as a file, as the kubelet projects it. */
export function projectedFolder(data: Readonly<Record<string, string>>): string {
  const dir = tempDir("projected-");
  for (const [key, value] of Object.entries(data)) {
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, key), value);
  }
  return dir;
}

interface PodContainer {
  readonly command: string[];
  readonly env?: { name: string; value?: string; valueFrom?: { secretKeyRef?: { name: string; key: string } } }[];
  readonly volumeMounts?: { name: string; mountPath: string }[];
}
interface PodVolume {
  readonly name: string;
  readonly configMap?: { name: string };
  readonly emptyDir?: object;
}

/**
 * The step of a pod's init container: ConfigMap volumes projected from the rendered ConfigMaps,
 * emptyDirs as the given shared folders (the pod's containers share them), `secretKeyRef`s read
 * from the given Secrets' data.
 */
export function podInitStep(
  container: PodContainer,
  volumes: readonly PodVolume[],
  configMaps: ReadonlyMap<string, Record<string, string>>,
  emptyDirs: ReadonlyMap<string, string>,
  secrets: ReadonlyMap<string, Record<string, string>> = new Map(),
): InitStep {
  const mounts = new Map<string, string>();
  for (const mount of container.volumeMounts ?? []) {
    const volume = volumes.find((candidate) => candidate.name === mount.name);
    if (!volume) throw new Error(`volume ${mount.name} is not in the pod`);
    if (volume.configMap) {
      const data = configMaps.get(volume.configMap.name);
      if (!data) throw new Error(`ConfigMap ${volume.configMap.name} is not rendered`);
      mounts.set(mount.mountPath, projectedFolder(data));
    } else if (volume.emptyDir) {
      const dir = emptyDirs.get(volume.name);
      if (!dir) throw new Error(`no folder for emptyDir ${volume.name}`);
      mounts.set(mount.mountPath, dir);
    } else {
      throw new Error(`volume ${volume.name} is neither a ConfigMap nor an emptyDir`);
    }
  }
  const env: Record<string, string> = {};
  for (const variable of container.env ?? []) {
    if (variable.value !== undefined) env[variable.name] = variable.value;
    const ref = variable.valueFrom?.secretKeyRef;
    if (ref) {
      const value = secrets.get(ref.name)?.[ref.key];
      if (value === undefined) throw new Error(`Secret ${ref.name} has no key ${ref.key}`);
      env[variable.name] = value;
    }
  }
  return { command: container.command, env, mounts };
}
