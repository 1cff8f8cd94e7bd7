import * as pulumi from "@pulumi/pulumi";
import type { OutputFile } from "../core/files";
import { digestsOf, removeWritten, syncFolder, writtenFilesDiffer, type WrittenFiles } from "./folder-sync";

/** Inputs of the folder resource: where, and which files (text) by path. */
export interface ProjectFolderInputs {
  readonly dir: string;
  readonly files: Readonly<Record<string, string>>;
}

/** State of the folder resource: where, and the digest of each file it wrote. */
export interface ProjectFolderOutputs {
  readonly dir: string;
  readonly written: WrittenFiles;
}

/** A `.env` holds secrets: only its owner may read it. */
const SECRET_FILE = /(^|\/)\.env$/;

const toFiles = (files: Readonly<Record<string, string>>): OutputFile[] =>
  Object.entries(files).map(([path, content]) => ({ path, content, mode: SECRET_FILE.test(path) ? 0o600 : 0o644 }));

/**
 * The dynamic provider that materializes a rendered project on disk. It diffs by content
 * hash, rewrites only changed files (atomically: temporary file, then rename), and on delete
 * removes exactly the files it wrote.
 */
export const projectFolderProvider: pulumi.dynamic.ResourceProvider = {
  async diff(_id: string, olds: ProjectFolderOutputs, news: ProjectFolderInputs): Promise<pulumi.dynamic.DiffResult> {
    const moved = olds.dir !== news.dir;
    return {
      changes: moved || writtenFilesDiffer(olds.written ?? {}, digestsOf(toFiles(news.files))),
      ...(moved ? { replaces: ["dir"], deleteBeforeReplace: false } : {}),
    };
  },
  async create(inputs: ProjectFolderInputs): Promise<pulumi.dynamic.CreateResult> {
    const written = syncFolder(inputs.dir, toFiles(inputs.files));
    return { id: inputs.dir, outs: { dir: inputs.dir, written } satisfies ProjectFolderOutputs };
  },
  async update(_id: string, olds: ProjectFolderOutputs, news: ProjectFolderInputs): Promise<pulumi.dynamic.UpdateResult> {
    const written = syncFolder(news.dir, toFiles(news.files), olds.written);
    return { outs: { dir: news.dir, written } satisfies ProjectFolderOutputs };
  },
  async delete(_id: string, props: ProjectFolderOutputs): Promise<void> {
    removeWritten(props.dir, props.written ?? {});
  },
};

/** A folder holding a rendered project, kept in step with it by {@link projectFolderProvider}. */
export class ProjectFolder extends pulumi.dynamic.Resource {
  /** The folder. */
  declare readonly dir: pulumi.Output<string>;
  /** The digest of each file written, by path; a Pulumi secret. */
  declare readonly written: pulumi.Output<WrittenFiles>;

  constructor(name: string, args: { dir: pulumi.Input<string>; files: pulumi.Input<Record<string, pulumi.Input<string>>> }, opts?: pulumi.CustomResourceOptions) {
    // The digests are kept secret: one of a `.env` (or of a file holding a secret given in
    // another input) would let whoever reads the state check a guess of its values offline.
    super(projectFolderProvider, name, { ...args, written: undefined }, { ...opts, additionalSecretOutputs: [...(opts?.additionalSecretOutputs ?? []), "written"] });
  }
}
