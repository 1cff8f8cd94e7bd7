#!/usr/bin/env node
// The `kong-plugins` command: a thin shell over components/.
import "./start-lua";
import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { parseArgs, type ParseArgsConfig } from "node:util";
import { KongPluginsValidationError } from "../components/core/errors";
import { packagePlugin } from "./package-plugin";
import { preview } from "./preview";
import { pluginConfigSchemaText, pluginConfigTypes } from "./schema-commands";
import { UsageError } from "./usage-error";

const USAGE = `usage:
  kong-plugins preview <program> --out <dir> [--stack <name>] [--config key=value ...] [--check]
      Runs a Pulumi TypeScript program offline (the SDK's mocks: no Pulumi CLI, no cloud, no
      credentials) and writes what every component renders into <dir>/<Component>/<name>/,
      with resources.txt and stack-outputs.yaml. Configuration comes from Pulumi.<stack>.yaml
      (stack "dev" by default) and --config; secure values are decrypted with
      PULUMI_CONFIG_PASSPHRASE (or PULUMI_CONFIG_PASSPHRASE_FILE) as Pulumi does. With --check,
      compares with <dir> instead and exits 1 with a unified diff when they differ.
  kong-plugins package <plugin folder> [--name <name>] [--out <dir>]
      Checks a plugin folder (the plugin's own, or a repository root holding
      kong/plugins/<name>/) and writes its rockspec, source archive, KongPluginMetadata and the
      operator CRDs into <dir>/<name>/ (default ./out). The version is handler.lua's VERSION.
  kong-plugins schema <plugin folder> [--name <name>]
      Prints the JSON Schema of the plugin's config, derived from its schema.lua (x-kong-*
      keywords carry the rules JSON Schema cannot say), for YAML language servers and tools.
  kong-plugins types <plugin folder> [--name <name>]
      Prints a TypeScript declaration of the plugin's config, derived from its schema.lua.
  kong-plugins --version
  kong-plugins --help`;

const OPTIONS = {
  out: { type: "string" },
  stack: { type: "string", default: "dev" },
  config: { type: "string", multiple: true, default: [] },
  check: { type: "boolean", default: false },
  name: { type: "string" },
  help: { type: "boolean", default: false },
  version: { type: "boolean", default: false },
} satisfies ParseArgsConfig["options"];

async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseCommandLine(argv);
  if (values.help) return print(USAGE, 0);
  if (values.version) return print(packageVersion(), 0);
  const [command, target, ...extra] = positionals;
  if (extra.length > 0) throw new UsageError(`unexpected argument ${JSON.stringify(extra[0])}`);
  switch (command) {
    case "preview": {
      if (!target) throw new UsageError("preview needs the program's folder");
      if (!values.out) throw new UsageError("preview needs --out <dir>");
      const outcome = await preview({ program: target, out: resolve(values.out), stack: values.stack, config: values.config, check: values.check });
      process.stdout.write(outcome.stdout);
      process.stderr.write(outcome.stderr);
      return outcome.exitCode;
    }
    case "package": {
      if (!target) throw new UsageError("package needs the plugin's folder");
      const written = await packagePlugin({ directory: target, out: resolve(values.out ?? "out"), ...(values.name !== undefined ? { name: values.name } : {}) });
      return print(written.map((path) => `wrote ${path}`).join("\n"), 0);
    }
    case "schema":
    case "types": {
      if (!target) throw new UsageError(`${command} needs the plugin's folder`);
      const folder = { directory: target, ...(values.name !== undefined ? { name: values.name } : {}) };
      return print(command === "schema" ? pluginConfigSchemaText(folder) : pluginConfigTypes(folder).trimEnd(), 0);
    }
    case undefined:
      throw new UsageError("no command given");
    default:
      throw new UsageError(`unknown command ${JSON.stringify(command)}`);
  }
}

function parseCommandLine(argv: string[]) {
  try {
    return parseArgs({ args: argv, allowPositionals: true, strict: true, options: OPTIONS });
  } catch (error) {
    // node:util reports unknown flags and missing flag values as TypeErrors: they are usage errors.
    throw new UsageError((error as Error).message);
  }
}

/** The version of this package, from its own package.json (two folders up from dist/cli/). */
function packageVersion(): string {
  return (JSON.parse(readFileSync(join(__dirname, "..", "..", "package.json"), "utf8")) as { version: string }).version;
}

function print(text: string, code: number): number {
  process.stdout.write(`${text}\n`);
  return code;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    if (error instanceof UsageError) {
      process.stderr.write(`kong-plugins: ${error.message}\n${USAGE}\n`);
      process.exit(2);
    }
    // A validation error is the user's to fix: its message lists every problem; anything else is ours.
    process.stderr.write(`${error instanceof KongPluginsValidationError ? error.message : String((error as Error).stack ?? error)}\n`);
    process.exit(1);
  },
);
