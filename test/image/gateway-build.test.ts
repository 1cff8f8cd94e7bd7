import assert from "node:assert/strict";
import { statSync, existsSync } from "node:fs";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { resolvePlugin, writeBuildContext } from "pulumi-kong-plugins/render";
import { type ResolvedPlugin } from "pulumi-kong-plugins";
import { buildContextDir, inspectImage, removeImage, runInContainer, standInKongImage, withContainer } from "../helpers/buildah";
import { tempDir, testFixture } from "../helpers/paths";
import { mustRun } from "../helpers/tools";
import { rateLimitExample } from "../../examples/quickstart/rate-limit-example";

const BASE = "kong/kong-gateway:3.10-standin";
const rateLimit: ResolvedPlugin = resolvePlugin(rateLimitExample());
const dbPlugin: ResolvedPlugin = resolvePlugin({ name: "db-plugin", version: "1.0.0", source: { directory: testFixture("plugin/fixtures/db-plugin") } });
const tags: string[] = [];
after(() => tags.forEach(removeImage));

async function build(tag: string, spec: Parameters<typeof writeBuildContext>[0]): Promise<void> {
  standInKongImage(BASE);
  const dir = join(tempDir(), "context");
  await writeBuildContext(spec, dir);
  tags.push(tag);
  buildContextDir(dir, tag);
}

describe("GatewayImage Dockerfile, built for real with buildah", () => {
  it("runs as kong with the exact KONG_PLUGINS; plugin files are root-owned 0644, readable and not writable by kong", async () => {
    const tag = "localhost/kong-plugins-test/gateway:copy";
    await build(tag, { baseImage: BASE, plugins: [rateLimit, dbPlugin], env: { KONG_LOG_LEVEL: "debug", TRICKY: 'a "quoted" $HOME \\ value' } });
    const config = inspectImage(tag);
    assert.equal(config.user, "kong");
    assert.equal(config.env.KONG_PLUGINS, "bundled,db-plugin,rate-limit-example");
    assert.equal(config.env.KONG_ANONYMOUS_REPORTS, "off");
    assert.equal(config.env.TRICKY, 'a "quoted" $HOME \\ value', "values reach the image exactly, with no expansion");
    assert.equal(config.env.KONG_LUA_PACKAGE_PATH, undefined, "Kong's own Lua root needs no path");
    assert.equal(config.labels["io.kong-plugins.plugins"], "db-plugin@1.0.0,rate-limit-example@1.0.0");
    assert.deepEqual(config.healthcheck?.Test, ["CMD-SHELL", "kong health"]);

    withContainer(tag, (container, root) => {
      const pluginRoot = join(root, "usr/local/share/lua/5.1/kong/plugins");
      for (const plugin of [rateLimit, dbPlugin]) {
        for (const file of plugin.files) {
          const stat = statSync(join(pluginRoot, plugin.name, file.path));
          assert.equal(stat.uid, 0, `${plugin.name}/${file.path} owned by root`);
          assert.equal(stat.gid, 0);
          assert.equal(stat.mode & 0o777, 0o644, `${plugin.name}/${file.path} is 0644`);
        }
      }
      assert.ok(!existsSync(join(root, "Dockerfile")) && !existsSync(join(pluginRoot, ".dockerignore")), "nothing but the plugins is copied");
      const target = "/usr/local/share/lua/5.1/kong/plugins/rate-limit-example/handler.lua";
      const read = runInContainer(container, "kong", `id -u && head -n 1 ${target}`);
      assert.equal(read.status, 0, read.stderr);
      assert.match(read.stdout, /^1000\n-- rate-limit-example:/);
      const write = runInContainer(container, "kong", `echo x >> ${target}`);
      assert.notEqual(write.status, 0, "kong cannot write plugin files");
      const create = runInContainer(container, "kong", "touch /usr/local/share/lua/5.1/kong/plugins/rate-limit-example/new.lua");
      assert.notEqual(create.status, 0, "kong cannot add files to a plugin folder");
    });
  });

  it("with a Lua root of its own, sets KONG_LUA_PACKAGE_PATH so Lua finds every module there", async () => {
    const tag = "localhost/kong-plugins-test/gateway:luaroot";
    await build(tag, { baseImage: BASE, plugins: [dbPlugin], luaRoot: "/opt/kong-plugins", includeBundled: false });
    const config = inspectImage(tag);
    assert.equal(config.env.KONG_PLUGINS, "db-plugin");
    assert.equal(config.env.KONG_LUA_PACKAGE_PATH, "/opt/kong-plugins/?.lua;/opt/kong-plugins/?/init.lua;;");
    withContainer(tag, (_container, root) => {
      // Resolve the modules Kong requires over the image's path, with its paths mapped to the mounted root.
      const path = config.env.KONG_LUA_PACKAGE_PATH?.replace(/;;$/, "").split(";").map((entry) => `${root}${entry}`).join(";");
      const script = `for _, m in ipairs({"kong.plugins.db-plugin.handler", "kong.plugins.db-plugin.schema", "kong.plugins.db-plugin.daos", "kong.plugins.db-plugin.migrations"}) do
        print(m, assert(package.searchpath(m, ${JSON.stringify(path)}))) end`;
      const found = mustRun("luajit", ["-e", script]).trim().split("\n");
      assert.equal(found.length, 4);
      assert.match(found[3] ?? "", /\/opt\/kong-plugins\/kong\/plugins\/db-plugin\/migrations\/init\.lua$/);
    });
  });
});
