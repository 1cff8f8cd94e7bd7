import { zipSync } from "fflate";
import { packPluginArchive, pluginArchiveName } from "../plugin/archive";
import type { ResolvedPlugin } from "../plugin/model";
import { renderRockspec } from "../plugin/rockspec";

/** `kong-plugin-<name>-<version>-1.src.rock`, the name `luarocks pack <rockspec>` gives it. */
export function sourceRockName(plugin: ResolvedPlugin): string {
  const { packageName, rockVersion } = renderRockspec(plugin);
  return `${packageName}-${rockVersion}.src.rock`;
}

/**
 * Packs the plugin as a LuaRocks source rock: a zip holding the rockspec and the source
 * archive its `source.url` names, which is what `luarocks pack <rockspec>` produces and
 * `luarocks install <file>.src.rock` builds. Reproducible: fixed entry order and times.
 */
export async function packSourceRock(plugin: ResolvedPlugin): Promise<Uint8Array> {
  const rockspec = renderRockspec(plugin);
  // Zip stores local wall-clock fields; building the date from local fields makes those
  // fields 1980-01-01 00:00 (zip's epoch) in every time zone.
  const mtime = new Date(1980, 0, 1, 0, 0, 0);
  return zipSync(
    {
      [rockspec.fileName]: [Buffer.from(rockspec.text, "utf8"), { mtime }],
      [pluginArchiveName(plugin)]: [await packPluginArchive(plugin), { mtime, level: 0 }],
    },
    { level: 9 },
  );
}
