import { gzipSync } from "node:zlib";
import { pack as tarPack, type Header } from "tar-stream";
import { compareStrings } from "../core/digest";
import { renderInstallText, renderArchiveReadme } from "./archive-docs";
import type { ResolvedPlugin } from "./model";
import { renderRockspec } from "./rockspec";

/** The archive's file name: `<name>-<version>.tar.gz`, which the rendered rockspec's `source.url` names. */
export function pluginArchiveName(plugin: Pick<ResolvedPlugin, "name" | "version">): string {
  return `${plugin.name}-${plugin.version}.tar.gz`;
}

/** Every entry's modification time: the epoch, so that no clock reaches the archive. */
const FIXED_MTIME = new Date(0);
/** gzip's header "operating system" byte, fixed to Unix so every platform emits the same bytes. */
const GZIP_OS_UNIX = 3;

/**
 * Packs the plugin as Kong's documentation lays out a source archive:
 * `<name>/{INSTALL.txt, README.md, kong/plugins/<name>/..., kong-plugin-<name>-<version>-1.rockspec}`.
 * Byte-for-byte reproducible: entries sorted, owner 0:0 with no user names, modes 0644/0755,
 * a fixed mtime, and a gzip header without time or host.
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
  const entries = [...directoriesOf(files.keys()), ...files.keys()].sort(compareStrings);

  const tar = tarPack();
  const chunks: Buffer[] = [];
  tar.on("data", (chunk: unknown) => chunks.push(chunk as Buffer));
  const finished = new Promise<void>((resolve, reject) => {
    tar.on("end", resolve);
    tar.on("error", reject);
  });
  for (const entry of entries) {
    const content = files.get(entry);
    if (content === undefined) tar.entry(header(entry, "directory", 0o755));
    else tar.entry(header(entry, "file", 0o644), Buffer.from(content, "utf8"));
  }
  tar.finalize();
  await finished;

  const gzip = gzipSync(Buffer.concat(chunks), { level: 9 });
  gzip[9] = GZIP_OS_UNIX;
  return gzip;
}

function header(name: string, type: "file" | "directory", mode: number): Partial<Header> & { name: string } {
  return { name, type, mode, mtime: FIXED_MTIME, uid: 0, gid: 0, uname: "", gname: "" };
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
