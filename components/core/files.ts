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
      writeFileSync(temporary, file.content, { mode: 0o644 });
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
