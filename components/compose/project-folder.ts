import * as pulumi from "@pulumi/pulumi";
import type { OutputFile } from "../core/files";
import { canonicalFolder, ownedFolderDiffers, removeOwnedFolder, writeOwnedFolder } from "../core/owned-folder";

/** Inputs of the folder resource: where, and which files (text) by path. */
export interface ProjectFolderInputs {
  readonly dir: string;
  readonly files: Readonly<Record<string, string>>;
}

/** State of the folder resource: where, and the digest of each file it wrote. */
export interface ProjectFolderOutputs {
  readonly dir: string;
  readonly written: Readonly<Record<string, string>>;
}

/** A `.env` holds secrets: only its owner may read it. */
const SECRET_FILE = /(^|\/)\.env$/;

const toFiles = (files: Readonly<Record<string, string>>): OutputFile[] =>
  Object.entries(files).map(([path, content]) => ({ path, content, mode: SECRET_FILE.test(path) ? 0o600 : 0o644 }));

/** The provider runs in the program's folder, which no project folder may replace. */
const options = () => ({ protectedFolders: [process.cwd()] });

/**
 * The dynamic provider that materializes a rendered project on disk through the one folder
 * writer (components/core/owned-folder.ts): it writes only into a new, empty or its own folder,
 * never overwrites or deletes a file it did not write or that changed since, and swaps the
 * folder in whole. Its diff reads the disk, so an edited or removed file shows as a change.
 */
export const projectFolderProvider: pulumi.dynamic.ResourceProvider = {
  async diff(_id: string, olds: ProjectFolderOutputs, news: ProjectFolderInputs): Promise<pulumi.dynamic.DiffResult> {
    // `stack`, `./stack` and its absolute path are one folder: no replacement between them.
    const moved = canonicalFolder(olds.dir) !== canonicalFolder(news.dir);
    return {
      changes: moved || ownedFolderDiffers(news.dir, toFiles(news.files), olds.written ?? {}),
      ...(moved ? { replaces: ["dir"], deleteBeforeReplace: false } : {}),
    };
  },
  async create(inputs: ProjectFolderInputs): Promise<pulumi.dynamic.CreateResult> {
    const { written } = writeOwnedFolder(inputs.dir, toFiles(inputs.files), options());
    return { id: inputs.dir, outs: { dir: inputs.dir, written } satisfies ProjectFolderOutputs };
  },
  async update(_id: string, _olds: ProjectFolderOutputs, news: ProjectFolderInputs): Promise<pulumi.dynamic.UpdateResult> {
    const { written } = writeOwnedFolder(news.dir, toFiles(news.files), options());
    return { outs: { dir: news.dir, written } satisfies ProjectFolderOutputs };
  },
  async delete(_id: string, props: ProjectFolderOutputs): Promise<void> {
    removeOwnedFolder(props.dir);
  },
};

/** A folder holding a rendered project, kept in step with it by {@link projectFolderProvider}. */
export class ProjectFolder extends pulumi.dynamic.Resource {
  /** The folder. */
  declare readonly dir: pulumi.Output<string>;
  /** The digest of each file written, by path; a Pulumi secret. */
  declare readonly written: pulumi.Output<Record<string, string>>;

  constructor(name: string, args: { dir: pulumi.Input<string>; files: pulumi.Input<Record<string, pulumi.Input<string>>> }, opts?: pulumi.CustomResourceOptions) {
    // The digests are kept secret: one of a `.env` (or of a file holding a secret given in
    // another input) would let whoever reads the state check a guess of its values offline.
    super(projectFolderProvider, name, { ...args, written: undefined }, { ...opts, additionalSecretOutputs: [...(opts?.additionalSecretOutputs ?? []), "written"] });
  }
}
