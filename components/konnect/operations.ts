// The operations of the Konnect dynamic provider, in one module: when the package is installed,
// Pulumi serializes the provider with a `require` of this module (package.json exports it as
// `pulumi-kong-plugins/internal/konnect-operations`) instead of copying its code.
import type * as pulumi from "@pulumi/pulumi";
import type { FieldPaths } from "./api-errors";
import { DEFAULT_RETRY_POLICY, konnectConnection, type KonnectRetryPolicy } from "./client";
import { createEntity, deleteEntity, getEntity, putEntity, type KonnectCollection } from "./entities";
import type { KonnectEntityKind, KonnectRequestBody } from "./requests";
import type { ResolvedKonnectPlugin } from "./resolve";

/** What the provider is given. */
export interface KonnectEntityInputs {
  readonly kind: KonnectEntityKind;
  readonly baseUrl: string;
  readonly controlPlaneId: string;
  /** The plugin's name. */
  readonly name: string;
  readonly body: KonnectRequestBody;
  /** Digest of `body` (requests.ts `konnectBodyDigest`): an update is sent only when it changes. */
  readonly digest: string;
  readonly token: string;
  /** The id or name of an entity to take over. */
  readonly existing?: string;
  readonly fieldPaths: FieldPaths;
  /** Internal: the tests' short timeouts and backoffs. */
  readonly retry?: KonnectRetryPolicy;
}

/** What the provider keeps: where the entity is, its id, and the digest of what Konnect holds. */
export interface KonnectEntityOutputs {
  readonly kind: KonnectEntityKind;
  readonly baseUrl: string;
  readonly controlPlaneId: string;
  readonly name: string;
  /** The entity's id in Konnect (a custom plugin's UUID, a schema's name). */
  readonly konnectId: string;
  readonly digest: string;
  readonly adoption?: string;
  readonly token: string;
  readonly fieldPaths: FieldPaths;
  readonly retry?: KonnectRetryPolicy;
}

/** What the provider is given for a resolved plugin, but the token. */
export function entityInputsOf(resolved: ResolvedKonnectPlugin): Omit<KonnectEntityInputs, "token" | "retry"> {
  return {
    kind: resolved.kind,
    baseUrl: resolved.target.baseUrl,
    controlPlaneId: resolved.target.controlPlaneId,
    name: resolved.plugin.name,
    body: resolved.body,
    digest: resolved.digest,
    ...(resolved.existing !== undefined ? { existing: resolved.existing } : {}),
    fieldPaths: resolved.fieldPaths,
  };
}

function connect(props: Pick<KonnectEntityInputs, "baseUrl" | "token" | "fieldPaths" | "retry">) {
  return konnectConnection(props.baseUrl, props.token, props.fieldPaths ?? {}, props.retry ?? DEFAULT_RETRY_POLICY);
}

const collectionOf = (props: Pick<KonnectEntityInputs, "kind" | "controlPlaneId">): KonnectCollection => ({ kind: props.kind, controlPlaneId: props.controlPlaneId });

function outputs(inputs: KonnectEntityInputs, konnectId: string, digest: string, adoption?: string): KonnectEntityOutputs {
  return {
    kind: inputs.kind,
    baseUrl: inputs.baseUrl,
    controlPlaneId: inputs.controlPlaneId,
    name: inputs.name,
    konnectId,
    digest,
    ...(adoption !== undefined ? { adoption } : {}),
    token: inputs.token,
    fieldPaths: inputs.fieldPaths,
    ...(inputs.retry !== undefined ? { retry: inputs.retry } : {}),
  };
}

/** Whether the entity must change, and whether it must be replaced. */
export async function diffKonnectEntity(olds: KonnectEntityOutputs, news: KonnectEntityInputs): Promise<pulumi.dynamic.DiffResult> {
  // Another control plane, API or kind is another entity; a custom plugin's name is what its
  // instances refer to, and a schema's is its id: both are replaced, never renamed.
  const replaces = (["kind", "baseUrl", "controlPlaneId", "name"] as const).filter((key) => olds[key] !== news[key]);
  // A new token must reach the state, or a later delete would use the revoked one.
  const changes = replaces.length > 0 || olds.digest !== news.digest || olds.token !== news.token;
  return { changes, ...(replaces.length > 0 ? { replaces: [...replaces], deleteBeforeReplace: false } : {}) };
}

/** Creates (or takes over) the entity. */
export async function createKonnectEntity(inputs: KonnectEntityInputs): Promise<pulumi.dynamic.CreateResult> {
  const { entity, adoption } = await createEntity(connect(inputs), collectionOf(inputs), inputs.name, inputs.body, inputs.existing);
  return { id: entity.id, outs: outputs(inputs, entity.id, entity.digest, adoption) };
}

/** Reads the entity back; no id when it is gone (the engine then takes it as deleted outside Pulumi). */
export async function readKonnectEntity(id: string, props: KonnectEntityOutputs): Promise<pulumi.dynamic.ReadResult> {
  const entity = await getEntity(connect(props), collectionOf(props), id);
  if (entity === undefined) return { id: "", props: {} };
  return { id: entity.id, props: { ...props, konnectId: entity.id, digest: entity.digest } };
}

/** Sends the new content when its digest changed; otherwise only the state changes (a new token). */
export async function updateKonnectEntity(id: string, olds: KonnectEntityOutputs, news: KonnectEntityInputs): Promise<pulumi.dynamic.UpdateResult> {
  if (olds.digest === news.digest) return { outs: outputs(news, id, olds.digest, olds.adoption) };
  const entity = await putEntity(connect(news), collectionOf(news), id, news.body);
  return { outs: outputs(news, entity.id, entity.digest, olds.adoption) };
}

/** Deletes the entity; one already gone is no error. */
export async function deleteKonnectEntity(id: string, props: KonnectEntityOutputs): Promise<void> {
  await deleteEntity(connect(props), collectionOf(props), id);
}
