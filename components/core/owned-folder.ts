import { existsSync, linkSync, lstatSync, mkdirSync, readdirSync, readFileSync, readlinkSync, realpathSync, renameSync, rmSync, symlinkSync, utimesSync, writeFileSync, chmodSync } from "node:fs";
import { basename, dirname, isAbsolute, join, normalize, relative, resolve, sep } from "node:path";
import { stableJson } from "./canonical";
import { compareStrings, sha256Hex } from "./digest";
import { KongPluginsValidationError, type ValidationIssue } from "./errors";
import type { OutputFile } from "./files";

// The one way this project writes a folder: previews, compose project folders and image build
// contexts. A folder is "owned" when it holds the manifest below, which records the digest of
// every file this project wrote there. What it never does: write into a folder it did not
// create, write into the program's folder or one that holds it, overwrite or delete a file it
// did not write or that changed since, or leave half a folder when the process is killed.

/** The manifest of an owned folder: each file this project wrote, with its content digest. */
export const MANIFEST_FILE = ".kong-plugins-manifest.json";

/** Options of {@link writeOwnedFolder}. */
export interface OwnedFolderOptions {
  /**
   * Folders that must survive: the target may be neither one of them nor a folder that holds
   * one (a program's folder, whose files a replacement would delete).
   * @default []
   */
  readonly protectedFolders?: readonly string[];
  /**
   * Give every file and folder the same fixed modification time, so that no clock reaches what
   * is written (previews and build contexts are compared and hashed by content).
   * @default false
   */
  readonly fixedTimes?: boolean;
}

/** What a write left in the folder. */
export interface OwnedFolderWrite {
  /** The folder, as one canonical absolute path whatever spelling it was given in. */
  readonly dir: string;
  /** The digest of each file written, by path: the manifest. */
  readonly written: Readonly<Record<string, string>>;
  /** Files of someone else's found in the folder and left as they were, by path. */
  readonly kept: readonly string[];
}

const FIXED_TIME = new Date(0);

interface Manifest {
  readonly files: Record<string, string>;
}

/**
 * The one canonical absolute spelling of a folder: `stack`, `./stack`, `stack/` and the
 * absolute path (through any symbolic link above it) are one folder.
 */
export function canonicalFolder(dir: string): string {
  const absolute = resolve(dir);
  let existing = absolute;
  while (!existsSync(existing) && existing !== dirname(existing)) existing = dirname(existing);
  return join(realpathSync(existing), relative(existing, absolute));
}

/** Where an interrupted swap keeps the folder's other version: beside it, named after it. */
function transientPaths(dir: string): { staging: string; previous: string } {
  const parent = dirname(dir);
  const name = basename(dir);
  return { staging: join(parent, `.${name}.kong-plugins-staging`), previous: join(parent, `.${name}.kong-plugins-previous`) };
}

/**
 * Finishes what an interrupted write left: if the process was killed between the two renames
 * of a swap, the previous folder comes back; a leftover staging folder or previous copy goes.
 */
export function recoverOwnedFolder(dirInput: string): void {
  const dir = canonicalFolder(dirInput);
  const { staging, previous } = transientPaths(dir);
  if (existsSync(previous)) {
    if (existsSync(dir)) rmSync(previous, { recursive: true, force: true });
    else renameSync(previous, dir);
  }
  rmSync(staging, { recursive: true, force: true });
}

/**
 * Every problem that would stop {@link writeOwnedFolder} from writing `files` into `dir`, found
 * without writing anything: the program's folder, a folder of someone else's files, files that
 * are not this project's or changed since it wrote them. Paths are relative to `dir`.
 */
