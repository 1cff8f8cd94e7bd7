// Requires Kong cannot satisfy: a module of the plugin that is not one of its files, a module
// of another plugin folder that is not packaged with it, and Kong 2's base_plugin. Read from
// both the sandbox's record (what loading required) and the source (requires inside
// functions, which run later, at request time).
import type { TextFile } from "../core/digest";
import type { IssueCollector } from "../core/errors";
import type { LuaRequired } from "../lua/runtime";
import { pluginModuleNames } from "../lua/kong/environment";
import { BUNDLED_PLUGINS } from "./bundled";
import type { LuaAnalysis } from "./types";

/** Where a file's problems are reported, e.g. `source.files["handler.lua"]`. */
export type FilePath = (file: string) => string;

interface Located {
  readonly module: string;
  readonly file: string;
  readonly line: number;
}

export function checkRequires(name: string, files: readonly TextFile[], analysis: LuaAnalysis, required: readonly LuaRequired[], filePath: FilePath, issues: IssueCollector): void {
  const own = new Set(files.flatMap((file) => pluginModuleNames(name, file.path)));
  const plugin = new Set(files.map((file) => file.path));
  const seen = new Set<string>();
  const located: Located[] = [
    ...analysis.requires.flatMap((use) => (use.module !== null ? [{ module: use.module, file: use.file, line: use.line }] : [])),
    ...required.filter((use) => plugin.has(use.file)),
  ];
  for (const use of located) {
    if (seen.has(use.module)) continue;
    const problem = requireProblem(name, use.module, own);
    if (problem === undefined) continue;
    seen.add(use.module);
    issues.add(filePath(use.file), `requires ${use.module} (line ${use.line}), ${problem}`);
  }
}

function requireProblem(name: string, module: string, own: ReadonlySet<string>): string | undefined {
  if (module === "kong.plugins.base_plugin") return "which Kong 3.0 removed; return a plain table from handler.lua instead";
  const folder = /^kong\.plugins\.([^.]+)\./.exec(module)?.[1];
  if (folder === name && !own.has(module)) {
    return `which is not a file of the plugin: Kong fails with "module '${module}' not found"`;
  }
  if (folder !== undefined && folder !== name && !BUNDLED_PLUGINS.has(folder)) {
    return `a module of another plugin folder (kong/plugins/${folder}/) that is not packaged with this plugin: Kong fails with "module '${module}' not found" unless that folder is installed too; move the module into kong/plugins/${name}/`;
  }
  return undefined;
}
