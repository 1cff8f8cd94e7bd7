import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import * as pulumi from "@pulumi/pulumi";
import { hold } from "../../components/core/objects";
import { resolveInputs } from "../../components/core/secret-inputs";
import { MAX_DEPTH, shapeIssues, JSON_OBJECT } from "../../components/core/shape";
import { installMocks, valueOf } from "../helpers/pulumi-mocks";

// A component reads its inputs through resolveInputs: the values as pulumi.output would give
// them, and where the secrets are, found as the outputs resolve (see SecretInputs).

before(() => {
  installMocks();
});

const resolved = <T>(inputs: T) => valueOf(resolveInputs(inputs, (found) => found));

describe("resolveInputs", () => {
  it("gives the values pulumi.output gives, outputs and promises anywhere inside, the user's objects unchanged", async () => {
    const config = { limit: 3, nested: { list: [1, pulumi.output("two"), Promise.resolve({ three: pulumi.output(3) })] } };
    const inputs = { name: pulumi.output("n"), config, tags: ["a", pulumi.output("b")], plain: { kept: true } };
    const { values, paths } = await resolved(inputs);
    assert.deepEqual(values, await valueOf(pulumi.output(inputs) as pulumi.Output<unknown>));
    assert.deepEqual(paths, []);
    assert.equal((values as { plain: unknown }).plain, inputs.plain, "a part without outputs is the caller's own object, not a copy");
    assert.ok(pulumi.Output.isInstance(config.nested.list[1]), "the caller's containers are not written into");
  });

  it("shares what an output resolves to: a stack gets the very definition a component output", async () => {
    const definition = { name: "i", config: { limit: 1 }, secretPaths: [] };
    // As a component outputs it: from an apply (`pulumi.output(value)` would copy it).
    const output = pulumi.output(1).apply(() => definition);
    const { values } = await resolved({ instances: [output, output] });
    assert.equal(values.instances[0], definition);
    assert.equal(values.instances[1], definition);
  });

  it("walks a program's own arguments every time: an object changed between two components is read as it is now", async () => {
    const shared: Record<string, unknown> = { limit: 1 };
    assert.deepEqual((await resolved({ config: shared })).values, { config: { limit: 1 } });
    shared.token = pulumi.secret("now-a-secret");
    const { values, paths } = await resolved({ config: shared });
    assert.deepEqual(values, { config: { limit: 1, token: "now-a-secret" } });
    assert.deepEqual(paths, ["config.token"]);
  });

  it("says where secrets are: a secret as one place, a definition where it declares, nested ones where they sit", async () => {
    const { values, paths } = await resolved({
      token: pulumi.secret("t"),
      definitions: [pulumi.secret({ name: "d", secretPaths: ["secretConfig.key"] }), pulumi.output({ name: "e", secretPaths: [] })],
      config: pulumi.output({ headers: ["x"] }).apply((value) => ({ ...value, auth: pulumi.secret("a") })),
      none: pulumi.secret(undefined),
    });
    assert.deepEqual(paths, ["config.auth", "definitions[0].secretConfig.key", "token"]);
    assert.deepEqual(values.config, { headers: ["x"], auth: "a" });
  });

  it("resolves the outputs a secret value holds, and keeps the whole value secret", async () => {
    const holder = pulumi.secret("s").apply((text) => ({ text, inner: pulumi.output("i") }));
    const output = resolveInputs({ holder }, (found) => found);
    const { values, paths } = await valueOf(output);
    assert.deepEqual(values.holder, { text: "s", inner: "i" });
    assert.deepEqual(paths, ["holder"]);
    assert.equal(await pulumi.isSecret(output), true);
  });

  it("is secret when any input is, and public otherwise", async () => {
    assert.equal(await pulumi.isSecret(resolveInputs({ a: pulumi.secret(1) }, () => 0)), true);
    assert.equal(await pulumi.isSecret(resolveInputs({ a: pulumi.output(1), b: 2 }, () => 0)), false);
    assert.equal(await pulumi.isSecret(resolveInputs({ b: 2 }, () => 0)), false);
  });

  it("refuses a circular input by its path, and walks no deeper than an input may nest", async () => {
    const loop: Record<string, unknown> = { a: 1 };
    loop.self = { back: loop };
    assert.throws(() => resolveInputs({ loop }, (found) => found), /loop\.self\.back: holds itself/);
    // Far deeper than the stack would allow to walk: left to the shape check, which names it.
    let deep: Record<string, unknown> = { leaf: pulumi.output(1) };
    for (let level = 0; level < 100_000; level += 1) deep = { deep };
    // Held, as SecretInputs holds them: the SDK walks an output's value recursively.
    const values = (await valueOf(resolveInputs({ deep }, (found) => hold(found.values))))();
    assert.match(shapeIssues(values, JSON_OBJECT)[0]?.message ?? "", new RegExp(`nests deeper than ${MAX_DEPTH} levels`));
  });
});
