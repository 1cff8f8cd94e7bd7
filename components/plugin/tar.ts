/** One entry of a tar archive: a folder (its path ends with `/`) or a file with its bytes. */
export interface TarEntry {
  /** Relative POSIX path inside the archive. */
  readonly path: string;
  /** Permission bits, e.g. `0o644`. */
  readonly mode: number;
  /** The file's bytes; absent for a folder. */
  readonly content?: Uint8Array;
}

const BLOCK_BYTES = 512;
/** The ustar header's name field; a longer path goes in a GNU long-name entry. */
const NAME_FIELD_BYTES = 100;
/** The name GNU tar gives the pseudo-entry that carries the next entry's full path. */
const GNU_LONG_NAME = Buffer.from("././@LongLink", "ascii");
/** ustar's magic and version: "ustar", NUL, "00". */
const USTAR_MAGIC = "ustar\u000000";

/**
 * Writes a tar archive of the given entries, in the given order, reproducibly: owner 0:0
 * without user names, mtime 0, and no other metadata than the path, mode and content.
 *
 * A path over 100 bytes is preceded by a GNU long-name entry (typeflag `L`, name
 * `././@LongLink`, data the NUL-terminated path) rather than split into ustar's `prefix`
 * field: LuaRocks unpacks source archives with its own reader (luarocks/tools/tar.lua),
 * which reads typeflag `L` but ignores `prefix`, so a split path would install a file under
 * the wrong name. GNU tar, busybox tar and Python's tarfile read `L` entries too. Shorter
 * paths get a plain ustar header.
 */
export function packTar(entries: readonly TarEntry[]): Buffer {
  const parts: Uint8Array[] = [];
  for (const { path, mode, content } of entries) {
    const name = Buffer.from(path, "utf8");
    if (name.length > NAME_FIELD_BYTES) {
      const longName = Buffer.concat([name, Buffer.alloc(1)]);
      parts.push(header(GNU_LONG_NAME, 0o644, "L", longName.length), ...padded(longName));
    }
    const data = content ?? new Uint8Array(0);
    // Past the long-name entry, the name field holds the path's first 100 bytes, as GNU tar writes it.
    parts.push(header(name.subarray(0, NAME_FIELD_BYTES), mode, content === undefined ? "5" : "0", data.length), ...padded(data));
  }
  parts.push(Buffer.alloc(2 * BLOCK_BYTES));
  return Buffer.concat(parts);
}

/**
 * A ustar header block. Numbers are zero-padded octal ended by a space, the layout of the
 * tar-stream package that wrote earlier archives: archives of short paths keep their digests.
 */
function header(name: Uint8Array, mode: number, typeflag: "0" | "5" | "L", size: number): Buffer {
  const block = Buffer.alloc(BLOCK_BYTES);
  block.set(name, 0);
  block.write(octal(mode & 0o7777, 6), 100);
  block.write(octal(0, 6), 108); // uid
  block.write(octal(0, 6), 116); // gid
  block.write(octal(size, 11), 124);
  block.write(octal(0, 11), 136); // mtime
  block.write(typeflag, 156);
  block.write(USTAR_MAGIC, 257, "latin1");
  block.write(octal(0, 6), 329); // devmajor
  block.write(octal(0, 6), 337); // devminor
  // The checksum is the sum of the header's bytes with its own field read as spaces.
  block.fill(" ", 148, 156);
  const checksum = block.reduce((sum, byte) => sum + byte, 0);
  block.write(octal(checksum, 6), 148);
  block[155] = 0;
  return block;
}

function octal(value: number, digits: number): string {
  return `${value.toString(8).padStart(digits, "0")} `;
}

/** The data followed by zeros up to a whole number of blocks. */
function padded(data: Uint8Array): Uint8Array[] {
  const remainder = data.length % BLOCK_BYTES;
  return remainder === 0 ? [data] : [data, Buffer.alloc(BLOCK_BYTES - remainder)];
}
