import { createHash } from "node:crypto";
import { compareStrings, digestFiles } from "../core/digest";
import type { ResolvedPlugin } from "./model";

/**
 * One digest over every plugin's name, version and files, in name order: it changes exactly
 * when a plugin's content does (an image's plugins label, pods' plugin checksum).
 */
export function pluginsDigest(plugins: readonly Pick<ResolvedPlugin, "name" | "version" | "files">[]): string {
  const lines = [...plugins]
    .sort((a, b) => compareStrings(a.name, b.name))
    .map((plugin) => `${plugin.name}@${plugin.version} ${digestFiles(plugin.files)}\n`)
    .join("");
  return `sha256:${createHash("sha256").update(lines).digest("hex")}`;
}
