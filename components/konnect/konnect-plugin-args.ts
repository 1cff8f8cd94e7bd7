// The inputs both Konnect components take, documented once, and what they share of their work:
// resolve without network, report the preview, register the entity.
import * as pulumi from "@pulumi/pulumi";
import { reportArtifacts } from "../core/artifacts";
import { stableYaml } from "../core/canonical";
import { SecretInputs } from "../core/secret-inputs";
import { withheldInstanceSpec } from "../plugin/instance";
import type { PluginInstanceSpec } from "../plugin/instance-model";
import type { PluginSpec } from "../plugin/model";
import { renderKonnectDeckFile } from "./deck-file";
import { entityInputsOf, KonnectEntity } from "./provider";
import { konnectRequestPreview, type KonnectEntityKind } from "./requests";
import { resolveKonnectPluginSpec, type KonnectPluginSpec, type ResolvedKonnectPlugin } from "./resolve";
import type { KonnectRegion } from "./target";

/** Arguments of {@link KonnectCustomPlugin} and {@link KonnectPluginSchema}. */
export interface KonnectPluginArgs {
  /** The plugin (a PluginMetadata's `definition`). It must meet Konnect's rules, checked before any request. */
  readonly plugin: pulumi.Input<PluginSpec>;
  /** The control plane's UUID (Gateway Manager shows it). */
  readonly controlPlaneId: pulumi.Input<string>;
  /**
   * A Konnect personal or system access token. Always treated as a Pulumi secret: it is sent
   * as `Authorization: Bearer` and appears in no output, preview or error.
   */
  readonly token: pulumi.Input<string>;
  /**
   * The Konnect region whose API serves the control plane.
   * @default - "us", unless baseUrl is given
   */
  readonly region?: pulumi.Input<KonnectRegion>;
  /**
   * The Konnect API's base URL, instead of a region. Plain `http://` only to a loopback address.
   * @default - `https://<region>.api.konghq.com`
   */
  readonly baseUrl?: pulumi.Input<string>;
  /**
   * The control plane's name, which the rendered decK file selects it by (`_konnect.control_plane_name`).
   * Required with instances.
   * @default - no decK file
   */
  readonly controlPlaneName?: pulumi.Input<string>;
  /**
   * Instances of the plugin (PluginInstance definitions) to configure on the control plane:
   * rendered as a decK file for `deck gateway sync`, checked by the plugin's schema.lua.
   * See https://developer.konghq.com/deck/gateway/konnect-configuration/
   * @default []
   */
  readonly instances?: pulumi.Input<pulumi.Input<PluginInstanceSpec>[]>;
  /**
   * The id or name of a plugin already in Konnect to take over (import) instead of creating
   * one; its content is replaced by this plugin's when it differs.
   * @default - created; taken over when Konnect says the name exists
   */
  readonly existing?: pulumi.Input<string>;
}

/** What a Konnect component outputs. */
export interface KonnectPluginOutputs {
  readonly konnectId: pulumi.Output<string>;
  readonly pluginName: pulumi.Output<string>;
  readonly requestBody: pulumi.Output<Record<string, string>>;
  readonly requestPreview: pulumi.Output<string>;
  readonly digest: pulumi.Output<string>;
  readonly deckFile: pulumi.Output<string | undefined>;
}

/** The provider's inputs, field by field, so that each stays known or unknown on its own in a preview. */
function entityFields(resolved: pulumi.Output<ResolvedKonnectPlugin>) {
  const inputs = resolved.apply(entityInputsOf);
  return {
    kind: inputs.kind,
    baseUrl: inputs.baseUrl,
    controlPlaneId: inputs.controlPlaneId,
    name: inputs.name,
    body: inputs.body,
    digest: inputs.digest,
    existing: inputs.existing,
    fieldPaths: inputs.fieldPaths,
  };
}

/** The decK file as YAML, when there is a control plane name to select. */
function deckYaml(resolved: ResolvedKonnectPlugin): string | undefined {
  return resolved.controlPlaneName === undefined ? undefined : stableYaml(renderKonnectDeckFile(resolved.controlPlaneName, resolved.plugin.name, resolved.instances));
}

/**
 * Does a Konnect component's work: checks everything offline (a refused plugin makes no
 * request), reports the request and decK file to an offline preview, registers the entity.
 */
export function konnectPluginComponent(component: pulumi.ComponentResource, type: string, name: string, kind: KonnectEntityKind, args: KonnectPluginArgs): KonnectPluginOutputs {
  // The token is secret however it is given; instances' secret config renders as references.
  const inputs = new SecretInputs(component, args, ["token", "instances[*].secretConfig"]);
  const checked = inputs.checked((values) => {
    const { token: _token, ...rest } = values as unknown as KonnectPluginSpec & { token: string };
    const spec: KonnectPluginSpec = { ...rest, instances: (rest.instances ?? []).map(withheldInstanceSpec) };
    return resolveKonnectPluginSpec(spec, kind);
  });
  const resolved = inputs.publish(checked);
  const requestPreview = resolved.apply((value) => konnectRequestPreview(kind, value.target, value.body));
  const deckFile = resolved.apply(deckYaml);

  const entity = new KonnectEntity(
    `${name}-${kind}`,
    { ...entityFields(resolved), token: pulumi.secret(pulumi.output(args.token)) },
    { parent: component },
  );

  reportArtifacts({
    type,
    name,
    files: pulumi.all([requestPreview, deckFile]).apply(([request, deck]) => ({ "request.json": request, ...(deck !== undefined ? { "deck.yaml": deck } : {}) })),
  });
  return {
    konnectId: entity.konnectId,
    pluginName: resolved.plugin.name,
    requestBody: resolved.apply((value): Record<string, string> => ({ ...value.body })),
    requestPreview,
    digest: resolved.digest,
    deckFile,
  };
}
