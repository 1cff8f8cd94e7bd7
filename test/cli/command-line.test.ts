import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import { compiledValidator } from "../../components/core/ajv";
import { parse as parseYaml } from "yaml";
import { examplePluginDir, repoRoot, tempDir } from "../helpers/paths";
import { linkedProject } from "../helpers/program";
import { passphraseStack } from "../helpers/stack-config";

const CLI = join(repoRoot, "dist", "cli", "kong-plugins.js");

function cli(args: string[], options: { cwd?: string; env?: Record<string, string | undefined> } = {}) {
  const env = { ...process.env, PULUMI_CONFIG_PASSPHRASE: undefined, PULUMI_CONFIG_PASSPHRASE_FILE: undefined, ...options.env };
  const result = spawnSync(process.execPath, [CLI, ...args], { cwd: options.cwd ?? repoRoot, encoding: "utf8", env: env as NodeJS.ProcessEnv });
  return { status: result.status ?? -1, stdout: result.stdout, stderr: result.stderr };
}

const PLUGIN = `new PluginMetadata("rl", { name: "rate-limit-example", version: VERSION, source: { directory: "plugins/rate-limit-example" } })`;

/** A program of every failure class, each exporting the image's repoDigest, whose child never registers. */
function failingProgram(failure: { version?: string; config?: string; service?: string; baseImage?: string }): string {
  return `import { ComposeStack, GatewayImage, PluginInstance, PluginMetadata } from "pulumi-kong-plugins";
const VERSION = ${JSON.stringify(failure.version ?? "1.0.0")};
const plugin = ${PLUGIN};
const limit = new PluginInstance("limit", { plugin: plugin.definition, config: ${failure.config ?? "{ limit: 5 }"}, service: ${JSON.stringify(failure.service ?? "echo")} });
const gateway = new GatewayImage("gateway", { plugins: [plugin.definition], imageName: "r.example/kong:1", baseImage: ${JSON.stringify(failure.baseImage ?? "kong/kong-gateway:3.10")} });
new ComposeStack("local", { gatewayImage: gateway.definition, instances: [limit.definition], services: [{ name: "echo", url: "http://echo:8080" }] });
export const image = gateway.repoDigest;
export const instance = limit.definition;
`;
}

