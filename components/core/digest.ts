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

/** A file as digests see it: path, content and, where it matters, its mode. */
export interface DigestEntry {
  readonly path: string;
  readonly content: string | Uint8Array;
  /** Permission bits, for trees whose modes are part of what they are (build contexts). */
  readonly mode?: number;
}

/**
 * Digest of a set of files that depends only on their paths, contents and given modes, never
 * on the order they are given in or their times. Each field is length-prefixed so that no
 * two different sets can encode to the same bytes.
 */
export function digestFiles(files: readonly DigestEntry[]): string {
  const hash = createHash("sha256");
  const sorted = [...files].sort((a, b) => compareStrings(a.path, b.path));
  for (const file of sorted) {
    const path = Buffer.from(file.path, "utf8");
    const content = typeof file.content === "string" ? Buffer.from(file.content, "utf8") : file.content;
    hash.update(`${path.length}:`).update(path).update(`${content.length}:`).update(content);
    if (file.mode !== undefined) hash.update(`mode:${file.mode.toString(8)};`);
  }
  return `sha256:${hash.digest("hex")}`;
}

/** Code-unit order, independent of the machine's locale (unlike `localeCompare`). */
export function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
