import { existsSync, readdirSync, readFileSync, rmdirSync, rmSync } from "node:fs";
import { dirname, join } from "node:path";
import { sha256Hex } from "../core/digest";
import { writeFilesAtomically, type OutputFile } from "../core/files";

/** What a folder sync wrote: each path's content digest. */
export type WrittenFiles = Readonly<Record<string, string>>;

/** The digest of every file, by path: the state a sync records and diffs on. */
export function digestsOf(files: readonly OutputFile[]): Record<string, string> {
  return Object.fromEntries(files.map((file) => [file.path, sha256Hex(file.content)]));
}

/** Whether two recorded states differ (a file added, removed or changed). */
export function writtenFilesDiffer(a: WrittenFiles, b: WrittenFiles): boolean {
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  return [...keys].some((key) => a[key] !== b[key]);
}

/**
 * Makes `dir` hold `files`: writes the files whose content changed (all of them, atomically,
 * when nothing was written before), and removes the files it wrote before that are no longer
 * wanted. Files it did not write are left alone. Returns the new state.
 */
export function syncFolder(dir: string, files: readonly OutputFile[], previous: WrittenFiles = {}): WrittenFiles {
  const wanted = digestsOf(files);
  const changed = files.filter((file) => previous[file.path] !== wanted[file.path] || !existsSync(join(dir, file.path)) || sha256Hex(readFileSync(join(dir, file.path))) !== wanted[file.path]);
  writeFilesAtomically(dir, changed);
  removeWritten(
    dir,
    Object.fromEntries(Object.entries(previous).filter(([path]) => !(path in wanted))),
  );
  return wanted;
}

/**
 * Removes exactly the files a sync wrote, and the folders that this leaves empty; anything
 * else in `dir` (a `.env` the user wrote, their own notes) stays.
 */
export function removeWritten(dir: string, written: WrittenFiles): void {
  for (const path of Object.keys(written)) {
    rmSync(join(dir, path), { force: true });
    for (let folder = dirname(join(dir, path)); folder.startsWith(dir) && folder !== dir; folder = dirname(folder)) {
      if (!existsSync(folder) || readdirSync(folder).length > 0) break;
      rmdirSync(folder);
    }
  }
}
