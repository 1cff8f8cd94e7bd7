// The Konnect provider serialized from an installed copy of the package, as a user's program
// serializes it: Pulumi then writes a `require` of the package's exported operations module
// (`pulumi-kong-plugins/internal/konnect-operations`) instead of the code, and the dynamic
// provider host must be able to load that and run it.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { cpSync, mkdirSync, readdirSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import type { konnectEntityProvider, KonnectEntityOutputs } from "../../components/konnect/provider";
import { repoRoot, tempDir } from "../helpers/paths";
import { KonnectContractServer } from "./contract-server";
import { KonnectEntityKind, TOKEN, konnectSpec, providerInputs, streamedPlugin } from "./konnect-plugins";

let server: KonnectContractServer;
before(async () => {
  server = await KonnectContractServer.start(TOKEN);
});
after(async () => {
  await server.close();
});

/** A project folder whose node_modules holds a copy of this package (its package.json and dist/components) beside links to its dependencies. */
function installedCopy(): string {
  const project = tempDir("konnect-installed-");
  const modules = join(project, "node_modules");
  const own = join(modules, "pulumi-kong-plugins");
  mkdirSync(own, { recursive: true });
  cpSync(join(repoRoot, "package.json"), join(own, "package.json"));
  cpSync(join(repoRoot, "dist", "components"), join(own, "dist", "components"), { recursive: true });
  for (const entry of readdirSync(join(repoRoot, "node_modules"))) {
    if (entry !== ".bin" && entry !== "pulumi-kong-plugins") symlinkSync(join(repoRoot, "node_modules", entry), join(modules, entry));
  }
  return project;
}

describe("the Konnect provider from the installed package", () => {
  it("serializes as a require of the exported operations module, and runs from that text", async () => {
    const project = installedCopy();
    const script = `
      const { runtime } = require("@pulumi/pulumi");
      const { konnectEntityProvider } = require("./node_modules/pulumi-kong-plugins/dist/components/konnect/provider.js");
      runtime.serializeFunction(() => konnectEntityProvider, { allowSecrets: true }).then((serialized) => process.stdout.write(serialized.text));
    `;
    // --preserve-symlinks: the linked SDK must see the project's node_modules as an installed SDK
    // does (it resolves the package by name from where it sits), not the repository's.
    const run = spawnSync(process.execPath, ["--preserve-symlinks", "-e", script], { cwd: project, encoding: "utf8" });
    assert.equal(run.status, 0, run.stderr);
    assert.match(run.stdout, /require\("pulumi-kong-plugins\/internal\/konnect-operations"\)/);
    assert.doesNotMatch(run.stdout, /require\("pulumi-kong-plugins\/dist\//);

    const file = join(project, "serialized-provider.js");
    writeFileSync(file, run.stdout);
    const loaded = (require(file) as { handler: () => typeof konnectEntityProvider }).handler();
    const created = await loaded.create(providerInputs(KonnectEntityKind.CustomPlugin, konnectSpec(streamedPlugin("installed-plugin"), { baseUrl: server.url })));
    assert.deepEqual([...server.customPlugins.values()].map((plugin) => plugin.name), ["installed-plugin"]);
    await loaded.delete(created.id, created.outs as KonnectEntityOutputs);
    assert.equal(server.customPlugins.size, 0);
    assert.deepEqual(server.violations, []);
  });
});
