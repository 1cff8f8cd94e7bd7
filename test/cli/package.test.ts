import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import { parseAllDocuments } from "yaml";
import { examplePluginDir, repoRoot, tempDir } from "../helpers/paths";
import { mustRun } from "../helpers/tools";
import { readTree } from "../helpers/tree";

const CLI = join(repoRoot, "dist", "cli", "kong-plugins.js");

function render(outDir: string, env: NodeJS.ProcessEnv = {}, umask = "022"): void {
  mustRun("sh", ["-c", `umask ${umask} && "${process.execPath}" "${CLI}" package "${examplePluginDir}" --out "${outDir}"`], { env: { ...process.env, ...env } });
}


describe("kong-plugins package", () => {
  it("renders a plugin folder's rockspec, archive, KongPluginMetadata and CRDs, named by schema.lua and versioned by handler.lua", () => {
    const out = tempDir();
    render(out);
    const files = [...readTree(out).keys()].sort();
    assert.deepEqual(files, [
      "rate-limit-example/.kong-plugins-manifest.json",
      "rate-limit-example/kong-plugin-rate-limit-example-1.0.0-1.rockspec",
      "rate-limit-example/operator-crds.yaml",
      "rate-limit-example/operator-resources.yaml",
      "rate-limit-example/rate-limit-example-1.0.0.tar.gz",
    ]);
    const operator = parseAllDocuments(readFileSync(join(out, "rate-limit-example/operator-resources.yaml"), "utf8")).map((d) => d.toJSON());
    assert.deepEqual(operator.map((o) => `${o.kind}/${o.metadata.namespace}/${o.metadata.name}`), ["KongPluginMetadata/default/rate-limit-example"]);
    assert.deepEqual([operator[0].spec.name, operator[0].spec.version, operator[0].spec.type], ["rate-limit-example", "1.0.0", "http"]);
    const crds = parseAllDocuments(readFileSync(join(out, "rate-limit-example/operator-crds.yaml"), "utf8")).map((d) => d.toJSON());
    assert.deepEqual(crds.map((c) => c.kind), ["CustomResourceDefinition", "CustomResourceDefinition"]);
    assert.match(mustRun("tar", ["-tzf", join(out, "rate-limit-example/rate-limit-example-1.0.0.tar.gz")]), /rate-limit-example\/kong\/plugins\/rate-limit-example\/handler\.lua/);
  });

  it("renders identical bytes in two processes with different umask, time zone and locale", () => {
    const first = tempDir();
    const second = tempDir();
    render(first, { TZ: "UTC", LANG: "C" }, "022");
    render(second, { TZ: "Pacific/Kiritimati", LANG: "ja_JP.UTF-8" }, "077");
    assert.deepEqual(readTree(second), readTree(first));
  });

});