describe("kong-plugins command line", () => {
  it("schema prints the JSON Schema derived from schema.lua, which ajv compiles and which judges configs as schema.lua does", () => {
    const run = cli(["schema", examplePluginDir]);
    assert.equal(run.status, 0, run.stderr);
    const schema = JSON.parse(run.stdout) as { properties: Record<string, unknown>; required: string[] };
    assert.deepEqual([Object.keys(schema.properties).sort(), schema.required], [["limit", "period"], ["limit"]]);
    const validate = compiledValidator(schema);
    assert.deepEqual([validate({ limit: 1 }), validate({ limit: 0 }), validate({ limit: 1, period: "week" }), validate({ limit: 1, other: 1 })], [true, false, false, false]);
  });

  it("--version prints the package's version and --help the usage, both exit 0", () => {
    const version = cli(["--version"]);
    assert.equal(version.status, 0);
    assert.equal(version.stdout.trim(), JSON.parse(readFileSync(join(repoRoot, "package.json"), "utf8")).version);
    const help = cli(["--help"]);
    assert.equal(help.status, 0);
    assert.match(help.stdout, /^usage:\n  kong-plugins preview <program>/);
  });

  for (const [why, args, said] of [
    ["an unknown command", ["explode"], /unknown command "explode"/],
    ["no command", [], /no command given/],
    ["an unknown flag", ["preview", ".", "--out", "x", "--bogus"], /Unknown option '--bogus'/],
    ["a flag without its value", ["preview", ".", "--out"], /--out/],
    ["a missing program folder", ["preview", "./nope", "--out", "x"], /program folder \.\/nope does not exist/],
    ["a folder with no Pulumi.yaml above it", ["preview", "/", "--out", "x"], /no Pulumi\.yaml in \/ or above it/],
    ["preview without --out", ["preview", "."], /preview needs --out/],
    ["package without a folder", ["package"], /package needs the plugin's folder/],
    ["schema without a folder", ["schema"], /schema needs the plugin's folder/],
    ["types of a folder that is not one", ["types", "./nope"], /\.\/nope is not a folder/],
  ] as const) {
    it(`${why}: says what is wrong and the usage, no stack trace, exit 2`, () => {
      const run = cli([...args]);
      assert.equal(run.status, 2, run.stderr);
      assert.match(run.stderr, said);
      assert.match(run.stderr, /usage:\n  kong-plugins preview/);
      assert.doesNotMatch(run.stderr, /\n\s+at /, "no stack trace");
    });
  }

  for (const [failure, broken, expected] of [
    ["plugin", { version: "2.0.0-beta" }, /version: must be numbers separated by dots .* \(received "2\.0\.0-beta"/],
    ["instance", { config: `{ limit: 0 }` }, /config\.limit: value must be greater than 0/],
    ["stack", { service: "orders" }, /orders/],
    ["image", { baseImage: "not an image!" }, /baseImage/],
  ] as const) {
    it(`a ${failure} that fails validation prints its problem and exits 1, with the image's repoDigest exported`, () => {
      const out = join(tempDir("cli-out-"), "out");
      const run = cli(["preview", linkedProject(failingProgram(broken)), "--out", out]);
      assert.equal(run.status, 1, `${run.stdout}${run.stderr}`);
      assert.match(run.stderr, /program \(dev\) failed:/);
      assert.match(run.stderr, expected);
      assert.doesNotMatch(run.stderr, /promises were still active/);
      assert.doesNotMatch(run.stderr, /never settled/, "every output of a failed component rejects");
    });
  }

  it("refuses to write a preview over the program's folder, a folder holding it, or a folder of someone else's files, and writes nothing", () => {
    const program = linkedProject("export const answer = 42;\n");
    for (const out of [program, join(program, "..")]) {
      const run = cli(["preview", program, "--out", out]);
      assert.equal(run.status, 2, run.stderr);
      assert.match(run.stderr, /is, or holds, .*, whose files writing this folder would replace/);
    }
    assert.equal(readFileSync(join(program, "index.ts"), "utf8"), "export const answer = 42;\n", "the program is untouched");
    const theirs = tempDir("cli-theirs-");
    writeFileSync(join(theirs, "notes.md"), "mine\n");
    const refused = cli(["preview", program, "--out", theirs]);
    assert.equal(refused.status, 2);
    assert.match(refused.stderr, /holds files kong-plugins did not write \(notes\.md\)/);
    assert.equal(readFileSync(join(theirs, "notes.md"), "utf8"), "mine\n");
    const out = join(tempDir("cli-out-"), "preview");
    assert.equal(cli(["preview", program, "--out", out]).status, 0);
    assert.equal(cli(["preview", program, "--out", out]).status, 0, "a previous preview may be replaced");
  });

  it("a program whose output can never settle is reported, not left to end the process silently", () => {
    const run = cli(["preview", linkedProject("export const never = new Promise(() => {});\n"), "--out", join(tempDir(), "out")]);
    assert.equal(run.status, 1);
    assert.match(run.stderr, /the stack output "never" never settled/);
  });

  describe("secure configuration", () => {
    const program = `import * as pulumi from "@pulumi/pulumi";
const config = new pulumi.Config();
export const limit = pulumi.unsecret(config.requireSecretNumber("rateLimit"));
export const nested = pulumi.unsecret(config.requireSecretObject<{ user: string; password: string }>("database")).apply((db) => db.password);
export const stillSecret = config.requireSecret("token");
export const plain = config.require("region");
`;
    const stack = passphraseStack("correct horse battery staple");
    const stackFile = {
      encryptionsalt: stack.encryptionsalt,
      config: {
        "program:rateLimit": { secure: stack.encrypt("42") },
        "program:database": { user: "kong", password: { secure: stack.encrypt("s3cr3t pass") } },
        "program:token": { secure: stack.encrypt("TOKEN-VALUE") },
        "program:region": "eu-west-1",
      },
    };

    it("are decrypted with PULUMI_CONFIG_PASSPHRASE as Pulumi's passphrase provider does, and stay secrets", () => {
      const dir = linkedProject(program, stackFile);
      const out = join(tempDir(), "out");
      const run = cli(["preview", dir, "--out", out], { env: { PULUMI_CONFIG_PASSPHRASE: "correct horse battery staple" } });
      assert.equal(run.status, 0, run.stderr);
      const outputs = parseYaml(readFileSync(join(out, "stack-outputs.yaml"), "utf8"));
      assert.deepEqual(outputs, { limit: 42, nested: "s3cr3t pass", stillSecret: "[secret]", plain: "eu-west-1" });
    });

    it("are decrypted with PULUMI_CONFIG_PASSPHRASE_FILE too", () => {
      const passphraseFile = join(tempDir(), "passphrase");
      writeFileSync(passphraseFile, "correct horse battery staple\n");
      const out = join(tempDir(), "out");
      const run = cli(["preview", linkedProject(program, stackFile), "--out", out], { env: { PULUMI_CONFIG_PASSPHRASE_FILE: passphraseFile } });
      assert.equal(run.status, 0, run.stderr);
      assert.equal(parseYaml(readFileSync(join(out, "stack-outputs.yaml"), "utf8")).limit, 42);
    });

    it("a wrong passphrase is said once, in Pulumi's words, and nothing runs", () => {
      const run = cli(["preview", linkedProject(program, stackFile), "--out", join(tempDir(), "out")], { env: { PULUMI_CONFIG_PASSPHRASE: "wrong" } });
      assert.equal(run.status, 1);
      assert.match(run.stderr, /incorrect passphrase/);
      assert.equal(run.stderr.match(/incorrect passphrase/g)?.length, 1);
    });

    it("without a passphrase, names the secret keys once and never passes `[secret]` into the program", () => {
      const lenient = `import * as pulumi from "@pulumi/pulumi";
const config = new pulumi.Config();
export const limit = config.getSecretNumber("rateLimit") ?? "unset";
export const plain = config.require("region");
`;
      const out = join(tempDir(), "out");
      const run = cli(["preview", linkedProject(lenient, stackFile), "--out", out]);
      assert.equal(run.status, 0, run.stderr);
      assert.equal(run.stderr.match(/cannot be decrypted here/g)?.length, 1);
      assert.match(run.stderr, /program:rateLimit, program:database, program:token/);
      assert.deepEqual(parseYaml(readFileSync(join(out, "stack-outputs.yaml"), "utf8")), { limit: "unset", plain: "eu-west-1" });
      const strict = cli(["preview", linkedProject(program, stackFile), "--out", join(tempDir(), "out")]);
      assert.equal(strict.status, 1);
      assert.match(strict.stderr, /Missing required configuration variable 'program:rateLimit'/);
      assert.doesNotMatch(strict.stderr, /\[secret\]/);
    });
  });
});
