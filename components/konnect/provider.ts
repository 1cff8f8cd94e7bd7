// The dynamic provider behind KonnectCustomPlugin and KonnectPluginSchema: it keeps one entity
// in Konnect in step with the plugin. The token is an input like any other, a Pulumi secret the
// component marks so; it is kept in the state (encrypted, as every Pulumi secret) because a
// delete gets nothing else to authenticate with.
import * as pulumi from "@pulumi/pulumi";
import {
  createKonnectEntity,
  deleteKonnectEntity,
  diffKonnectEntity,
  readKonnectEntity,
  updateKonnectEntity,
  type KonnectEntityInputs,
  type KonnectEntityOutputs,
} from "./operations";

export { entityInputsOf, type KonnectEntityInputs, type KonnectEntityOutputs } from "./operations";

/**
 * Keeps one custom plugin or plugin schema in Konnect in step with its inputs. Its methods only
 * call operations.ts, so that Pulumi serializes it as a `require` of that one module.
 */
export const konnectEntityProvider = {
  diff: (_id: string, olds: KonnectEntityOutputs, news: KonnectEntityInputs) => diffKonnectEntity(olds, news),
  create: (inputs: KonnectEntityInputs) => createKonnectEntity(inputs),
  read: (id: string, props: KonnectEntityOutputs) => readKonnectEntity(id, props),
  update: (id: string, olds: KonnectEntityOutputs, news: KonnectEntityInputs) => updateKonnectEntity(id, olds, news),
  delete: (id: string, props: KonnectEntityOutputs) => deleteKonnectEntity(id, props),
} satisfies pulumi.dynamic.ResourceProvider;

/** A custom plugin or plugin schema in Konnect, kept by {@link konnectEntityProvider}. */
export class KonnectEntity extends pulumi.dynamic.Resource {
  /** The entity's id in Konnect. */
  declare readonly konnectId: pulumi.Output<string>;
  /** The digest of what Konnect holds. */
  declare readonly digest: pulumi.Output<string>;
  /** How the entity came to be managed: `created` or `adopted`. */
  declare readonly adoption: pulumi.Output<string | undefined>;

  constructor(name: string, args: { [K in keyof KonnectEntityInputs]: pulumi.Input<KonnectEntityInputs[K]> }, opts?: pulumi.CustomResourceOptions) {
    super(konnectEntityProvider, name, { ...args, konnectId: undefined, adoption: undefined }, { ...opts, additionalSecretOutputs: [...(opts?.additionalSecretOutputs ?? []), "token"] });
  }
}
