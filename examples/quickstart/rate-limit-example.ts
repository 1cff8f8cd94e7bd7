import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { type PluginInstanceSpec, type PluginSpec } from "pulumi-kong-plugins";

/** The example plugin's folder, found from wherever this file runs (source or compiled). */
export function rateLimitExampleDirectory(): string {
  for (let dir = __dirname; dir !== dirname(dir); dir = dirname(dir)) {
    const candidate = join(dir, "examples", "plugins", "rate-limit-example");
    if (existsSync(join(candidate, "handler.lua"))) return candidate;
  }
  throw new Error(`examples/plugins/rate-limit-example not found above ${__dirname}`);
}

/** The seed's plugin (seed 000): a per-consumer fixed-window rate limiter. */
export function rateLimitExample(): PluginSpec {
  return {
    name: "rate-limit-example",
    version: "1.0.0",
    source: { directory: rateLimitExampleDirectory() },
    rockspec: {
      summary: "Fixed-window rate limiting per consumer or client IP",
      license: "Apache-2.0",
    },
  };
}

/** The seed's KongPlugin: 100 requests a minute, on the `kong-gateway` Gateway in namespace `kong`. */
export const demoRateLimit: Omit<PluginInstanceSpec, "plugin" | "pluginSubsystems" | "configSchema"> = {
  name: "demo-rate-limit",
  namespace: "kong",
  config: { limit: 100, period: "minute" },
  targetRef: { group: "gateway.networking.k8s.io", kind: "Gateway", name: "kong-gateway", namespace: "kong" },
};