export function ownedFolderIssues(dirInput: string, files: readonly OutputFile[] | undefined, options: OwnedFolderOptions = {}): ValidationIssue[] {
  const dir = canonicalFolder(dirInput);
  const issues: ValidationIssue[] = [];
  for (const kept of options.protectedFolders ?? []) {
    const inside = relative(dir, canonicalFolder(kept));
    if (inside === "" || (!inside.startsWith(`..${sep}`) && inside !== ".." && !isAbsolute(inside))) {
      issues.push({ path: dirInput, message: `is, or holds, ${canonicalFolder(kept)}, whose files writing this folder would replace`, expected: "a folder of its own, e.g. a new subfolder" });
    }
  }
  for (const file of files ?? []) {
    if (!isSafeRelativePath(file.path)) issues.push({ path: file.path, message: "is not a relative path inside the folder", expected: "segments separated by '/', without '..'" });
  }
  if (issues.length > 0 || !existsSync(dir)) return issues;
  if (!lstatSync(dir).isDirectory()) return [{ path: dirInput, message: "is not a folder", expected: "a new, empty or kong-plugins' own folder" }];
  const manifest = readManifest(dir);
  const present = listFiles(dir);
  if (manifest === undefined) {
    if (present.length > 0) {
      issues.push({ path: dirInput, message: `holds files kong-plugins did not write (${present.slice(0, 5).join(", ")}${present.length > 5 ? ", ..." : ""}): it writes only into new, empty or its own folders`, expected: "a new or empty folder" });
    }
    return issues;
  }
  const wanted = new Set((files ?? []).map((file) => file.path));
  const fate = (path: string) => (files === undefined ? "replace" : wanted.has(path) ? "overwrite" : "delete");
  for (const path of present) {
    const recorded = manifest.files[path];
    if (recorded === undefined) {
      if (wanted.has(path)) issues.push({ path, message: "was not written by kong-plugins, and writing the folder would overwrite it", expected: "the file moved or removed" });
    } else if (digestOnDisk(join(dir, path)) !== recorded) {
      issues.push({ path, message: `changed since kong-plugins wrote it, and writing the folder would ${fate(path)} it`, expected: "the file restored, or moved out of the folder" });
    }
  }
  return issues;
}

/**
 * Makes `dir` hold `files` (and any files of someone else's it already held), or throws before
 * writing anything. The new folder is built beside the old one and swapped in by two renames:
 * a kill at any moment leaves the complete old folder (in place, or beside it until the next
 * write brings it back) or the complete new one. A manifest in the folder records what was
 * written, so the next write knows what it may replace.
 * @throws KongPluginsValidationError listing every problem ({@link ownedFolderIssues}).
 */
export function writeOwnedFolder(dirInput: string, files: readonly OutputFile[], options: OwnedFolderOptions = {}): OwnedFolderWrite {
  const dir = canonicalFolder(dirInput);
  recoverOwnedFolder(dir);
  const issues = ownedFolderIssues(dir, files, options);
  if (issues.length > 0) throw new KongPluginsValidationError(issues, `the folder ${dirInput}`);

  const written = Object.fromEntries([...files].sort((a, b) => compareStrings(a.path, b.path)).map((file) => [file.path, sha256Hex(file.content)]));
  const previous = existsSync(dir) ? readManifest(dir) : undefined;
  const kept = existsSync(dir) ? listFiles(dir).filter((path) => previous?.files[path] === undefined && !(path in written)) : [];
  if (previous !== undefined && sameFiles(previous.files, written) && files.every((file) => modeOnDisk(join(dir, file.path)) === (file.mode ?? 0o644))) {
    return { dir, written, kept };
  }

  const { staging, previous: previousCopy } = transientPaths(dir);
  try {
    stage(staging, dir, files, written, previous, kept);
    if (options.fixedTimes) fixTimes(staging, new Set(kept));
  } catch (error) {
    rmSync(staging, { recursive: true, force: true });
    throw error;
  }

  if (existsSync(dir)) renameSync(dir, previousCopy);
  renameSync(staging, dir);
  rmSync(previousCopy, { recursive: true, force: true });
  return { dir, written, kept };
}

/**
 * Whether writing `files` would change `dir` from what `recorded` says was written: a file
 * added, removed or changed, or a written file edited or removed on disk since.
 */
export function ownedFolderDiffers(dirInput: string, files: readonly OutputFile[], recorded: Readonly<Record<string, string>>): boolean {
  const dir = canonicalFolder(dirInput);
  const wanted = Object.fromEntries(files.map((file) => [file.path, sha256Hex(file.content)]));
  return !sameFiles(recorded, wanted) || Object.entries(recorded).some(([path, digest]) => digestOnDisk(join(dir, path)) !== digest);
}

/**
 * Removes what this project wrote to `dir` and has not changed since, and the folder when
 * nothing else is left; someone else's files and changed files stay, and are returned.
 */
export function removeOwnedFolder(dirInput: string): { readonly kept: readonly string[] } {
  const dir = canonicalFolder(dirInput);
  recoverOwnedFolder(dir);
  if (!existsSync(dir)) return { kept: [] };
  const manifest = readManifest(dir);
  if (manifest === undefined) return { kept: listFiles(dir) };
  for (const [path, digest] of Object.entries(manifest.files)) {
    if (existsSync(join(dir, path)) && digestOnDisk(join(dir, path)) === digest) rmSync(join(dir, path));
  }
  rmSync(join(dir, MANIFEST_FILE), { force: true });
  removeEmptyFolders(dir);
  return { kept: existsSync(dir) ? listFiles(dir) : [] };
}

