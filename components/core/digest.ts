import { createHash } from "node:crypto";

/** Lower-case hex sha256 of text (UTF-8) or bytes. */
export function sha256Hex(data: string | Uint8Array): string {
  return createHash("sha256").update(data).digest("hex");
}

/** An OCI-style content digest: `sha256:<hex>`. */
export function contentDigest(data: string | Uint8Array): string {
  return `sha256:${sha256Hex(data)}`;
}

/** A file as every renderer sees it: a relative POSIX path and its text. */
export interface TextFile {
  /** Relative POSIX path, e.g. `migrations/init.lua`. */
  readonly path: string;
  /** The file's text. */
  readonly content: string;
}

/**
 * Digest of a set of files that depends only on their paths and contents, never on the
 * order they are given in, their modes or their times. Each entry is length-prefixed so
 * that no two different sets can encode to the same bytes.
 */
export function digestFiles(files: readonly TextFile[]): string {
  const hash = createHash("sha256");
  const sorted = [...files].sort((a, b) => compareStrings(a.path, b.path));
  for (const file of sorted) {
    const path = Buffer.from(file.path, "utf8");
    const content = Buffer.from(file.content, "utf8");
    hash.update(`${path.length}:`).update(path).update(`${content.length}:`).update(content);
  }
  return `sha256:${hash.digest("hex")}`;
}

/** Code-unit order, independent of the machine's locale (unlike `localeCompare`). */
export function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
