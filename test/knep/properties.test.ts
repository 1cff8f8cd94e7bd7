import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { parse as parseYaml } from "yaml";
import { KnepTargetType, KongPluginsValidationError } from "pulumi-kong-plugins";
import { renderKnepComposeService, renderKnepKubernetes } from "pulumi-kong-plugins/render";
import { stableYaml } from "../../components/core/canonical";

describe("property: KNEP variables", () => {
  it("extraEnv names and values either round-trip exactly through the rendered Kubernetes and compose YAML, or are rejected at extraEnv.*", () => {
    fc.assert(
      fc.property(fc.dictionary(fc.oneof(fc.stringMatching(/^[A-Z_][A-Z0-9_]{0,12}$/), fc.string({ maxLength: 10 })), fc.string({ unit: "binary", maxLength: 40 }), { maxKeys: 5 }), (extraEnv) => {
        const spec = { image: "r/knep:1", kongAdminUrl: "http://kong:8001", targetType: KnepTargetType.Http, http: { url: "http://sink:8080/e" }, extraEnv };
        let configMap: Record<string, string>;
        let composeEnvironment: Record<string, string>;
        try {
          configMap = parseYaml(stableYaml(renderKnepKubernetes(spec, { namespace: "ns" }).configMap)).data;
          composeEnvironment = parseYaml(stableYaml(renderKnepComposeService(spec).service)).environment;
        } catch (error) {
          assert.ok(error instanceof KongPluginsValidationError, String(error));
          for (const issue of error.issues) assert.match(issue.path, /^extraEnv(\.|\[)/);
          return;
        }
        for (const [name, value] of Object.entries(extraEnv)) {
          assert.equal(configMap[name], value);
          // Compose reads `$$` as one literal `$`.
          assert.equal(composeEnvironment[name]?.replace(/\$\$/g, "$"), value);
        }
      }),
      { numRuns: 300 },
    );
  });
});
