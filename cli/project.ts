import { existsSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { parse as parseYaml } from "yaml";

/** A Pulumi project as `pulumi` would find it: its name, its program, its folder. */
export interface PulumiProject {
  readonly name: string;
  /** The folder of Pulumi.yaml. */
  readonly dir: string;
  /** The program's entry file (index.ts or index.js). */
  readonly entry: string;
}

/** Stack configuration, as `pulumi.runtime.setAllConfig` takes it. */
export interface StackConfig {
  /** `project:key` to value (objects as JSON). */
  readonly values: Record<string, string>;
  /** Keys whose values are secrets (`secure:` in the stack file, which cannot be decrypted offline). */
  readonly secretKeys: string[];
}

/**
 * Finds the Pulumi project of `path` (a folder with Pulumi.yaml, or a folder inside one) and
 * its program: Pulumi.yaml's `main`, else the folder itself.
 */
export function loadProject(path: string): PulumiProject {
  let dir = resolve(path);
  while (!existsSync(join(dir, "Pulumi.yaml"))) {
    if (dir === dirname(dir)) throw new Error(`no Pulumi.yaml in ${resolve(path)} or above it`);
    dir = dirname(dir);
  }
  const manifest = parseYaml(readFileSync(join(dir, "Pulumi.yaml"), "utf8")) as { name?: string; main?: string };
  if (!manifest.name) throw new Error(`${join(dir, "Pulumi.yaml")} has no name`);
  const programDir = resolve(dir, manifest.main ?? ".");
  const entry = ["index.ts", "index.js"].map((file) => join(programDir, file)).find(existsSync);
  if (!entry) throw new Error(`no index.ts or index.js in ${programDir}`);
  return { name: manifest.name, dir, entry };
}

/**
 * The stack's configuration: Pulumi.<stack>.yaml's `config`, then `key=value` overrides.
 * Keys without a namespace belong to the project. Secure values stay secrets, shown as `[secret]`.
 */
export function loadConfig(project: PulumiProject, stack: string, overrides: readonly string[]): StackConfig {
  const values: Record<string, string> = {};
  const secretKeys: string[] = [];
  const qualify = (key: string) => (key.includes(":") ? key : `${project.name}:${key}`);
  const stackFile = join(project.dir, `Pulumi.${stack}.yaml`);
  if (existsSync(stackFile)) {
    const config = (parseYaml(readFileSync(stackFile, "utf8")) as { config?: Record<string, unknown> } | null)?.config ?? {};
    for (const [key, value] of Object.entries(config)) {
      const secure = value !== null && typeof value === "object" && "secure" in (value as object);
      values[qualify(key)] = secure ? "[secret]" : typeof value === "string" ? value : JSON.stringify(value);
      if (secure) secretKeys.push(qualify(key));
    }
  }
  for (const override of overrides) {
    const separator = override.indexOf("=");
    if (separator <= 0) throw new Error(`--config takes key=value, got ${JSON.stringify(override)}`);
    values[qualify(override.slice(0, separator))] = override.slice(separator + 1);
  }
  return { values, secretKeys };
}
