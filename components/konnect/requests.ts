// What is sent to Konnect for a plugin, as plain values: the entity kind, its collection path and
// request body, and the digest that tells whether Konnect's copy is up to date.
// Custom plugins: ../shared/fixtures/konnect/custom-plugins.openapi.yaml (CustomPlugin: name,
// handler, schema). Plugin schemas: Konnect's Control Planes Config API, as documented by
// Kong/sdk-konnect-go docs/sdks/custompluginschemas/README.md (POST {lua_schema}; GET, PUT and
// DELETE .../plugin-schemas/{name}).
import { canonicalJson, stableJson } from "../core/canonical";
import { contentDigest } from "../core/digest";
import type { ResolvedPlugin } from "../plugin/model";
import type { ResolvedKonnectTarget } from "./target";

/** The two things Konnect keeps of a custom plugin. */
export enum KonnectEntityKind {
  /** The whole plugin (handler.lua and schema.lua), streamed to Dedicated Cloud Gateways. */
  CustomPlugin = "custom-plugin",
  /** schema.lua only, for a hybrid control plane whose data planes get the files otherwise. */
  PluginSchema = "plugin-schema",
}

/** The JSON body of a create or update, by kind. */
export type KonnectRequestBody = { readonly name: string; readonly handler: string; readonly schema: string } | { readonly lua_schema: string };

/** The collection an entity kind lives in, under a control plane. */
export function konnectCollectionPath(kind: KonnectEntityKind, controlPlaneId: string): string {
  const collection = kind === KonnectEntityKind.CustomPlugin ? "custom-plugins" : "plugin-schemas";
  return `/v2/control-planes/${encodeURIComponent(controlPlaneId)}/core-entities/${collection}`;
}

/** The body Konnect takes for the plugin: the two files' text, or schema.lua's. */
export function konnectRequestBody(kind: KonnectEntityKind, plugin: Pick<ResolvedPlugin, "name" | "files">): KonnectRequestBody {
  const text = (path: string) => plugin.files.find((file) => file.path === path)?.content ?? "";
  switch (kind) {
    case KonnectEntityKind.CustomPlugin:
      return { name: plugin.name, handler: text("handler.lua"), schema: text("schema.lua") };
    case KonnectEntityKind.PluginSchema:
      return { lua_schema: text("schema.lua") };
    default: {
      const unreachable: never = kind;
      throw new Error(`unknown Konnect entity kind ${String(unreachable)}`);
    }
  }
}

/**
 * The digest of what Konnect holds, from the request fields only: what Konnect adds (id,
 * timestamps, tags) or how a response is laid out never changes it, so only a change of the
 * plugin's text leads to an update.
 */
export function konnectBodyDigest(body: KonnectRequestBody): string {
  return contentDigest(canonicalJson(body));
}

/** What the token shows as wherever a request is displayed. */
export const MASKED_TOKEN = "Bearer [secret]";

/**
 * The request that creates the entity, as text for a preview: method, URL, headers with the
 * token masked, and the JSON body.
 */
export function konnectRequestPreview(kind: KonnectEntityKind, target: ResolvedKonnectTarget, body: KonnectRequestBody): string {
  return stableJson({
    method: "POST",
    url: `${target.baseUrl}${konnectCollectionPath(kind, target.controlPlaneId)}`,
    headers: { Authorization: MASKED_TOKEN, "Content-Type": "application/json" },
    body,
  });
}
