import { writeFileSync, chmodSync, copyFileSync } from "node:fs";
import { join } from "node:path";
import { tempDir } from "./paths";
import { mustRun, runTool, type RunResult } from "./tools";

/** Every buildah call: vfs storage and chroot isolation (no overlay, no runc on these machines). */
const STORAGE = ["--storage-driver", "vfs"];

export function buildah(args: readonly string[]): string {
  return mustRun("buildah", [...STORAGE, ...args]);
}

export function buildahMayFail(args: readonly string[]): RunResult {
  return runTool("buildah", [...STORAGE, ...args]);
}

/**
 * Builds `dir` with buildah as the image `tag`, offline (`--pull=never`), in Docker format so
 * HEALTHCHECK is kept as Docker keeps it.
 */
export function buildContextDir(dir: string, tag: string): void {
  buildah(["bud", "--isolation", "chroot", "--pull=never", "--format", "docker", "--layers=false", "-t", tag, dir]);
}

const built = new Set<string>();

/**
 * A small stand-in for `kong/kong-gateway` (no network here to pull the real one), tagged as
 * `reference`: busybox-static as the userland, a `kong` user with uid 1000, Kong's Lua plugin
 * root, and an /entrypoint.sh. Built once per process.
 */
export function standInKongImage(reference: string): void {
  if (built.has(reference)) return;
  const dir = tempDir("kong-standin-");
  copyFileSync(mustRun("sh", ["-c", "command -v busybox"]).trim(), join(dir, "busybox"));
  writeFileSync(join(dir, "passwd"), "root:x:0:0:root:/root:/bin/sh\nkong:x:1000:1000:kong:/home/kong:/bin/sh\n");
  writeFileSync(join(dir, "group"), "root:x:0:\nkong:x:1000:\n");
  writeFileSync(join(dir, "entrypoint.sh"), '#!/bin/sh\nexec "$@"\n');
  chmodSync(join(dir, "entrypoint.sh"), 0o755);
  writeFileSync(
    join(dir, "Containerfile"),
    [
      "FROM scratch",
      "COPY busybox /bin/busybox",
      "COPY passwd group /etc/",
      "COPY entrypoint.sh /entrypoint.sh",
      'RUN ["/bin/busybox", "--install", "-s", "/bin"]',
      "RUN mkdir -p /usr/local/share/lua/5.1/kong/plugins /usr/local/kong /home/kong /tmp && chown kong:kong /usr/local/kong /home/kong && chmod 1777 /tmp",
      "USER kong",
      "",
    ].join("\n"),
  );
  buildah(["bud", "--isolation", "chroot", "--pull=never", "--layers=false", "-t", `docker.io/${reference}`, "-f", join(dir, "Containerfile"), dir]);
  built.add(reference);
}

/** The image's config, as `buildah inspect` reports it. */
export function inspectImage(tag: string): { user: string; env: Record<string, string>; labels: Record<string, string>; healthcheck?: { Test: string[] } } {
  const report = JSON.parse(buildah(["inspect", "--type", "image", tag]));
  const config = report.Docker?.config ?? report.OCIv1.config;
  const env = Object.fromEntries((config.Env as string[]).map((entry) => [entry.slice(0, entry.indexOf("=")), entry.slice(entry.indexOf("=") + 1)]));
  return { user: config.User, env, labels: config.Labels ?? {}, healthcheck: config.Healthcheck };
}

/** Runs `fn` with a working container of `tag` and its mounted root folder; removes it after. */
export function withContainer<T>(tag: string, fn: (container: string, root: string) => T): T {
  const container = buildah(["from", "--pull=never", tag]).trim();
  try {
    const root = buildah(["mount", container]).trim();
    return fn(container, root);
  } finally {
    buildahMayFail(["rm", container]);
  }
}

/** Runs a shell command inside a container as a user (chroot isolation: runc is absent). */
export function runInContainer(container: string, user: string, script: string): RunResult {
  return buildahMayFail(["run", "--isolation", "chroot", "--user", user, container, "--", "sh", "-c", script]);
}

/** Removes an image, ignoring one that is not there. */
export function removeImage(tag: string): void {
  buildahMayFail(["rmi", "-f", tag]);
}
