import { mkdirSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { dirname, isAbsolute, join, normalize, sep } from "node:path";

/** A file to write: a relative POSIX path and its bytes or text. */
export interface OutputFile {
  /** Relative POSIX path inside the output folder. */
  readonly path: string;
  /** Text (written as UTF-8) or bytes. */
  readonly content: string | Uint8Array;
}

/**
 * Writes each file under `dir` atomically: to a temporary file beside it, then renamed
 * over the target, so a reader never sees half a file and an interrupted write leaves the
 * previous version intact. Callers render everything first and write only once rendering
 * has succeeded, so a failed render writes nothing.
 */
export function writeFilesAtomically(dir: string, files: readonly OutputFile[]): void {
  for (const file of files) assertInside(file.path);
  for (const file of files) {
    const target = join(dir, ...file.path.split("/"));
    mkdirSync(dirname(target), { recursive: true });
    const temporary = `${target}.${process.pid}.tmp`;
    try {
      writeFileSync(temporary, file.content, { mode: 0o644 });
      renameSync(temporary, target);
    } catch (error) {
      rmSync(temporary, { force: true });
      throw error;
    }
  }
}

function assertInside(path: string): void {
  const normalized = normalize(path);
  if (!path || isAbsolute(path) || normalized.startsWith(`..${sep}`) || normalized === ".." || path.includes("\\")) {
    throw new Error(`refusing to write ${JSON.stringify(path)}: output paths must be relative and stay inside the output folder`);
  }
}
