import * as pulumi from "@pulumi/pulumi";
import { konnectPluginComponent, type KonnectPluginArgs } from "./konnect-plugin-args";
import { KonnectEntityKind } from "./requests";

/** Arguments of {@link KonnectCustomPlugin}. */
export interface KonnectCustomPluginArgs extends KonnectPluginArgs {}

/**
 * A custom plugin streamed by Konnect to the data planes of a Dedicated Cloud Gateway control
 * plane: handler.lua and schema.lua uploaded once (`POST .../core-entities/custom-plugins`),
 * replaced when their text changes, deleted with the stack. Konnect's rules (one handler.lua and
 * one schema.lua, no init_worker, no timers, schema.lua requiring Kong's modules only, the name of
 * schema.lua) are checked before any request.
 * See https://developer.konghq.com/custom-plugins/streaming-plugins/
 */
export class KonnectCustomPlugin extends pulumi.ComponentResource {
  /** The custom plugin's id in Konnect. */
  readonly konnectId: pulumi.Output<string>;
  /** The plugin's name. */
  readonly pluginName: pulumi.Output<string>;
  /** The JSON body sent to Konnect: `{name, handler, schema}`. */
  readonly requestBody: pulumi.Output<Record<string, string>>;
  /** The create request as text (method, URL, headers with the token masked, body). */
  readonly requestPreview: pulumi.Output<string>;
  /** Digest of the body: an update is sent only when it changes. */
  readonly digest: pulumi.Output<string>;
  /** The decK file configuring the instances on the control plane, when controlPlaneName is given. */
  readonly deckFile: pulumi.Output<string | undefined>;

  constructor(name: string, args: KonnectCustomPluginArgs, opts?: pulumi.ComponentResourceOptions) {
    super("kong-plugins:index:KonnectCustomPlugin", name, {}, opts);
    const outputs = konnectPluginComponent(this, "kong-plugins:index:KonnectCustomPlugin", name, KonnectEntityKind.CustomPlugin, args);
    this.konnectId = outputs.konnectId;
    this.pluginName = outputs.pluginName;
    this.requestBody = outputs.requestBody;
    this.requestPreview = outputs.requestPreview;
    this.digest = outputs.digest;
    this.deckFile = outputs.deckFile;
    this.registerOutputs({ ...outputs });
  }
}
