// Part of the installer: this file imports Node's own modules and the installer's files only.
import { mkdirSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";

/** An archive that is not installed: why. */
export class ArchiveError extends Error {
  override readonly name = "ArchiveError";
}

/** A file of the plugin: its path under `kong/plugins/<name>/` and its bytes. */
export interface PluginFile {
  readonly path: string;
  readonly content: Uint8Array;
}

const BLOCK = 512;

function text(block: Uint8Array, offset: number, length: number): string {
  const field = block.subarray(offset, offset + length);
  const end = field.indexOf(0);
  return Buffer.from(end >= 0 ? field.subarray(0, end) : field).toString("utf8");
}

function octal(block: Uint8Array, offset: number, length: number): number {
  const value = text(block, offset, length).trim();
  if (!/^[0-7]*$/.test(value)) throw new ArchiveError(`tar header has a malformed number ${JSON.stringify(value)}`);
  return value === "" ? 0 : parseInt(value, 8);
}

/**
 * The regular files of a tar archive by path: ustar headers, their `prefix` field, and GNU
 * long names (typeflag `L`, which the project's own archives use, components/plugin/tar.ts).
 * Links, devices and any other entry type are refused: a plugin archive holds files and folders.
 */
export function readTar(tar: Uint8Array): Map<string, Uint8Array> {
  const files = new Map<string, Uint8Array>();
  let offset = 0;
  let longName: string | undefined;
  while (offset + BLOCK <= tar.length) {
    const header = tar.subarray(offset, offset + BLOCK);
    if (header.every((byte) => byte === 0)) break;
    const stored = octal(header, 148, 8);
    const sum = header.reduce((total, byte, index) => total + (index >= 148 && index < 156 ? 32 : byte), 0);
    if (sum !== stored) throw new ArchiveError(`tar header at byte ${offset} has a bad checksum`);
    const size = octal(header, 124, 12);
    const type = String.fromCharCode(header[156] || 48);
    const data = tar.subarray(offset + BLOCK, offset + BLOCK + size);
    if (data.length !== size) throw new ArchiveError("tar archive is truncated");
    offset += BLOCK + Math.ceil(size / BLOCK) * BLOCK;
    if (type === "L") {
      longName = text(data, 0, data.length);
      continue;
    }
    const prefix = text(header, 345, 155);
    const path = longName ?? (prefix ? `${prefix}/${text(header, 0, 100)}` : text(header, 0, 100));
    longName = undefined;
    if (type === "5") continue;
    if (type !== "0") throw new ArchiveError(`tar entry ${JSON.stringify(path)} is of type ${JSON.stringify(type)}; a plugin archive holds only files and folders`);
    files.set(path, data);
  }
  return files;
}

/**
 * The plugin's files from its archive, laid out as Kong documents a source archive
 * (`<name>/kong/plugins/<name>/{handler.lua,schema.lua,...}`, components/plugin/archive.ts):
 * paths that climb out (`..`, absolute) are refused, and so is an archive without handler.lua
 * or schema.lua, with which Kong would say "plugin is enabled but not installed" or "no
 * configuration schema found for plugin".
 */
export function pluginFilesOf(archive: Uint8Array, name: string): PluginFile[] {
  let tar: Uint8Array;
  try {
    tar = gunzipSync(archive);
  } catch {
    throw new ArchiveError("the archive is not gzip");
  }
  const root = `${name}/kong/plugins/${name}/`;
  const files: PluginFile[] = [];
  for (const [path, content] of readTar(tar)) {
    const segments = path.split("/");
    if (path.startsWith("/") || segments.includes("..")) throw new ArchiveError(`archive entry ${JSON.stringify(path)} climbs out of the archive`);
    if (path.startsWith(root) && path.length > root.length) files.push({ path: path.slice(root.length), content });
  }
  for (const required of ["handler.lua", "schema.lua"]) {
    if (!files.some((file) => file.path === required)) throw new ArchiveError(`the archive has no ${root}${required}`);
  }
  return files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

/**
 * Writes the plugin's files to `<destination>/<name>/`, whole or not at all: into a fresh
 * sibling folder first, then renamed over the previous install (the folder is the installer's
 * own: an emptyDir or a volume it alone writes).
 */
export function installPluginFiles(files: readonly PluginFile[], destination: string, name: string): string {
  const target = join(destination, name);
  const staging = join(destination, `.${name}.installing`);
  rmSync(staging, { recursive: true, force: true });
  for (const file of files) {
    const path = join(staging, ...file.path.split("/"));
    mkdirSync(join(path, ".."), { recursive: true });
    writeFileSync(path, file.content, { mode: 0o644 });
  }
  rmSync(target, { recursive: true, force: true });
  renameSync(staging, target);
  return target;
}
