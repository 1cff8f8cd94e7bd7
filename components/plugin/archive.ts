import { gzipSync } from "node:zlib";
import { compareStrings } from "../core/digest";
import { renderInstallText, renderArchiveReadme } from "./archive-docs";
import type { ResolvedPlugin } from "./model";
import { renderRockspec } from "./rockspec";
import { packTar, type TarEntry } from "./tar";

/** The archive's file name: `<name>-<version>.tar.gz`, which the rendered rockspec's `source.url` names. */
export function pluginArchiveName(plugin: Pick<ResolvedPlugin, "name" | "version">): string {
  return `${plugin.name}-${plugin.version}.tar.gz`;
}

/** gzip's header "operating system" byte, fixed to Unix so every platform emits the same bytes. */
const GZIP_OS_UNIX = 3;

/**
 * Packs the plugin as Kong's documentation lays out a source archive:
 * `<name>/{INSTALL.txt, README.md, kong/plugins/<name>/..., kong-plugin-<name>-<version>-1.rockspec}`.
 * Byte-for-byte reproducible: entries sorted, modes 0644/0755, owner and mtime fixed by
 * {@link packTar}, and a gzip header without time or host. Paths over 100 bytes are written
 * so that LuaRocks' own tar reader unpacks them (see {@link packTar}).
 */
export async function packPluginArchive(plugin: ResolvedPlugin): Promise<Buffer> {
  const rockspec = renderRockspec(plugin);
  const top = plugin.name;
  const files = new Map<string, string>([
    [`${top}/INSTALL.txt`, renderInstallText(plugin, rockspec.fileName)],
    [`${top}/README.md`, renderArchiveReadme(plugin)],
    [`${top}/${rockspec.fileName}`, rockspec.text],
    ...plugin.files.map((file): [string, string] => [`${top}/kong/plugins/${plugin.name}/${file.path}`, file.content]),
  ]);
  const folders = directoriesOf(files.keys()).map((path): TarEntry => ({ path, mode: 0o755 }));
  const contents = [...files].map(([path, content]): TarEntry => ({ path, mode: 0o644, content: Buffer.from(content, "utf8") }));
  const tar = packTar([...folders, ...contents].sort((a, b) => compareStrings(a.path, b.path)));

  const gzip = gzipSync(tar, { level: 9 });
  gzip[9] = GZIP_OS_UNIX;
  return gzip;
}

/** Every parent folder of the given paths, with a trailing slash as tar writes folders. */
function directoriesOf(paths: Iterable<string>): string[] {
  const directories = new Set<string>();
  for (const path of paths) {
    const segments = path.split("/");
    for (let depth = 1; depth < segments.length; depth += 1) directories.add(`${segments.slice(0, depth).join("/")}/`);
  }
  return [...directories];
}
