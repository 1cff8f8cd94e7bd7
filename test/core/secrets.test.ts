import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { KongPluginsValidationError } from "pulumi-kong-plugins";
import { pluginConfigIssues } from "pulumi-kong-plugins/render";
import { joinPath, rethrowValidationAs, withoutSecretValues } from "../../components/core/errors";
import { isWithinPattern, pathKeys, secretLeavesAt, valuesAt } from "../../components/core/secret-paths";

describe("secret paths", () => {
  it("reads back every path joinPath writes", () => {
    const keys = ["instances", 2, "config", "handler.lua", "a b", 0, "$ok"];
    const path = keys.reduce<string>((base, key) => joinPath(base, key), "");
    assert.equal(path, 'instances[2].config["handler.lua"]["a b"][0].$ok');
    assert.deepEqual(pathKeys(path), keys);
    assert.throws(() => pathKeys("a..b"), /not a path/);
  });

  it("matches places and what is inside them, [*] standing for any index", () => {
    assert.ok(isWithinPattern("instances[3].secretConfig.token", "instances[*].secretConfig"));
    assert.ok(isWithinPattern("instances[0].secretConfig", "instances[*].secretConfig"));
    assert.ok(!isWithinPattern("instances[0].config", "instances[*].secretConfig"));
    assert.ok(!isWithinPattern("instances", "instances[*].secretConfig"), "a secret holding the whole list holds more than references");
    assert.ok(isWithinPattern("postgres.password", "postgres.password"));
    assert.ok(!isWithinPattern("postgres.passwordHint", "postgres.password"));
  });

  it("collects the values under each path as leaves", () => {
    const value = { instances: [{ secretConfig: { a: "x" } }, { secretConfig: { b: "y" }, config: { list: [1, true, { deep: "z" }] } }] };
    assert.deepEqual(valuesAt(value, "instances[*].secretConfig"), [{ a: "x" }, { b: "y" }]);
    assert.deepEqual(valuesAt(value, "instances[5].config"), []);
    assert.deepEqual(secretLeavesAt(value, ["instances[*].secretConfig", "instances[1].config"]), ["x", "y", 1, true, "z"]);
  });
});

describe("errors never show a secret value", () => {
  const error = new KongPluginsValidationError(
    [
      { path: "config", message: "must match a schema in anyOf", received: { headers: ["Bearer tok-123"], limit: 5 } },
      { path: "http.url", message: "is not a valid URL", received: "https://sink/?t=tok-123" },
      { path: "kafka.brokers[1]", message: "is not host:port", received: "tok-1" },
      { path: "replicas", message: "must be a whole number", received: 42 },
      { path: "image", message: "tok-123 is not an image", expected: "not tok-123" },
      { path: "limit", message: "is fine to show", received: 7 },
    ],
    'plugin "tok-123"',
  );

  it("redacts a received value that holds a secret, is one or is part of one, and every secret in a message", () => {
    const redacted = withoutSecretValues(error, ["tok-123", 42]);
    assert.deepEqual(
      redacted.issues.map((issue) => [issue.path, issue.message, issue.received, issue.expected]),
      [
        ["config", "must match a schema in anyOf", "[secret]", undefined],
        ["http.url", "is not a valid URL", "[secret]", undefined],
        ["kafka.brokers[1]", "is not host:port", "[secret]", undefined],
        ["replicas", "must be a whole number", "[secret]", undefined],
        ["image", "[secret] is not an image", undefined, "not [secret]"],
        ["limit", "is fine to show", 7, undefined],
      ],
    );
    assert.equal(redacted.subject, 'plugin "[secret]"');
    assert.ok(!redacted.message.includes("tok-123"));
    assert.equal(withoutSecretValues(error, []), error);
  });

  it("rethrows a validation error as the caller's, without the secrets", () => {
    assert.throws(
      () => rethrowValidationAs((e) => new Error(e.message), () => { throw error; }, ["tok-123"]),
      (thrown: Error) => !thrown.message.includes("tok-123") && /\[secret\]/.test(thrown.message),
    );
  });

  it("a config failing at the root echoes no secret key's value, in an object or alone", () => {
    const schema = { type: "object", anyOf: [{ required: ["limit"] }, { required: ["window"] }], not: { required: ["forbidden"] }, minProperties: 5, dependencies: { token: ["period"] } };
    const issues = pluginConfigIssues(schema, { token: "s3cret", forbidden: true }, { secretKeys: ["token"] });
    const atRoot = issues.filter((issue) => issue.path === "config");
    assert.deepEqual(atRoot.map((issue) => issue.message).sort(), ["must have property period when property token is present", "must match a schema in anyOf", "must NOT be valid", "must NOT have fewer than 5 properties"].sort());
    for (const issue of atRoot) assert.equal(issue.received, "[secret]", issue.message);
    assert.ok(!JSON.stringify(issues).includes("s3cret"));
    const plain = pluginConfigIssues(schema, { forbidden: true });
    assert.ok(plain.some((issue) => typeof issue.received === "object"), "without a secret, the config is shown");
  });
});
