import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { DockerfileParser } from "dockerfile-ast";
import { KongPluginsValidationError } from "pulumi-kong-plugins";
import { renderBuildContext, renderDockerfile, resolvePlugin } from "pulumi-kong-plugins/render";
import { rateLimitExample } from "../../examples/quickstart/rate-limit-example";

const plugin = resolvePlugin(rateLimitExample());

/** The builder's last step on a quoted value: `\$` stands for a literal `$`. */
const expanded = (value: string) => value.replace(/\\\$/g, "$");

describe("property: Dockerfile values", () => {
  it("base image names either become the FROM line exactly, or are rejected at baseImage", () => {
    const reference = fc.oneof(
      fc.string({ maxLength: 30 }),
      fc.tuple(fc.constantFrom("", "registry.example.com/", "127.0.0.1:5000/"), fc.stringMatching(/^[a-z0-9]+([._-][a-z0-9]+)*(\/[a-z0-9]+)?$/), fc.constantFrom("", ":3.10", ":3.9.1-ubuntu", "@sha256:" + "a".repeat(64))).map((parts) => parts.join("")),
    );
    fc.assert(
      fc.property(reference, (baseImage) => {
        try {
          const instructions = DockerfileParser.parse(renderDockerfile({ baseImage, plugins: [plugin] })).getInstructions();
          assert.equal(instructions[0]?.getKeyword(), "FROM");
          assert.equal(instructions[0]?.getArgumentsContent(), baseImage);
          assert.equal(instructions.length, 11, "no instruction injected");
        } catch (error) {
          assert.ok(error instanceof KongPluginsValidationError, String(error));
          assert.deepEqual(error.issues.map((issue) => issue.path), ["baseImage"]);
        }
      }),
      { numRuns: 300 },
    );
  });

  it("env values, labels and names either round-trip exactly through the parsed Dockerfile, or are rejected with a path", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.dictionary(fc.oneof(fc.stringMatching(/^[A-Z_][A-Z0-9_]{0,10}$/), fc.string({ maxLength: 8 })), fc.string({ unit: "binary", maxLength: 30 }), { maxKeys: 4 }),
        fc.dictionary(fc.oneof(fc.stringMatching(/^[a-z][a-z0-9.-]{0,12}[a-z0-9]$/), fc.string({ maxLength: 8 })), fc.string({ unit: "binary", maxLength: 30 }), { maxKeys: 3 }),
        async (env, labels) => {
          let dockerfile: string;
          try {
            dockerfile = (await renderBuildContext({ plugins: [plugin], env, labels })).dockerfile;
          } catch (error) {
            assert.ok(error instanceof KongPluginsValidationError, String(error));
            for (const issue of error.issues) assert.match(issue.path, /^(env|labels)(\.|\[)/);
            return;
          }
          const instructions = DockerfileParser.parse(dockerfile).getInstructions();
          assert.deepEqual(instructions.map((i) => i.getKeyword()), ["FROM", "USER", "COPY", "ENV", "LABEL", "USER", "ENTRYPOINT", "EXPOSE", "STOPSIGNAL", "HEALTHCHECK", "CMD"], "no instruction injected");
          const envInstruction = instructions[3] as unknown as { getProperties(): { getName(): string; getValue(): string }[]; getVariables(): unknown[] };
          const labelInstruction = instructions[4] as unknown as { getProperties(): { getName(): string; getValue(): string }[]; getVariables(): unknown[] };
          assert.deepEqual(envInstruction.getVariables(), [], "no value is subject to variable expansion");
          assert.deepEqual(labelInstruction.getVariables(), []);
          const parsedEnv = Object.fromEntries(envInstruction.getProperties().map((p) => [p.getName(), expanded(p.getValue())]));
          const parsedLabels = Object.fromEntries(labelInstruction.getProperties().map((p) => [p.getName(), expanded(p.getValue())]));
          for (const [key, value] of Object.entries(env)) assert.equal(parsedEnv[key], value);
          for (const [key, value] of Object.entries(labels)) assert.equal(parsedLabels[key], value);
        },
      ),
      { numRuns: 300 },
    );
  });
});
