#!/usr/bin/env node
// The `kong-plugins` command: a thin shell over components/.
import { resolve } from "node:path";
import { parseArgs } from "node:util";
import { KongPluginsValidationError, renderPluginArtifacts, writeFilesAtomically } from "pulumi-kong-plugins";
import { demoRateLimit, rateLimitExample } from "../examples/quickstart/rate-limit-example";
import { preview } from "./preview";

const USAGE = `usage:
  kong-plugins preview <program> --out <dir> [--stack <name>] [--config key=value ...] [--check]
      Runs a Pulumi TypeScript program offline (the SDK's mocks: no Pulumi CLI, no cloud, no
      credentials) and writes what every component renders into <dir>/<Component>/<name>/,
      with resources.txt and stack-outputs.yaml. Configuration comes from Pulumi.<stack>.yaml
      (stack "dev" by default) and --config. With --check, compares with <dir> instead and
      exits 1 with a unified diff when they differ.
  kong-plugins render-plugin [--out <dir>]
      Renders the example plugin's rockspec, archive and resources (default ./out).`;

async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      out: { type: "string" },
      stack: { type: "string", default: "dev" },
      config: { type: "string", multiple: true, default: [] },
      check: { type: "boolean", default: false },
      help: { type: "boolean", default: false },
    },
  });
  const [command, program] = positionals;
  if (values.help) return print(USAGE, 0);
  if (command === "preview" && program && values.out) {
    const outcome = await preview({ program, out: resolve(values.out), stack: values.stack as string, config: values.config as string[], check: values.check as boolean });
    process.stdout.write(outcome.stdout);
    process.stderr.write(outcome.stderr);
    return outcome.exitCode;
  }
  if (command === "render-plugin") {
    // Everything is rendered in memory first: a validation failure writes nothing.
    const files = await renderPluginArtifacts({ plugin: rateLimitExample(), instances: [demoRateLimit], namespace: "kong" });
    writeFilesAtomically(resolve(values.out ?? "out"), files);
    return print(files.map((file) => `wrote ${file.path}`).join("\n"), 0);
  }
  return print(USAGE, 2);
}

function print(text: string, code: number): number {
  process.stdout.write(`${text}\n`);
  return code;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`${error instanceof KongPluginsValidationError ? error.message : String((error as Error).stack ?? error)}\n`);
    process.exit(1);
  },
);
