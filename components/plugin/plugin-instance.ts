import * as pulumi from "@pulumi/pulumi";
import { reportArtifacts } from "../core/artifacts";
import { stableYaml } from "../core/canonical";
import { REDACTED, rethrowValidationAs } from "../core/errors";
import { withoutUndefined } from "../core/objects";
import { resolvePluginInstance } from "./instance";
import type { KongProtocol, PluginInstanceSpec, PluginOrdering, TargetRef } from "./instance-model";
import type { PluginSpec } from "./model";
import { resolvePlugin } from "./validate";
import { pluginMetadataName, renderDeclarativePlugin, renderIngressControllerPlugin, renderOperatorKongPlugin } from "./resources";

/** Arguments of {@link PluginInstance}. */
export interface PluginInstanceArgs {
  /**
   * The custom plugin this configures (a PluginMetadata's `definition`); `config` is validated
   * against its configSchema and `protocols` against its type.
   * @default - none; give `plugin` or `pluginName`
   */
  readonly plugin?: pulumi.Input<PluginSpec>;
  /**
   * The name of a plugin not described by a PluginMetadata, such as a bundled one (`key-auth`).
   * @default - none; give `plugin` or `pluginName`
   */
  readonly pluginName?: pulumi.Input<string>;
  /**
   * The plugin's configuration. See https://docs.konghq.com/gateway/latest/plugin-development/configuration/
   * @default {}
   */
  readonly config?: pulumi.Input<Record<string, any>>;
  /**
   * Configuration values that are secret (tokens, passwords), by top-level config key. They
   * stay Pulumi secrets and are rendered only as references: a Kubernetes Secret read through
   * `configFrom`, or `{vault://env/...}` in a kong.yaml. Values must be strings.
   * @default {}
   */
  readonly secretConfig?: pulumi.Input<Record<string, pulumi.Input<string>>>;
  /**
   * Apply to this Kong service only (by name).
   * @default - not limited to a service
   */
  readonly service?: pulumi.Input<string>;
  /**
   * Apply to this Kong route only (by name).
   * @default - not limited to a route
   */
  readonly route?: pulumi.Input<string>;
  /**
   * Apply to this consumer only (by username).
   * @default - not limited to a consumer
   */
  readonly consumer?: pulumi.Input<string>;
  /**
   * Apply to a Gateway API object, as the operator's KongPlugin does (`targetRef`). Cannot be
   * combined with service, route or consumer, nor with secretConfig.
   * @default - no Gateway API target; without any scope the instance is global
   */
  readonly targetRef?: pulumi.Input<TargetRef>;
  /**
   * Whether the instance is active (`enabled` in kong.yaml, `disabled` in the Ingress Controller's KongPlugin).
   * @default true
   */
  readonly enabled?: pulumi.Input<boolean>;
  /**
   * Protocols the instance runs on; they must belong to the plugin's subsystem.
   * @default - Kong's default for the plugin's schema
   */
  readonly protocols?: pulumi.Input<pulumi.Input<KongProtocol>[]>;
  /**
   * Dynamic plugin ordering (Kong Enterprise), e.g. `{ before: { access: ["key-auth"] } }`.
   * See https://docs.konghq.com/gateway/latest/kong-enterprise/plugin-ordering/
   * @default - Kong orders plugins by PRIORITY
   */
  readonly ordering?: pulumi.Input<PluginOrdering>;
  /**
   * Kong's `instance_name`, to tell apart several instances of one plugin.
   * @default - unnamed
   */
  readonly instanceName?: pulumi.Input<string>;
  /**
   * Kong tags (at most 20, each 1 to 128 characters, no `,` or `/`).
   * @default []
   */
  readonly tags?: pulumi.Input<pulumi.Input<string>[]>;
  /**
   * Kubernetes namespace of the instance's resources.
   * @default "default"
   */
  readonly namespace?: pulumi.Input<string>;
  /**
   * Render the Ingress Controller form as a cluster-scoped KongClusterPlugin even when the
   * instance is scoped to a service, route or consumer. Global instances always are.
   * @default false
   */
  readonly clusterWide?: pulumi.Input<boolean>;
}

/**
 * One configured use of a plugin: validated against the plugin's schema before anything is
 * deployed, and rendered in every form Kong reads: the operator's KongPlugin, the Ingress
 * Controller's KongPlugin/KongClusterPlugin (with a Secret for secret config), and a
 * declarative kong.yaml entry. It registers no cloud resources; stacks consume it.
 */
export class PluginInstance extends pulumi.ComponentResource {
  /**
   * The checked instance as data, for the stacks (`instances: [instance.definition]`), from any
   * Pulumi language. A Pulumi secret when the instance has secret config.
   */
  readonly definition: pulumi.Output<PluginInstanceSpec>;
  /** The configured plugin's name. */
  readonly pluginName: pulumi.Output<string>;
  /** The operator's KongPlugin (gateway.konghq.com/v1alpha1), for instances with a targetRef. */
  readonly operatorKongPlugin: pulumi.Output<Record<string, any> | undefined>;
  /** The Ingress Controller's KongPlugin or KongClusterPlugin (configuration.konghq.com/v1). */
  readonly ingressControllerPlugin: pulumi.Output<Record<string, any>>;
  /** The Secret its `configFrom` reads, when there is secret config. Always a Pulumi secret. */
  readonly ingressControllerSecret: pulumi.Output<Record<string, any> | undefined>;
  /** Annotations that attach the Ingress Controller plugin to Services, routes and consumers. */
  readonly annotations: pulumi.Output<Record<string, string>>;
  /** The `plugins[]` entry of a declarative kong.yaml; secrets appear as vault references. */
  readonly declarativeEntry: pulumi.Output<Record<string, any>>;
  /** Environment variables the vault references need. Always a Pulumi secret. */
  readonly secretEnvironment: pulumi.Output<Record<string, string>>;

