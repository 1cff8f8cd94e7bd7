import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { createTwoFilesPatch } from "diff";
import { stableYaml } from "../components/core/canonical";
import { compareStrings } from "../components/core/digest";
import { KongPluginsValidationError } from "../components/core/errors";
import { MANIFEST_FILE, ownedFolderIssues, writeOwnedFolder } from "../components/core/owned-folder";
import { loadConfig, loadProject, type StackConfig } from "./project";
import { StackSecretsError } from "./stack-secrets";
import { UsageError } from "./usage-error";
import { runProgram, type RecordedResource } from "./run-program";

/** Options of `kong-plugins preview`. */
export interface PreviewOptions {
  readonly program: string;
  readonly out: string;
  readonly stack: string;
  readonly config: readonly string[];
  readonly check: boolean;
}

/** The outcome: the exit code and what to print. */
export interface PreviewOutcome {
  readonly exitCode: number;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Runs a Pulumi program offline and writes every component's rendered artifacts into a
 * stable tree (`<dir>/<Component>/<name>/...`), plus `resources.txt` (the resource tree) and
 * `stack-outputs.yaml`. With `check`, compares with the existing tree instead and fails with a
 * unified diff when they differ: the PR check.
 */
export async function preview(options: PreviewOptions): Promise<PreviewOutcome> {
  const project = loadProject(options.program);
  // Checked before the program runs: a preview that could not be written is refused at once.
  const folder = { protectedFolders: [project.dir], fixedTimes: true };
  const refused = options.check ? [] : ownedFolderIssues(options.out, undefined, folder);
  if (refused.length > 0) throw new UsageError(new KongPluginsValidationError(refused, `the preview folder ${options.out}`).message);
  let config: StackConfig;
  try {
    config = loadConfig(project, options.stack, options.config);
  } catch (error) {
    if (!(error instanceof StackSecretsError)) throw error;
    return { exitCode: 1, stdout: "", stderr: `Pulumi.${options.stack}.yaml: ${error.message}\n` };
  }
  const notice = unavailableSecretsNotice(options.stack, config);
  const run = await runProgram(project, options.stack, config);
  if (run.errors.length > 0) {
    return { exitCode: 1, stdout: "", stderr: `${notice}${project.name} (${options.stack}) failed:\n${run.errors.map((error) => `${error}\n`).join("")}` };
  }
  const tree = new Map(run.files);
  tree.set("resources.txt", Buffer.from(resourceTree(run.resources)));
  tree.set("stack-outputs.yaml", Buffer.from(stableYaml(run.outputs)));

  if (options.check) {
    const differences = diffTrees(readTree(options.out), tree);
    return differences === ""
      ? { exitCode: 0, stdout: `${options.out} is up to date (${tree.size} files)\n`, stderr: notice }
      : { exitCode: 1, stdout: differences, stderr: `${notice}${options.out} differs from what the program renders now; run kong-plugins preview without --check to update it\n` };
  }
  writeOwnedFolder(options.out, [...tree].map(([path, content]) => ({ path, content })), folder);
  return { exitCode: 0, stdout: `wrote ${tree.size} files to ${options.out}\n`, stderr: notice };
}

/** Said once, before anything else: which secure keys the program runs without, and how to supply them. */
function unavailableSecretsNotice(stack: string, config: StackConfig): string {
  if (config.unavailableSecretKeys.length === 0) return "";
  return (
    `Pulumi.${stack}.yaml: the secure values of ${config.unavailableSecretKeys.join(", ")} cannot be decrypted here ` +
    "(set PULUMI_CONFIG_PASSPHRASE or PULUMI_CONFIG_PASSPHRASE_FILE for a passphrase stack, or pass --config key=value); " +
    "the program runs without them\n"
  );
}

/** The resource tree, one resource a line (`type name`), children indented under their parent, in a stable order. */
export function resourceTree(resources: readonly RecordedResource[]): string {
  const children = new Map<string, RecordedResource[]>();
  for (const resource of resources) children.set(resource.parent, [...(children.get(resource.parent) ?? []), resource]);
  const lines: string[] = [];
  const visit = (parent: string, depth: number) => {
    const sorted = [...(children.get(parent) ?? [])].sort((a, b) => compareStrings(a.type, b.type) || compareStrings(a.name, b.name));
    for (const resource of sorted) {
      lines.push(`${"  ".repeat(depth)}${resource.type} ${resource.name}`);
      visit(resource.urn, depth + 1);
    }
  };
  visit("", 0);
  return `${lines.join("\n")}\n`;
}

function readTree(dir: string): Map<string, Buffer> {
  const tree = new Map<string, Buffer>();
  if (!existsSync(dir)) return tree;
  const walk = (current: string) => {
    for (const entry of readdirSync(current).sort(compareStrings)) {
      const path = join(current, entry);
      if (statSync(path).isDirectory()) walk(path);
      // The manifest records what the preview wrote; it is not part of what the program renders.
      else if (path !== join(dir, MANIFEST_FILE)) tree.set(relative(dir, path).split("\\").join("/"), readFileSync(path));
    }
  };
  walk(dir);
  return tree;
}

const isText = (content: Buffer) => !content.includes(0) && Buffer.from(content.toString("utf8"), "utf8").equals(content);

/** A unified diff of two trees (files added, removed or changed), empty when they are equal. */
export function diffTrees(before: Map<string, Buffer>, after: Map<string, Buffer>): string {
  const paths = [...new Set([...before.keys(), ...after.keys()])].sort(compareStrings);
  return paths
    .map((path) => {
      const old = before.get(path);
      const current = after.get(path);
      if (old && current && old.equals(current)) return "";
      if ((old && !isText(old)) || (current && !isText(current))) return `Binary files a/${path} and b/${path} differ\n`;
      return createTwoFilesPatch(old ? `a/${path}` : "/dev/null", current ? `b/${path}` : "/dev/null", old?.toString("utf8") ?? "", current?.toString("utf8") ?? "", undefined, undefined, { context: 3 });
    })
    .join("");
}
