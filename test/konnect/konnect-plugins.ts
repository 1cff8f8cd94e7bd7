// Plugins and provider inputs the Konnect tests share.
import type { PluginInstanceSpec, PluginSpec } from "pulumi-kong-plugins";
import { KonnectEntityKind, resolveKonnectPluginSpec, type KonnectPluginSpec } from "pulumi-kong-plugins/render";
import { entityInputsOf, type KonnectEntityInputs } from "../../components/konnect/provider";
import type { KonnectRetryPolicy } from "../../components/konnect/client";

export const CONTROL_PLANE_ID = "9524ec7d-36d9-465d-a8c5-83a3c9390458";
export const TOKEN = "kpat_TEST0nly5ecretT0kenThatMustNeverLeak42";

/** Short waits, so that faults cost little time: a test's speed, not a user's setting. */
export const FAST_RETRY: KonnectRetryPolicy = { requestTimeoutMs: 400, totalTimeoutMs: 15_000, initialBackoffMs: 5, maxBackoffMs: 40 };

export const handlerLua = (version = "1.0.0", body = "") => `local H = { PRIORITY = 900, VERSION = "${version}" }\nfunction H:access(conf)\n${body}  kong.service.request.set_header(conf.header, "1")\nend\nreturn H\n`;
export const schemaLua = (name: string) =>
  `local typedefs = require "kong.db.schema.typedefs"\nreturn {\n  name = "${name}",\n  fields = {\n    { protocols = typedefs.protocols_http },\n    { config = { type = "record", fields = {\n      { header = { type = "string", required = true, default = "x-streamed" } },\n    } } },\n  },\n}\n`;

/** A plugin Konnect accepts. */
export function streamedPlugin(name = "streaming-headers", files: Record<string, string> = {}): PluginSpec {
  return { name, version: "1.0.0", source: { files: { "handler.lua": handlerLua(), "schema.lua": schemaLua(name), ...files } } };
}

export function konnectSpec(plugin: PluginSpec, extra: Partial<KonnectPluginSpec> = {}): KonnectPluginSpec {
  return { plugin, controlPlaneId: CONTROL_PLANE_ID, ...extra };
}

/** What a component hands its provider, for a plugin and a server. */
export function providerInputs(kind: KonnectEntityKind, spec: KonnectPluginSpec, token = TOKEN): KonnectEntityInputs {
  return { ...entityInputsOf(resolveKonnectPluginSpec(spec, kind)), token, retry: FAST_RETRY };
}

/** A global instance of a plugin, as PluginInstance's definition gives it. */
export function instanceOf(plugin: string, name: string, extra: Partial<PluginInstanceSpec> = {}): PluginInstanceSpec {
  return { name, plugin, ...extra };
}

export { KonnectEntityKind };
