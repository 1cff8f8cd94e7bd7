// Create, read, update and delete of the two Konnect entities, with the statuses each answers
// (custom plugins: ../shared/fixtures/konnect/custom-plugins.openapi.yaml — POST 201, GET 200/404,
// PUT 200, DELETE 204; plugin schemas: Kong/sdk-konnect-go docs/sdks/custompluginschemas/README.md —
// POST 201, GET 200/404, PUT 200/201, DELETE 204/404, each answer holding `{item: {name, lua_schema}}`).
import { KonnectApiError } from "./api-errors";
import { konnectRequest, KonnectUncertainOutcome, backoffMs, pause, type KonnectConnection } from "./client";
import { konnectBodyDigest, konnectCollectionPath, KonnectEntityKind, type KonnectRequestBody } from "./requests";

/** An entity as Konnect holds it: its id (a custom plugin's UUID, a schema's name) and the digest of its content. */
export interface KonnectEntity {
  readonly id: string;
  readonly name: string;
  readonly digest: string;
}

/** Where one entity kind lives on one control plane. */
export interface KonnectCollection {
  readonly kind: KonnectEntityKind;
  readonly controlPlaneId: string;
}

const path = (collection: KonnectCollection, id?: string) => `${konnectCollectionPath(collection.kind, collection.controlPlaneId)}${id === undefined ? "" : `/${encodeURIComponent(id)}`}`;

/** The entity by id or name (custom plugins answer to both, schemas to their name); undefined when there is none. */
export async function getEntity(connection: KonnectConnection, collection: KonnectCollection, idOrName: string): Promise<KonnectEntity | undefined> {
  const response = await konnectRequest(connection, "GET", path(collection, idOrName), undefined, [200, 404]);
  return response.status === 404 ? undefined : entityOf(collection.kind, response.body);
}

/** Replaces the entity's content (PUT is an upsert by id or name). */
export async function putEntity(connection: KonnectConnection, collection: KonnectCollection, id: string, body: KonnectRequestBody): Promise<KonnectEntity> {
  const response = await konnectRequest(connection, "PUT", path(collection, id), body, [200, 201]);
  return entityOf(collection.kind, response.body);
}

/** Deletes the entity; one already gone is not an error. */
export async function deleteEntity(connection: KonnectConnection, collection: KonnectCollection, id: string): Promise<void> {
  await konnectRequest(connection, "DELETE", path(collection, id), undefined, [204, 404]);
}

/** How an entity came to be managed. */
export enum KonnectAdoption {
  Created = "created",
  /** Konnect already had it (named as `existing`, or its name was taken): it was taken over. */
  Adopted = "adopted",
}

/**
 * Creates the entity exactly once. A POST whose outcome is unknown is followed by a lookup by
 * name before any new POST; a name Konnect says is taken is looked up and taken over, its
 * content replaced when it differs; `existing` takes over the entity it names.
 */
export async function createEntity(connection: KonnectConnection, collection: KonnectCollection, name: string, body: KonnectRequestBody, existing?: string): Promise<{ entity: KonnectEntity; adoption: KonnectAdoption }> {
  if (existing !== undefined) {
    const found = await getEntity(connection, collection, existing);
    if (found === undefined) {
      throw new KonnectApiError(`GET ${path(collection, existing)}`, 404, [{ path: "existing", message: `names no ${collection.kind} on control plane ${collection.controlPlaneId}`, received: existing }]);
    }
    return { entity: await converge(connection, collection, found, body), adoption: KonnectAdoption.Adopted };
  }
  for (let attempt = 0; ; attempt += 1) {
    try {
      const response = await konnectRequest(connection, "POST", path(collection), body, [200, 201]);
      return { entity: entityOf(collection.kind, response.body), adoption: KonnectAdoption.Created };
    } catch (error) {
      const uncertain = error instanceof KonnectUncertainOutcome;
      if (!uncertain && !(error instanceof KonnectApiError && error.nameTaken)) throw error;
      const found = await getEntity(connection, collection, name);
      if (found !== undefined) return { entity: await converge(connection, collection, found, body), adoption: uncertain ? KonnectAdoption.Created : KonnectAdoption.Adopted };
      await pause(connection, backoffMs(connection.retry, attempt), `POST ${path(collection)}`, error.message);
    }
  }
}

/** The entity with this content: unchanged when it already holds it, replaced otherwise. */
async function converge(connection: KonnectConnection, collection: KonnectCollection, found: KonnectEntity, body: KonnectRequestBody): Promise<KonnectEntity> {
  return found.digest === konnectBodyDigest(body) ? found : putEntity(connection, collection, found.id, body);
}

/** Reads Konnect's answer: a CustomPlugin object, or `{item: {name, lua_schema}}`. */
function entityOf(kind: KonnectEntityKind, body: unknown): KonnectEntity {
  const object = (value: unknown): Record<string, unknown> => (value !== null && typeof value === "object" ? (value as Record<string, unknown>) : {});
  const text = (value: unknown) => (typeof value === "string" ? value : "");
  if (kind === KonnectEntityKind.CustomPlugin) {
    const plugin = object(body);
    const content = { name: text(plugin.name), handler: text(plugin.handler), schema: text(plugin.schema) };
    return withId({ id: text(plugin.id), name: content.name, digest: konnectBodyDigest(content) });
  }
  const item = object(object(body).item);
  return withId({ id: text(item.name), name: text(item.name), digest: konnectBodyDigest({ lua_schema: text(item.lua_schema) }) });
}

function withId(entity: KonnectEntity): KonnectEntity {
  if (entity.id === "") throw new Error(`Konnect answered without the entity's ${entity.name === "" ? "id or name" : "id"}: the response is not what its API documents`);
  return entity;
}
