import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { KongPluginsValidationError, PluginDelivery } from "pulumi-kong-plugins";
import { pluginSpecOf, resolvePlugin, resolveStackGateway } from "pulumi-kong-plugins/render";
import { rateLimitExample } from "../../examples/quickstart/rate-limit-example";

const rateLimit = rateLimitExample();

describe("resolveStackGateway: what a stack makes of the definitions it receives", () => {
  it("a plugin's definition resolves to the same plugin it was made from", () => {
    const resolved = resolvePlugin(rateLimit);
    const definition = pluginSpecOf(resolved);
    assert.deepEqual(Object.keys(definition.source.files ?? {}).sort(), ["handler.lua", "schema.lua"]);
    assert.equal(definition.source.directory, undefined, "the files travel inline, not as a path of this machine");
    assert.deepEqual(resolvePlugin(definition), resolved);
  });

  it("reports every problem of every plugin and instance at once, under plugins[i] and instances[i]", () => {
    const broken = { ...pluginSpecOf(resolvePlugin(rateLimit)), version: "v1.0" };
    assert.throws(
      () =>
        resolveStackGateway(
          {
            plugins: [pluginSpecOf(resolvePlugin(rateLimit)), broken],
            instances: [{ name: "limit", plugin: "rate-limit-example", configSchema: rateLimit.configSchema, config: { limit: 0 } }],
          },
          { secretValuesWithheld: true },
        ),
      (error: unknown) => {
        assert.ok(error instanceof KongPluginsValidationError);
        const paths = error.issues.map((issue) => issue.path);
        assert.ok(paths.includes("plugins[1].version"), paths.join(", "));
        assert.ok(paths.includes("instances[0].config.limit"), paths.join(", "));
        return true;
      },
    );
  });

  it("withholds secret values when asked, keeping their keys", () => {
    const instance = { name: "auth", plugin: "key-auth", config: { key_names: ["apikey"] }, secretConfig: { anonymous: "real-value" } };
    const withheld = resolveStackGateway({ instances: [instance] }, { secretValuesWithheld: true });
    assert.deepEqual(withheld.instances[0]?.secretConfig, { anonymous: "[secret]" });
    const real = resolveStackGateway({ instances: [instance] }, { secretValuesWithheld: false });
    assert.deepEqual(real.instances[0]?.secretConfig, { anonymous: "real-value" });
    assert.equal(real.delivery, PluginDelivery.Mount);
  });

  it("refuses plugins beside an image that already holds its plugins", () => {
    const image = { facts: { name: "registry.example.com/kong:1", kongPlugins: "bundled,rate-limit-example", luaRoot: "/usr/local/share/lua/5.1" }, plugins: [resolvePlugin(rateLimit)] };
    assert.throws(
      () => resolveStackGateway({ image, plugins: [rateLimit] }, { secretValuesWithheld: true }),
      (error: unknown) => error instanceof KongPluginsValidationError && error.issues[0]?.path === "plugins",
    );
    const gateway = resolveStackGateway({ image }, { secretValuesWithheld: true });
    assert.equal(gateway.delivery, PluginDelivery.Image);
    assert.equal(gateway.image?.name, "registry.example.com/kong:1");
  });
});
