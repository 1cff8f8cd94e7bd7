import { cpSync, mkdirSync } from "node:fs";
import { dirname, isAbsolute, join } from "node:path";
import { tempDir } from "./paths";
import { mustRun } from "./tools";

/**
 * Rebuilds the part of a compose service's filesystem its bind mounts make: each
 * `./host:/container[:ro]` volume copied to `<root>/container`. Returns the root folder.
 */
export function mountedFilesystem(service: { volumes?: string[] }, projectDir: string): string {
  const root = tempDir("container-root-");
  for (const volume of service.volumes ?? []) {
    const [source, target] = volume.split(":");
    if (!source || !target || !(source.startsWith("./") || isAbsolute(source))) continue; // named volumes
    const destination = join(root, target);
    mkdirSync(dirname(destination), { recursive: true });
    cpSync(join(projectDir, source), destination, { recursive: true });
  }
  return root;
}

/**
 * Asks the real luajit where `require(module)` would load from, over a KONG_LUA_PACKAGE_PATH
 * whose container paths are mapped into `root`. `;;` (Lua's default path) is dropped: it
 * points into the image, not at anything mounted. Returns the found path, or undefined.
 */
export function luajitSearchPath(module: string, luaPackagePath: string, root: string): string | undefined {
  const mapped = luaPackagePath
    .split(";")
    .filter((entry) => entry !== "")
    .map((entry) => (entry.startsWith("/") ? `${root}${entry}` : entry))
    .join(";");
  const script = `local found, err = package.searchpath(${JSON.stringify(module)}, ${JSON.stringify(mapped)}) io.write(found or "")`;
  const found = mustRun("luajit", ["-e", script]);
  return found === "" ? undefined : found;
}