  constructor(name: string, args: PluginInstanceArgs, opts?: pulumi.ComponentResourceOptions) {
    super("kong-plugins:index:PluginInstance", name, {}, opts);
    const toResourceError = (error: Error) => new pulumi.ResourceError(error.message, this);
    // Keys are no secret: they decide the shape of what is rendered; the values never do.
    const secretValues = pulumi.secret(pulumi.output(args.secretConfig ?? {})) as pulumi.Output<Record<string, string>>;
    const secretKeys = pulumi.unsecret(secretValues.apply((values) => Object.keys(values)));

    const publicSpec = pulumi
      .output({
        plugin: pulumi.output(args.plugin).apply((spec) => spec && rethrowValidationAs(toResourceError, () => resolvePlugin(spec))),
        pluginName: args.pluginName,
        secretKeys,
        config: args.config,
        service: args.service,
        route: args.route,
        consumer: args.consumer,
        targetRef: args.targetRef,
        enabled: args.enabled,
        protocols: args.protocols,
        ordering: args.ordering,
        instanceName: args.instanceName,
        tags: args.tags,
        namespace: args.namespace,
        clusterWide: args.clusterWide,
      })
      .apply(({ plugin, pluginName, secretKeys: keys, ...rest }): PluginInstanceSpec => {
        if ((plugin === undefined) === (pluginName === undefined)) {
          throw new pulumi.ResourceError(`${name}: give exactly one of plugin (a PluginMetadata's definition) or pluginName`, this);
        }
        return withoutUndefined({
          ...rest,
          name,
          plugin: plugin?.name ?? (pluginName as string),
          pluginType: plugin?.type,
          configSchema: plugin?.configSchema,
          // Placeholders: what is rendered publicly must not depend on the secret values.
          secretConfig: Object.fromEntries(keys.map((key) => [key, REDACTED])),
        });
      });

    const resolved = publicSpec.apply((spec) => rethrowValidationAs(toResourceError, () => resolvePluginInstance(spec, { secretValuesWithheld: true })));
    // The definition carries the secret values, checked only once the public check has passed
    // so that a problem is reported once, not twice; it is a secret exactly when it holds one.
    const withSecrets = pulumi
      .all([resolved, publicSpec, secretValues])
      .apply(([, spec, values]) => rethrowValidationAs(toResourceError, () => resolvePluginInstance({ ...spec, secretConfig: values })));
    this.definition = pulumi.all([withSecrets, publicSpec, secretValues]).apply(([, spec, values]) => {
      const definition = { ...spec, secretConfig: values };
      return Object.keys(values).length > 0 ? pulumi.secret(definition) : pulumi.output(definition);
    });

    const ingress = resolved.apply(renderIngressControllerPlugin);
    this.pluginName = resolved.plugin;
    this.operatorKongPlugin = resolved.apply((instance) => (instance.targetRef === undefined ? undefined : renderOperatorKongPlugin(instance, pluginMetadataName({ name: instance.plugin }))));
    this.ingressControllerPlugin = ingress.resource;
    this.annotations = ingress.apply((rendered) => ({ ...rendered.annotations }));
    this.ingressControllerSecret = pulumi.secret(withSecrets.apply((instance) => renderIngressControllerPlugin(instance).secret));
    this.declarativeEntry = resolved.apply((instance) => renderDeclarativePlugin(instance).entry);
    this.secretEnvironment = pulumi.secret(withSecrets.apply((instance) => ({ ...renderDeclarativePlugin(instance).secretEnvironment })));

    reportArtifacts({
      type: "kong-plugins:index:PluginInstance",
      name,
      // Rendered from the instance with its secret values withheld: a Secret shows `[secret]`.
      files: pulumi.all([ingress, this.declarativeEntry, this.operatorKongPlugin]).apply(([ingressController, entry, operatorPlugin]) => ({
        "ingress-controller.yaml": stableYaml([ingressController.resource, ...(ingressController.secret ? [ingressController.secret] : [])]),
        "annotations.yaml": stableYaml(ingressController.annotations),
        "kong-yaml-entry.yaml": stableYaml(entry),
        ...(operatorPlugin ? { "operator-kongplugin.yaml": stableYaml(operatorPlugin) } : {}),
      })),
    });
    this.registerOutputs({
      definition: this.definition,
      pluginName: this.pluginName,
      operatorKongPlugin: this.operatorKongPlugin,
      ingressControllerPlugin: this.ingressControllerPlugin,
      ingressControllerSecret: this.ingressControllerSecret,
      annotations: this.annotations,
      declarativeEntry: this.declarativeEntry,
      secretEnvironment: this.secretEnvironment,
    });
  }
}
