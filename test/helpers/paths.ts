import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";

/** The repository root (the folder with this project's package.json), from source or dist/. */
export const repoRoot: string = (() => {
  for (let dir = __dirname; dir !== dirname(dir); dir = dirname(dir)) {
    const manifest = join(dir, "package.json");
    if (existsSync(manifest) && JSON.parse(readFileSync(manifest, "utf8")).name === "pulumi-kong-plugins") return dir;
  }
  throw new Error(`package root not found above ${__dirname}`);
})();

/** `../shared/fixtures/<relative>` beside the project. */
export function sharedFixture(relative: string): string {
  const path = join(repoRoot, "..", "shared", "fixtures", relative);
  if (!existsSync(path)) throw new Error(`missing shared fixture ${path}: the tests expect ../shared/ beside the project`);
  return path;
}

/** A fixture of this project's tests (test/<relative>, read from the source tree). */
export function testFixture(relative: string): string {
  return join(repoRoot, "test", relative);
}

/** The example plugin's folder. */
export const examplePluginDir = join(repoRoot, "examples", "plugins", "rate-limit-example");

const created: string[] = [];
process.on("exit", () => {
  for (const dir of created) rmSync(dir, { recursive: true, force: true });
});

/** A new empty temporary folder, removed when the test process exits. */
export function tempDir(prefix = "kong-plugins-test-"): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  created.push(dir);
  return dir;
}
