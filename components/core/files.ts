/** A file to write: a relative POSIX path and its bytes or text. */
export interface OutputFile {
  /** Relative POSIX path inside the output folder. */
  readonly path: string;
  /** Text (written as UTF-8) or bytes. */
  readonly content: string | Uint8Array;
  /** Permission bits, applied exactly (the umask does not apply). @default 0o644 */
  readonly mode?: number;
}

/** A file of a tree whose modes matter: a build context. */
export interface TreeFile extends OutputFile {
  /** Permission bits, applied exactly (the process umask does not apply). */
  readonly mode: number;
}
