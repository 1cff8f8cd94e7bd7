import { join } from "node:path";
import * as docker from "@pulumi/docker";
import * as pulumi from "@pulumi/pulumi";
import type { BuildContext } from "./build-context";
import { collectingArtifacts, reportArtifacts } from "../core/artifacts";
import { sha256Hex } from "../core/digest";
import { writeOwnedFolder } from "../core/owned-folder";
import { withoutUndefined } from "../core/objects";

/** A registry to push to. */
export interface ImageRegistry {
  /** Registry host, e.g. `ghcr.io` or `123456789012.dkr.ecr.eu-west-1.amazonaws.com`. */
  readonly server: pulumi.Input<string>;
  /**
   * User name to log in with.
   * @default - no login
   */
  readonly username?: pulumi.Input<string>;
  /**
   * Password or token; always kept a Pulumi secret.
   * @default - no login
   */
  readonly password?: pulumi.Input<string>;
}

/** Arguments every image component shares: where the image goes and how it is built. */
export interface ImageBuildArgs {
  /** The image's name, `repository:tag`, e.g. `ghcr.io/acme/kong-gateway:1.0.0`. */
  readonly imageName: pulumi.Input<string>;
  /**
   * The registry to push to.
   * @default - the image is only built, not pushed
   */
  readonly registry?: pulumi.Input<ImageRegistry>;
  /**
   * Whether to push the image after building it.
   * @default - true when a registry is given, false otherwise
   */
  readonly push?: pulumi.Input<boolean>;
  /**
   * Target platform, e.g. `linux/amd64`.
   * @default - the builder's own platform
   */
  readonly platform?: pulumi.Input<string>;
  /**
   * Folder the build context is written to, relative to the program's working directory: a
   * new, empty or earlier build context folder (any other is refused, never overwritten).
   * @default - `.kong-plugins/<resource name>` (names that are not one plain path segment are made safe)
   */
  readonly contextDir?: string;
}

/**
 * The build context's folder name under `.kong-plugins/`, from the resource name: the name
 * itself when it is one plain path segment, else its safe characters and a digest of it, so
 * that no resource name (`../src`) reaches outside `.kong-plugins/`.
 */
export function contextFolderName(resourceName: string): string {
  if (/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(resourceName)) return resourceName;
  return `${resourceName.replace(/[^A-Za-z0-9._-]/g, "_").replace(/^[._-]+/, "") || "image"}-${sha256Hex(resourceName).slice(0, 12)}`;
}

/** What building an image gives its component. */
export interface BuiltImageOutputs {
  /** The rendered Dockerfile. */
  readonly dockerfile: pulumi.Output<string>;
  /** `sha256:` digest of the build context (paths, modes, contents). */
  readonly contextDigest: pulumi.Output<string>;
  /** The image's name. */
  readonly imageName: pulumi.Output<string>;
  /** `repository@sha256:...` of the pushed image (of the local image when not pushed). */
  readonly repoDigest: pulumi.Output<string>;
  /** The image by digest once pushed (so what runs is exactly what was built), by name until then. */
  readonly reference: pulumi.Output<string>;
}

/**
 * Writes a build context and registers one `docker.Image` on it as a child of `parent`
 * (`${name}-image`). The registry password stays a secret; the context's digest is an output,
 * so a preview shows a rebuild exactly when the context's content changes.
 */
export function buildImage(parent: pulumi.ComponentResource, type: string, name: string, args: ImageBuildArgs, context: pulumi.Output<BuildContext>): BuiltImageOutputs {
  const contextDir = args.contextDir ?? join(".kong-plugins", contextFolderName(name));
  const written = context.apply((rendered) => {
    // docker's provider reads the Dockerfile and hashes the context in `pulumi preview` as in
    // `up` (its Check), so Pulumi needs it on disk; the offline preview only shows it.
    if (!collectingArtifacts()) writeOwnedFolder(contextDir, rendered.files, { protectedFolders: [process.cwd()], fixedTimes: true });
    return rendered;
  });
  const push = pulumi.output(args.push).apply((value) => value ?? args.registry !== undefined);
  const registry = pulumi.output(args.registry).apply((given) => given && withoutUndefined({ server: given.server, username: given.username, password: given.password === undefined ? undefined : pulumi.secret(given.password) }));
  const image = new docker.Image(
    `${name}-image`,
    {
      imageName: args.imageName,
      // Depending on `written` makes the build wait until the context is on disk.
      build: {
        context: written.apply(() => contextDir),
        dockerfile: written.apply(() => join(contextDir, "Dockerfile")),
        ...(args.platform !== undefined ? { platform: args.platform } : {}),
      },
      skipPush: push.apply((value) => !value),
      ...(args.registry !== undefined ? { registry: registry as pulumi.Output<docker.types.input.Registry> } : {}),
    },
    { parent },
  );
  reportArtifacts({
    type,
    name,
    // The whole build context, so a reviewer (or a builder) sees exactly what will be built.
    files: written.apply((rendered) => ({
      ...Object.fromEntries(rendered.files.map((file) => [`context/${file.path}`, file.content])),
      "context-digest.txt": `${rendered.digest}\n`,
    })),
  });
  // The SDK never settles the outputs of a child whose inputs failed (its registration is
  // dropped), so every output taken from the image is tied to the checked context: when the
  // plugins or the image spec fail, these reject with that error instead of staying pending.
  const checked = (output: pulumi.Output<string>): pulumi.Output<string> => pulumi.all([written, output]).apply(([, value]) => value);
  const imageName = checked(image.imageName);
  const repoDigest = checked(image.repoDigest);
  return {
    dockerfile: written.dockerfile,
    contextDigest: written.digest,
    imageName,
    repoDigest,
    reference: pulumi.all([imageName, repoDigest]).apply(([name, digest]) => (digest && digest.includes("@sha256:") ? digest : name)),
  };
}
