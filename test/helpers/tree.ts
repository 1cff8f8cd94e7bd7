import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import assert from "node:assert/strict";
import { KongPluginsValidationError, type ValidationIssue } from "pulumi-kong-plugins";

/** Every file under `dir`, by its path relative to `dir`, with its bytes. */
export function readTree(dir: string): Map<string, Buffer> {
  const tree = new Map<string, Buffer>();
  const walk = (current: string) => {
    for (const entry of readdirSync(current)) {
      const path = join(current, entry);
      if (statSync(path).isDirectory()) walk(path);
      else tree.set(relative(dir, path), readFileSync(path));
    }
  };
  walk(dir);
  return tree;
}

/** The issues `action` fails with (it may throw nothing else), or none when it succeeds. */
export function issuesOf(action: () => unknown): ValidationIssue[] {
  try {
    action();
  } catch (error) {
    assert.ok(error instanceof KongPluginsValidationError, String(error));
    return [...error.issues];
  }
  return [];
}
