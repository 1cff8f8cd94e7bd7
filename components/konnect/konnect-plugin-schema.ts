import * as pulumi from "@pulumi/pulumi";
import { konnectPluginComponent, type KonnectPluginArgs } from "./konnect-plugin-args";
import { KonnectEntityKind } from "./requests";

/** Arguments of {@link KonnectPluginSchema}. */
export interface KonnectPluginSchemaArgs extends KonnectPluginArgs {}

/**
 * A custom plugin's schema.lua uploaded to a hybrid Konnect control plane
 * (`POST .../core-entities/plugin-schemas` with `{lua_schema}`), so that Konnect can configure
 * the plugin; the plugin's files reach the data planes through the image, ConfigMaps or a
 * mount. Remove in this order: instances, then this schema, then the files on each data plane.
 * See https://developer.konghq.com/custom-plugins/konnect-hybrid-mode/
 */
export class KonnectPluginSchema extends pulumi.ComponentResource {
  /** The schema's id in Konnect: the plugin's name. */
  readonly konnectId: pulumi.Output<string>;
  /** The plugin's name. */
  readonly pluginName: pulumi.Output<string>;
  /** The JSON body sent to Konnect: `{lua_schema}`. */
  readonly requestBody: pulumi.Output<Record<string, string>>;
  /** The create request as text (method, URL, headers with the token masked, body). */
  readonly requestPreview: pulumi.Output<string>;
  /** Digest of the body: an update is sent only when it changes. */
  readonly digest: pulumi.Output<string>;
  /** The decK file configuring the instances on the control plane, when controlPlaneName is given. */
  readonly deckFile: pulumi.Output<string | undefined>;

  constructor(name: string, args: KonnectPluginSchemaArgs, opts?: pulumi.ComponentResourceOptions) {
    super("kong-plugins:index:KonnectPluginSchema", name, {}, opts);
    const outputs = konnectPluginComponent(this, "kong-plugins:index:KonnectPluginSchema", name, KonnectEntityKind.PluginSchema, args);
    this.konnectId = outputs.konnectId;
    this.pluginName = outputs.pluginName;
    this.requestBody = outputs.requestBody;
    this.requestPreview = outputs.requestPreview;
    this.digest = outputs.digest;
    this.deckFile = outputs.deckFile;
    this.registerOutputs({ ...outputs });
  }
}
