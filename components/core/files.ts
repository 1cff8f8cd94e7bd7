import { chmodSync, existsSync, mkdirSync, readdirSync, renameSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import { dirname, isAbsolute, join, normalize, sep } from "node:path";

/** A file to write: a relative POSIX path and its bytes or text. */
export interface OutputFile {
  /** Relative POSIX path inside the output folder. */
  readonly path: string;
  /** Text (written as UTF-8) or bytes. */
  readonly content: string | Uint8Array;
  /** Permission bits, applied exactly (the umask does not apply). @default 0o644 */
  readonly mode?: number;
}

/**
 * Writes files under `dir` so that a reader never sees half a file and a failure leaves the
 * previous output intact: every file is first written to a temporary beside its target, and
 * only when all are written are they renamed over their targets (a rename is atomic). If any
 * write fails, the temporaries are removed and nothing is replaced. Callers render everything
 * first and write only once rendering has succeeded, so a failed render writes nothing.
 */
export function writeFilesAtomically(dir: string, files: readonly OutputFile[]): void {
  for (const file of files) assertInside(file.path);
  const staged: { temporary: string; target: string }[] = [];
  try {
    for (const file of files) {
      const target = join(dir, ...file.path.split("/"));
      mkdirSync(dirname(target), { recursive: true });
      const temporary = `${target}.${process.pid}.tmp`;
      staged.push({ temporary, target });
      // Created with its final mode (a secret file is never readable by others, even briefly),
      // then chmod-ed, because the umask may have narrowed it.
      writeFileSync(temporary, file.content, { mode: file.mode ?? 0o644 });
      chmodSync(temporary, file.mode ?? 0o644);
    }
  } catch (error) {
    for (const { temporary } of staged) rmSync(temporary, { force: true });
    throw error;
  }
  for (const { temporary, target } of staged) renameSync(temporary, target);
}

function assertInside(path: string): void {
  const normalized = normalize(path);
  if (!path || isAbsolute(path) || normalized.startsWith(`..${sep}`) || normalized === ".." || path.includes("\\")) {
    throw new Error(`refusing to write ${JSON.stringify(path)}: output paths must be relative and stay inside the output folder`);
  }
}

/** A file of a tree whose modes matter: a build context. */
export interface TreeFile extends OutputFile {
  /** Permission bits, applied exactly (the process umask does not apply). */
  readonly mode: number;
}

/** Modification time of every file and folder of a written tree: no clock reaches it. */
const TREE_MTIME = new Date(0);

/**
 * Replaces the folder `dir` with exactly `files`: nothing else is left in it. The new tree is
 * written beside it, with exact modes (folders 0755) and a fixed modification time, and then
 * swapped in by renames, so a failure leaves the previous folder as it was.
 */
export function replaceDirectory(dir: string, files: readonly TreeFile[]): void {
  for (const file of files) assertInside(file.path);
  const staging = `${dir}.${process.pid}.staging`;
  const previous = `${dir}.${process.pid}.previous`;
  rmSync(staging, { recursive: true, force: true });
  try {
    mkdirSync(staging, { recursive: true });
    for (const file of files) {
      const target = join(staging, ...file.path.split("/"));
      mkdirSync(dirname(target), { recursive: true });
      writeFileSync(target, file.content);
      chmodSync(target, file.mode);
      utimesSync(target, TREE_MTIME, TREE_MTIME);
    }
    normalizeFolders(staging);
  } catch (error) {
    rmSync(staging, { recursive: true, force: true });
    throw error;
  }
  const hadPrevious = existsSync(dir);
  if (hadPrevious) renameSync(dir, previous);
  renameSync(staging, dir);
  if (hadPrevious) rmSync(previous, { recursive: true, force: true });
}

/** Folders get mode 0755 and the fixed time, deepest first (writing a child touches its parent). */
function normalizeFolders(dir: string): void {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.isDirectory()) normalizeFolders(join(dir, entry.name));
  }
  chmodSync(dir, 0o755);
  utimesSync(dir, TREE_MTIME, TREE_MTIME);
}
