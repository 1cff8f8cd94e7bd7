import { digestFiles } from "../core/digest";
import type { TreeFile } from "../core/files";
import { writeOwnedFolder } from "../core/owned-folder";
import { asResolvedImage, contextPluginDir, CONTEXT_ROCKS_DIR, renderDockerfile } from "./dockerfile";
import { PluginInstallMode, type GatewayImageSpec, type ResolvedGatewayImage } from "./gateway-spec";
import { packSourceRock, sourceRockName } from "./source-rock";

/** A build context: the files it holds (modes normalized), its Dockerfile and its digest. */
export interface BuildContext {
  /** Every file, sorted by path: the Dockerfile, `.dockerignore`, and what the Dockerfile copies. */
  readonly files: readonly TreeFile[];
  /** The Dockerfile's text. */
  readonly dockerfile: string;
  /** `sha256:` digest of paths, modes and contents: equal contexts have equal digests. */
  readonly digest: string;
}

/** Files 0644 and folders 0755: readable by everyone, writable by their owner (root in the image). */
export const FILE_MODE = 0o644;

/** A `.dockerignore` that admits only the given top-level entries, so nothing else can leak in. */
export function renderDockerignore(admitted: readonly string[]): string {
  return ["# Rendered by pulumi-kong-plugins: the context holds only what the Dockerfile uses.", "*", ...admitted.map((entry) => `!${entry}`)].join("\n") + "\n";
}

/** Assembles a context from its Dockerfile and payload files, adding `.dockerignore` and the digest. */
export function assembleContext(dockerfile: string, payload: readonly TreeFile[], admitted: readonly string[]): BuildContext {
  const files = [
    { path: "Dockerfile", content: dockerfile, mode: FILE_MODE },
    { path: ".dockerignore", content: renderDockerignore(["Dockerfile", ...admitted]), mode: FILE_MODE },
    ...payload,
  ].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return { files, dockerfile, digest: digestFiles(files) };
}

/** Renders the gateway image's build context in memory. */
export async function renderBuildContext(spec: GatewayImageSpec | ResolvedGatewayImage): Promise<BuildContext> {
  const image = asResolvedImage(spec);
  const dockerfile = renderDockerfile(image);
  switch (image.installMode) {
    case PluginInstallMode.Copy: {
      const payload = image.plugins.flatMap((plugin) =>
        plugin.files.map((file) => ({ path: `${contextPluginDir(plugin.name)}/${file.path}`, content: file.content, mode: FILE_MODE })),
      );
      return assembleContext(dockerfile, payload, image.plugins.length > 0 ? ["plugins"] : []);
    }
    case PluginInstallMode.LuaRocks: {
      const payload = await Promise.all(
        image.plugins.map(async (plugin) => ({ path: `${CONTEXT_ROCKS_DIR}/${sourceRockName(plugin)}`, content: await packSourceRock(plugin), mode: FILE_MODE })),
      );
      return assembleContext(dockerfile, payload, image.plugins.length > 0 ? [CONTEXT_ROCKS_DIR] : []);
    }
    default: {
      const unreachable: never = image.installMode;
      throw new Error(`unknown install mode ${String(unreachable)}`);
    }
  }
}

/**
 * Writes the gateway image's build context into `dir` (a new, empty or earlier build context
 * folder; any other is refused): the Dockerfile, `.dockerignore` and the plugin files, with
 * modes 0644/0755 and a fixed time, and the writer's manifest, which `.dockerignore` keeps out
 * of the build. The returned digest depends only on the content, so two checkouts made with a
 * different umask or at different times give the same digest (and previews no spurious rebuild).
 */
export async function writeBuildContext(spec: GatewayImageSpec | ResolvedGatewayImage, dir: string): Promise<BuildContext> {
  const context = await renderBuildContext(spec);
  writeOwnedFolder(dir, context.files, { fixedTimes: true });
  return context;
}
