#!/usr/bin/env node
// The `kong-plugins` command: a thin shell over components/.
import { resolve } from "node:path";
import { parseArgs } from "node:util";
import { KongPluginsValidationError, renderPluginArtifacts, writeFilesAtomically } from "pulumi-kong-plugins";
import { demoRateLimit, rateLimitExample } from "../examples/quickstart/rate-limit-example";

const USAGE = `usage: kong-plugins render-plugin [--out DIR]

  render-plugin   render the quickstart plugin (rate-limit-example) and its demo instance:
                  rockspec, source archive, operator CRDs and CRs, Ingress Controller CRs,
                  kong.yaml entries. Default output folder: ./out`;

async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({ args: argv, options: { out: { type: "string", default: "out" }, help: { type: "boolean" } }, allowPositionals: true });
  const [command] = positionals;
  if (values.help || command !== "render-plugin") {
    process.stdout.write(`${USAGE}\n`);
    return values.help ? 0 : 2;
  }
  const outDir = resolve(values.out as string);
  // Everything is rendered in memory first: a validation failure writes nothing.
  const files = await renderPluginArtifacts({ plugin: rateLimitExample(), instances: [demoRateLimit], namespace: "kong" });
  writeFilesAtomically(outDir, files);
  for (const file of files) process.stdout.write(`wrote ${file.path}\n`);
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`${error instanceof KongPluginsValidationError ? error.message : String((error as Error).stack ?? error)}\n`);
    process.exit(1);
  },
);
