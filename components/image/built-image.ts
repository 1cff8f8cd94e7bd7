import { join } from "node:path";
import * as docker from "@pulumi/docker";
import * as pulumi from "@pulumi/pulumi";
import type { BuildContext } from "./build-context";
import { reportArtifacts } from "../core/artifacts";
import { replaceDirectory } from "../core/files";

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
  readonly registry?: ImageRegistry;
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
   * Folder the build context is written to, relative to the program's working directory.
   * It is replaced on every run and holds nothing but the context.
   * @default - `.kong-plugins/<resource name>`
   */
  readonly contextDir?: string;
}

/** Renders a build context; `parent` is the component, for errors that name it. */
export type RenderContext = (parent: pulumi.Resource) => pulumi.Output<BuildContext>;

/**
 * Base of the components that write a build context and register one `docker.Image` on it
 * (child `${name}-image`). The registry password stays a secret; the context's digest is an
 * output, so a preview shows a rebuild exactly when the context's content changes.
 */
export abstract class BuiltImage extends pulumi.ComponentResource {
  /** The rendered Dockerfile. */
  readonly dockerfile: pulumi.Output<string>;
  /** `sha256:` digest of the build context (paths, modes, contents). */
  readonly contextDigest: pulumi.Output<string>;
  /** The image's name. */
  readonly imageName: pulumi.Output<string>;
  /** `repository@sha256:...` of the pushed image (of the local image when not pushed). */
  readonly repoDigest: pulumi.Output<string>;
  /** The registered `docker.Image`. */
  readonly image: docker.Image;

  protected constructor(type: string, name: string, args: ImageBuildArgs, render: RenderContext, opts?: pulumi.ComponentResourceOptions) {
    super(type, name, {}, opts);
    const contextDir = args.contextDir ?? join(".kong-plugins", name);
    const written = render(this).apply((context) => {
      replaceDirectory(contextDir, context.files);
      return context;
    });
    const push = pulumi.output(args.push).apply((push) => push ?? args.registry !== undefined);
    const registry = args.registry && {
      server: args.registry.server,
      ...(args.registry.username !== undefined ? { username: args.registry.username } : {}),
      ...(args.registry.password !== undefined ? { password: pulumi.secret(args.registry.password) } : {}),
    };
    this.image = new docker.Image(
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
        ...(registry ? { registry } : {}),
      },
      { parent: this },
    );
    reportArtifacts({
      type,
      name,
      // The whole build context, so a reviewer (or a builder) sees exactly what will be built.
      files: written.apply((context) => ({
        ...Object.fromEntries(context.files.map((file) => [`context/${file.path}`, file.content])),
        "context-digest.txt": `${context.digest}\n`,
      })),
    });
    this.dockerfile = written.dockerfile;
    this.contextDigest = written.digest;
    this.imageName = this.image.imageName;
    this.repoDigest = this.image.repoDigest;
  }
}
