import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import Ajv from "ajv";
import { stableYaml } from "../../components/core/canonical";
import { sharedFixture, tempDir } from "./paths";
import { runTool } from "./tools";

// Its $schema is spelled https://json-schema.org/draft-07/schema, which Ajv does not know by
// that name; the default meta-schema of this draft-07 instance is the same one.
const { $schema: _draft07, ...schema } = JSON.parse(readFileSync(sharedFixture("compose/compose-spec.json"), "utf8"));
const ajv = new Ajv({ allErrors: true, strict: false });
// The compose spec names formats of its own; these are the rules Compose applies to them.
ajv.addFormat("duration", /^([0-9]+(\.[0-9]+)?(ns|us|ms|s|m|h))+$/);
ajv.addFormat("ports", /^((\[?[0-9a-fA-F.:]+\]?:)?([0-9]+(-[0-9]+)?:)?[0-9]+(-[0-9]+)?(\/(tcp|udp|sctp))?)$/);
ajv.addFormat("expose", /^[0-9]+(-[0-9]+)?(\/(tcp|udp|sctp))?$/);
const validate = ajv.compile(schema);

/** Problems the compose specification's JSON Schema finds in a compose document. */
export function composeSchemaProblems(document: unknown): string[] {
  return validate(document) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath || "/"} ${e.message}`);
}

/**
 * Writes the document (and any extra files) to a folder and runs `docker-compose config`
 * there (Debian's docker-compose 1.29; no daemon needed). Returns its status and output: the
 * resolved configuration, with interpolation applied.
 */
export function dockerComposeConfig(document: unknown, files: Record<string, string> = {}, env: Record<string, string> = {}): { status: number; stdout: string; stderr: string } {
  const dir = tempDir("compose-");
  writeFileSync(join(dir, "docker-compose.yaml"), stableYaml(document));
  for (const [path, content] of Object.entries(files)) writeFileSync(join(dir, path), content);
  return runTool("docker-compose", ["-f", join(dir, "docker-compose.yaml"), "config"], { cwd: dir, env: { PATH: process.env.PATH ?? "", ...env } });
}
