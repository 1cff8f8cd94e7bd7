import { existsSync, readFileSync, statSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { parse as parseYaml } from "yaml";
import { passphraseDecrypter, passphraseFromEnvironment, StackSecretsError, type SecretDecrypter } from "./stack-secrets";
import { UsageError } from "./usage-error";

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
  /** Keys whose values are secrets. */
  readonly secretKeys: string[];
  /** Secure keys that could not be decrypted (no passphrase, or another secrets provider): left unset. */
  readonly unavailableSecretKeys: string[];
}

/**
 * Finds the Pulumi project of `path` (a folder with Pulumi.yaml, or a folder inside one) and
 * its program: Pulumi.yaml's `main`, else the folder itself.
 * @throws UsageError when `path` is not a folder or no Pulumi.yaml is found.
 */
export function loadProject(path: string): PulumiProject {
  const start = resolve(path);
  if (!existsSync(start) || !statSync(start).isDirectory()) throw new UsageError(`program folder ${path} does not exist`);
  let dir = start;
  while (!existsSync(join(dir, "Pulumi.yaml"))) {
    if (dir === dirname(dir)) throw new UsageError(`no Pulumi.yaml in ${start} or above it`);
    dir = dirname(dir);
  }
  const manifest = parseYaml(readFileSync(join(dir, "Pulumi.yaml"), "utf8")) as { name?: string; main?: string } | null;
  if (!manifest?.name) throw new UsageError(`${join(dir, "Pulumi.yaml")} has no name`);
  const programDir = resolve(dir, manifest.main ?? ".");
  const entry = ["index.ts", "index.js"].map((file) => join(programDir, file)).find(existsSync);
  if (!entry) throw new UsageError(`no index.ts or index.js in ${programDir}`);
  return { name: manifest.name, dir, entry };
}

interface StackFile {
  readonly config?: Record<string, unknown>;
  readonly encryptionsalt?: string;
  readonly secretsprovider?: string;
}

/**
 * The stack's configuration: Pulumi.<stack>.yaml's `config`, then `key=value` overrides. Keys
 * without a namespace belong to the project. Secure values are decrypted with the stack's
 * passphrase (PULUMI_CONFIG_PASSPHRASE or PULUMI_CONFIG_PASSPHRASE_FILE) and stay secrets;
 * without it they are left unset and listed in `unavailableSecretKeys`.
 * @throws StackSecretsError for a wrong passphrase or a malformed secure value.
 */
export function loadConfig(project: PulumiProject, stack: string, overrides: readonly string[], env: NodeJS.ProcessEnv = process.env): StackConfig {
  const values: Record<string, string> = {};
  const secretKeys: string[] = [];
  const unavailableSecretKeys = new Set<string>();
  const qualify = (key: string) => (key.includes(":") ? key : `${project.name}:${key}`);
  const stackPath = join(project.dir, `Pulumi.${stack}.yaml`);
  const stackFile: StackFile = existsSync(stackPath) ? ((parseYaml(readFileSync(stackPath, "utf8")) as StackFile | null) ?? {}) : {};
  const passphrase = passphraseFromEnvironment(env);
  // Made on the first secure value only: deriving the key takes a second, on purpose.
  let decrypter: SecretDecrypter | undefined;
  const decrypt = (ciphertext: string): string => {
    decrypter ??= stackDecrypter(stackFile, stackPath, passphrase as string);
    return decrypter(ciphertext);
  };
  for (const [key, value] of Object.entries(stackFile.config ?? {})) {
    if (!holdsSecure(value)) {
      values[qualify(key)] = typeof value === "string" ? value : JSON.stringify(value);
    } else if (passphrase === undefined || (stackFile.secretsprovider ?? "passphrase") !== "passphrase") {
      unavailableSecretKeys.add(qualify(key));
    } else {
      const plain = decryptSecure(value, decrypt);
      values[qualify(key)] = typeof plain === "string" ? plain : JSON.stringify(plain);
      secretKeys.push(qualify(key));
    }
  }
  for (const override of overrides) {
    const separator = override.indexOf("=");
    if (separator <= 0) throw new UsageError(`--config takes key=value, got ${JSON.stringify(override)}`);
    const key = qualify(override.slice(0, separator));
    values[key] = override.slice(separator + 1);
    unavailableSecretKeys.delete(key);
  }
  return { values, secretKeys, unavailableSecretKeys: [...unavailableSecretKeys] };
}

function stackDecrypter(stackFile: StackFile, stackPath: string, passphrase: string): SecretDecrypter {
  if (stackFile.encryptionsalt === undefined) throw new StackSecretsError(`${stackPath} has secure values but no encryptionsalt`);
  return passphraseDecrypter(passphrase, stackFile.encryptionsalt);
}

const isSecure = (value: unknown): value is { secure: string } =>
  value !== null && typeof value === "object" && !Array.isArray(value) && Object.keys(value).length === 1 && typeof (value as { secure?: unknown }).secure === "string";

/** Whether a config value is, or holds (structured config), a secure value. */
function holdsSecure(value: unknown): boolean {
  if (isSecure(value)) return true;
  if (value !== null && typeof value === "object") return Object.values(value).some(holdsSecure);
  return false;
}

function decryptSecure(value: unknown, decrypt: (ciphertext: string) => string): unknown {
  if (isSecure(value)) return decrypt(value.secure);
  if (Array.isArray(value)) return value.map((item) => decryptSecure(item, decrypt));
  if (value !== null && typeof value === "object") return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, decryptSecure(item, decrypt)]));
  return value;
}