/**
 * Builds the new folder at `staging`: changed files written, unchanged ones and someone else's
 * carried over as hard links (the same files: never copied, rewritten or touched), then the
 * manifest.
 */
function stage(staging: string, dir: string, files: readonly OutputFile[], written: Readonly<Record<string, string>>, previous: Manifest | undefined, kept: readonly string[]): void {
  mkdirSync(staging, { recursive: true });
  // Each folder made once: a preview writes thousands of files into a few folders each.
  const folders = new Set<string>([staging]);
  for (const file of files) {
    const source = join(dir, ...file.path.split("/"));
    const target = join(staging, ...file.path.split("/"));
    const mode = file.mode ?? 0o644;
    if (previous?.files[file.path] === written[file.path] && digestOnDisk(source) === written[file.path] && modeOnDisk(source) === mode) {
      carry(source, target);
      continue;
    }
    if (!folders.has(dirname(target))) {
      mkdirSync(dirname(target), { recursive: true });
      folders.add(dirname(target));
    }
    // Created with its final mode (a secret file is never readable by others, even briefly),
    // then chmod-ed, because the umask may have narrowed it.
    writeFileSync(target, file.content, { mode });
    chmodSync(target, mode);
  }
  for (const path of kept) carry(join(dir, path), join(staging, path));
  // The digest of a private file (a `.env`) would let others check a guess of its content.
  const manifestMode = files.some((file) => ((file.mode ?? 0o644) & 0o044) === 0) ? 0o600 : 0o644;
  writeFileSync(join(staging, MANIFEST_FILE), stableJson({ files: written }), { mode: manifestMode });
  chmodSync(join(staging, MANIFEST_FILE), manifestMode);
}

function isSafeRelativePath(path: string): boolean {
  const normalized = normalize(path);
  return path !== "" && !isAbsolute(path) && !path.includes("\\") && normalized !== ".." && !normalized.startsWith(`..${sep}`) && path !== MANIFEST_FILE;
}

function readManifest(dir: string): Manifest | undefined {
  const path = join(dir, MANIFEST_FILE);
  if (!existsSync(path)) return undefined;
  try {
    const parsed = JSON.parse(readFileSync(path, "utf8")) as Manifest;
    return parsed !== null && typeof parsed.files === "object" ? parsed : undefined;
  } catch {
    return undefined;
  }
}

/** Every file under `dir` (links included, never followed), as sorted POSIX paths, the manifest left out. */
function listFiles(dir: string, prefix = ""): string[] {
  const files: string[] = [];
  for (const entry of readdirSync(join(dir, prefix), { withFileTypes: true })) {
    const path = prefix ? `${prefix}/${entry.name}` : entry.name;
    if (entry.isDirectory()) files.push(...listFiles(dir, path));
    else if (path !== MANIFEST_FILE) files.push(path);
  }
  return files.sort(compareStrings);
}

function digestOnDisk(path: string): string | undefined {
  const stat = lstatSync(path, { throwIfNoEntry: false });
  return stat?.isFile() ? sha256Hex(readFileSync(path)) : undefined;
}

function modeOnDisk(path: string): number | undefined {
  const stat = lstatSync(path, { throwIfNoEntry: false });
  return stat ? stat.mode & 0o7777 : undefined;
}

function sameFiles(a: Readonly<Record<string, string>>, b: Readonly<Record<string, string>>): boolean {
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((key) => a[key] === b[key]);
}

function carry(from: string, to: string): void {
  mkdirSync(dirname(to), { recursive: true });
  if (lstatSync(from).isSymbolicLink()) symlinkSync(readlinkSync(from), to);
  else linkSync(from, to);
}

/**
 * Folders get mode 0755 and, like the files written, the fixed time, deepest first (writing a
 * child touches its parent). Someone else's files keep theirs: they are the same inodes.
 */
function fixTimes(root: string, kept: ReadonlySet<string>, prefix = ""): void {
  const dir = join(root, prefix);
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = prefix ? `${prefix}/${entry.name}` : entry.name;
    if (entry.isDirectory()) fixTimes(root, kept, path);
    else if (!kept.has(path)) utimesSync(join(root, path), FIXED_TIME, FIXED_TIME);
  }
  chmodSync(dir, 0o755);
  utimesSync(dir, FIXED_TIME, FIXED_TIME);
}

function removeEmptyFolders(dir: string): void {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.isDirectory()) removeEmptyFolders(join(dir, entry.name));
  }
  if (readdirSync(dir).length === 0) rmSync(dir, { recursive: true });
}
