import { existsSync, statSync } from "node:fs";
import { basename, join, resolve } from "node:path";
import { writeOwnedFolder } from "../components/core/owned-folder";
import { renderPluginArtifacts } from "../components/plugin/artifacts";
import { readPluginSource } from "../components/plugin/source";
import { UsageError } from "./usage-error";

/** Options of `kong-plugins package`. */
export interface PackageOptions {
  /** The plugin's folder, or a repository root holding `kong/plugins/<name>/`. */
  readonly directory: string;
  /** Where to write `<name>/...`. */
  readonly out: string;
  /** The plugin's name. @default - the name schema.lua returns, else the folder's name */
  readonly name?: string;
}

/**
 * Checks a plugin folder as PluginMetadata does and writes its packaging artifacts (rockspec,
 * source archive, KongPluginMetadata, the operator CRDs). The version is handler.lua's
 * `VERSION`, which Kong reads and which the rockspec must match. Returns the written paths.
 */
export async function packagePlugin(options: PackageOptions): Promise<string[]> {
  const directory = resolve(options.directory);
  if (!existsSync(directory) || !statSync(directory).isDirectory()) throw new UsageError(`${options.directory} is not a folder`);
  const { analysis } = readPluginSource({ directory }, options.name !== undefined ? { name: options.name } : {});
  const files = await renderPluginArtifacts({ plugin: { name: options.name ?? analysis.schemaName ?? basename(directory), source: { directory } } });
  // Every artifact sits under `<name>/`: that folder is the one written.
  const name = files[0]?.path.split("/")[0] as string;
  writeOwnedFolder(join(options.out, name), files.map((file) => ({ ...file, path: file.path.slice(name.length + 1) })), { protectedFolders: [process.cwd(), directory] });
  return files.map((file) => join(options.out, file.path));
}
