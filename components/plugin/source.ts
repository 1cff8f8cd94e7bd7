import { existsSync, lstatSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { compareStrings, digestFiles, type TextFile } from "../core/digest";
import { IssueCollector, joinPath } from "../core/errors";
import { analyseLua } from "./lua";
import type { LuaAnalysis, PluginSource } from "./types";

/**
 * Where a plugin's files come from: exactly one of a folder or inline files.
 * (Separate optional fields rather than a union, so other Pulumi languages can express it.)
 */
export interface PluginSourceInput {
  /**
   * A folder on disk, either the plugin folder itself (holding `handler.lua`, `schema.lua`,
   * ...) or a folder holding `kong/plugins/<name>/` (a plugin repository's root). A relative
   * path is read from the working directory (a Pulumi program's is its project folder).
   * @default - none; give `directory` or `files`
   */
  readonly directory?: string;
  /**
   * The plugin's files inline, by path relative to the plugin folder:
   * `{ "handler.lua": "...", "schema.lua": "...", "migrations/init.lua": "..." }`.
   * @default - none; give `directory` or `files`
   */
  readonly files?: Readonly<Record<string, string>>;
}

/** Options of {@link readPluginSource}. */
export interface ReadPluginSourceOptions {
  /** The plugin's name, to pick `kong/plugins/<name>/` when a folder holds several plugins. */
  readonly name?: string;
  /** Path prefix for issues, e.g. `source`. */
  readonly path?: string;
}

/**
 * Reads a plugin's files (sorted by path, relative to `kong/plugins/<name>/`), their digest
 * and the static analysis of their Lua. Hidden files (`.git`, `.DS_Store`) are left out, and
 * so are a flat repository's specs, docs and top-level non-Lua files (see isPluginFile).
 * Does not judge the plugin: a missing handler.lua is reported by `validatePlugin`.
 * @throws KongPluginsValidationError when the source cannot be read at all.
 */
export function readPluginSource(input: PluginSourceInput, options: ReadPluginSourceOptions = {}): PluginSource {
  const root = options.path ?? "source";
  const issues = new IssueCollector();
  const hasDirectory = input.directory !== undefined;
  const hasFiles = input.files !== undefined;
  let files: TextFile[] = [];

  if (hasDirectory === hasFiles) {
    issues.add(root, "must have exactly one of `directory` or `files`", {
      received: hasDirectory ? "both" : "neither",
      expected: "a folder path, or inline files",
    });
  } else if (hasDirectory) {
    files = readDirectory(input.directory as string, options.name, joinPath(root, "directory"), issues);
  } else {
    files = inlineFiles(input.files as Record<string, string>, joinPath(root, "files"), issues);
  }
  issues.throwIfAny("the plugin source");

  files.sort((a, b) => compareStrings(a.path, b.path));
  const digest = digestFiles(files);
  return { files, digest, analysis: analysisOf(digest, files) };
}

/** Analyses by files digest: parsing the Lua is most of reading a plugin, and a program reads each plugin many times. */
const analyses = new Map<string, LuaAnalysis>();
const ANALYSIS_CACHE_SIZE = 256;

function analysisOf(digest: string, files: readonly TextFile[]): LuaAnalysis {
  let analysis = analyses.get(digest);
  if (analysis === undefined) {
    analysis = analyseLua(files);
    if (analyses.size >= ANALYSIS_CACHE_SIZE) analyses.delete(analyses.keys().next().value as string);
    analyses.set(digest, analysis);
  }
  return analysis;
}

function readDirectory(directory: string, name: string | undefined, path: string, issues: IssueCollector): TextFile[] {
  if (!existsSync(directory) || !lstatSync(directory).isDirectory()) {
    issues.add(path, "is not a folder", { received: directory });
    return [];
  }
  const pluginDir = pluginFolder(directory, name, path, issues);
  if (pluginDir === undefined) return [];
  const files = readTree(pluginDir, "", path, issues);
  return pluginDir === directory ? files.filter((file) => isPluginFile(file.path)) : files;
}

/** Top-level folders of a plugin repository that hold tests and documents, not modules. */
const REPOSITORY_FOLDERS = new Set(["spec", "specs", "test", "tests", "t", "doc", "docs", "examples", "bin", "scripts"]);

/**
 * Whether a file of a flat repository (handler.lua at its root) belongs to the plugin. Kong
 * loads a plugin's modules as `kong.plugins.<name>.<path>`, so the repository's specs, its
 * rockspec, README and licence would otherwise be installed as files of the plugin:
 * top-level files other than Lua modules and the folders above are left out.
 */
function isPluginFile(path: string): boolean {
  const [first, ...rest] = path.split("/");
  if (rest.length === 0) return path.endsWith(".lua");
  return !REPOSITORY_FOLDERS.has(first as string);
}

/**
 * The folder that holds handler.lua: `directory` itself, or `directory/kong/plugins/<name>`.
 * Each step is looked at itself (lstat), never through a link: a linked `kong/`, `kong/plugins/`
 * or plugin folder would read files from outside the source folder, so it is refused.
 */
function pluginFolder(directory: string, name: string | undefined, path: string, issues: IssueCollector): string | undefined {
  for (const relative of ["kong", "kong/plugins"]) {
    const kind = entryKind(join(directory, relative));
    if (kind === "link") {
      issues.add(joinPath(path, relative), LINK_REFUSED, { expected: "a folder inside the source folder" });
      return undefined;
    }
    // No kong/plugins/ layout: the folder is the plugin folder itself.
    if (kind !== "folder") return directory;
  }
  const pluginsDir = join(directory, "kong", "plugins");
  const candidates = readdirSync(pluginsDir)
    .filter((entry) => !entry.startsWith(".") && entryKind(join(pluginsDir, entry)) !== "other")
    .sort(compareStrings);
  const chosen = name !== undefined ? candidates.find((entry) => entry === name) : candidates.length === 1 ? candidates[0] : undefined;
  if (chosen === undefined) {
    issues.add(path, name !== undefined ? `has no kong/plugins/${name}/ folder` : "holds several plugins under kong/plugins/: name the one to read", {
      received: candidates,
      expected: name !== undefined ? `kong/plugins/${name}/` : "one plugin folder, or the plugin's name",
    });
    return undefined;
  }
  if (entryKind(join(pluginsDir, chosen)) === "link") {
    issues.add(joinPath(path, `kong/plugins/${chosen}`), LINK_REFUSED, { expected: "a folder inside the source folder" });
    return undefined;
  }
  return join(pluginsDir, chosen);
}

const LINK_REFUSED = "is a symbolic link: plugin files are read from inside the source folder only";

/** What is at `path` itself, a link not followed. */
function entryKind(path: string): "missing" | "folder" | "link" | "other" {
  const stat = lstatSync(path, { throwIfNoEntry: false });
  if (stat === undefined) return "missing";
  return stat.isSymbolicLink() ? "link" : stat.isDirectory() ? "folder" : "other";
}

function readTree(dir: string, prefix: string, path: string, issues: IssueCollector): TextFile[] {
  const files: TextFile[] = [];
  for (const entry of readdirSync(dir).sort(compareStrings)) {
    if (entry.startsWith(".")) continue;
    const relative = prefix ? `${prefix}/${entry}` : entry;
    const absolute = join(dir, entry);
    const stat = lstatSync(absolute);
    if (stat.isDirectory()) {
      files.push(...readTree(absolute, relative, path, issues));
    } else if (stat.isFile()) {
      const text = decodeUtf8(readFileSync(absolute));
      if (text === undefined) issues.add(joinPath(path, relative), "is not UTF-8 text", { expected: "Lua source or other text" });
      else files.push({ path: relative, content: text });
    } else {
      // A link could point outside the plugin, and the image, archive and ConfigMap
      // renderers would each resolve it differently; refuse it rather than guess.
      issues.add(joinPath(path, relative), "is a symbolic link or special file", { expected: "a regular file or folder" });
    }
  }
  return files;
}

const SAFE_SEGMENT = /^[A-Za-z0-9_][A-Za-z0-9_.-]*$/;

function inlineFiles(files: Record<string, string>, path: string, issues: IssueCollector): TextFile[] {
  const result: TextFile[] = [];
  for (const [relative, content] of Object.entries(files)) {
    const segments = relative.split("/");
    if (!segments.every((segment) => SAFE_SEGMENT.test(segment) && !segment.startsWith(".."))) {
      issues.add(joinPath(path, relative), "is not a safe relative path", {
        expected: "segments of letters, digits, '_', '.', '-' separated by '/', e.g. migrations/init.lua",
      });
    } else if (typeof content !== "string") {
      issues.add(joinPath(path, relative), "must be the file's text", { received: typeof content, expected: "a string" });
    } else {
      result.push({ path: relative, content });
    }
  }
  return result;
}

function decodeUtf8(bytes: Buffer): string | undefined {
  try {
    // ignoreBOM keeps a byte order mark: the files are installed byte for byte as read.
    return new TextDecoder("utf-8", { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    return undefined;
  }
}
