import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { PluginDelivery, type GatewaySpec } from "pulumi-kong-plugins";
import { checkGateway, resolveStackGateway } from "pulumi-kong-plugins/render";
import { runProgramUnderMocks } from "../helpers/program";
import { issuesOf } from "../helpers/tree";

const gateway: GatewaySpec = { plugins: [], delivery: PluginDelivery.Mount, instances: [] };


const BAD_KONG_ENV = {
  "": "x",
  "A B": "x",
  "KONG_PLUGINS=bundled,evil": "x",
  "1ST": "x",
  KONG_PLUGINS: "bundled,evil",
  KONG_NGINX_WORKER_PROCESSES: 2,
  KONG_LUA_PACKAGE_PATH: 3,
  KONG_LOG_LEVEL: "debug",
} as unknown as Record<string, string>;
const BAD_PATHS = ['kongEnv[""]', 'kongEnv["A B"]', 'kongEnv["KONG_PLUGINS=bundled,evil"]', 'kongEnv["1ST"]', "kongEnv.KONG_PLUGINS", "kongEnv.KONG_NGINX_WORKER_PROCESSES", "kongEnv.KONG_LUA_PACKAGE_PATH"];

describe("kongEnv is checked where the gateway's environment is made", () => {
  it("the preflight refuses names that are not variable names, managed names and values that are not text, all at once", () => {
    const found = issuesOf(() => checkGateway({ ...gateway, kongEnv: BAD_KONG_ENV }));
    assert.deepEqual(found.map((issue) => issue.path).sort(), [...BAD_PATHS].sort());
    assert.match(found.find((issue) => issue.path === "kongEnv.KONG_NGINX_WORKER_PROCESSES")?.message ?? "", /must be a string/);
    assert.equal(found.find((issue) => issue.path === "kongEnv.KONG_NGINX_WORKER_PROCESSES")?.received, "number", "a value is never shown: it may be a secret");
  });

  it("a stack's inputs are refused under the stack's own argument, kongEnv", () => {
    const found = issuesOf(() => resolveStackGateway({ kongEnv: BAD_KONG_ENV }, { secretValuesWithheld: true }));
    assert.deepEqual(found.map((issue) => issue.path).sort(), [...BAD_PATHS].sort());
    assert.deepEqual(issuesOf(() => resolveStackGateway({ kongEnv: { KONG_LOG_LEVEL: "debug", _X1: "" } }, { secretValuesWithheld: true })), []);
  });

  for (const stack of ["ComposeStack", "KubernetesStack"]) {
    it(`${stack} fails with a ResourceError naming kongEnv["A B"] and a number value, instead of crashing`, () => {
      const args = stack === "KubernetesStack" ? `{ delivery: "configMap", kongEnv }` : `{ kongEnv }`;
      const run = runProgramUnderMocks(`
        const kongEnv = { "A B": "x", KONG_NGINX_WORKER_PROCESSES: 2 };
        const stack = new kp.${stack}("bad-env", ${args});
        await (stack.composeYaml ?? stack.yaml).promise();`);
      const error = run.errors.find((e) => e.name === "ResourceError");
      assert.ok(error, JSON.stringify(run.errors));
      assert.match(error.message, /kongEnv\["A B"\]: is not an environment variable name/);
      assert.match(error.message, /kongEnv\.KONG_NGINX_WORKER_PROCESSES: must be a string/);
    });
  }
});
