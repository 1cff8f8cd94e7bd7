import * as pulumi from "@pulumi/pulumi";
import type { JsonValue } from "../core/canonical";
import { reportArtifacts } from "../core/artifacts";
import { stableYaml } from "../core/canonical";
import { REDACTED, rethrowValidationAs } from "../core/errors";
import { withoutUndefined } from "../core/objects";
import { resolvePluginInstance } from "./instance";
import type { KongProtocol, PluginInstanceSpec, PluginOrdering, ResolvedPluginInstance, TargetRef } from "./instance-model";
import type { KubernetesObject } from "./kubernetes-object";
import type { PluginMetadata } from "./plugin-metadata";
import { pluginMetadataName, renderDeclarativePlugin, renderIngressControllerPlugin, renderOperatorKongPlugin } from "./resources";

/** The structural facts of an instance that stacks need before its outputs resolve. */
export interface InstanceShape {
  /** Keys of its secret config. */
  readonly secretKeys: readonly string[];
  /** Whether it applies to a Gateway API object (the operator's KongPlugin). */
  readonly targetsGateway: boolean;
  /** Its Ingress Controller kind. */
  readonly ingressControllerKind: "KongPlugin" | "KongClusterPlugin";
}

/** Arguments of {@link PluginInstance}. */
export interface PluginInstanceArgs {
  /**
   * The custom plugin this configures; `config` is validated against its configSchema and
   * `protocols` against its type.
   * @default - none; give `plugin` or `pluginName`
   */
  readonly plugin?: PluginMetadata;
  /**
   * The name of a plugin not described by a PluginMetadata, such as a bundled one (`key-auth`).
   * @default - none; give `plugin` or `pluginName`
   */
  readonly pluginName?: pulumi.Input<string>;
  /**
   * The plugin's configuration. See https://docs.konghq.com/gateway/latest/plugin-development/configuration/
   * @default {}
   */
  readonly config?: pulumi.Input<Record<string, pulumi.Input<JsonValue>>>;
  /**
   * Configuration values that are secret (tokens, passwords), by top-level config key. They
   * stay Pulumi secrets and are rendered only as references: a Kubernetes Secret read through
   * `configFrom`, or `{vault://env/...}` in a kong.yaml. Values must be strings.
   * @default {}
   */
  readonly secretConfig?: Record<string, pulumi.Input<string>>;
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
   * instance is scoped to a service, route or consumer. Global instances always are. A plain
   * value: it decides which kind of resource a stack registers.
   * @default false
   */
  readonly clusterWide?: boolean;
}

/**
 * One configured use of a plugin: validated against the plugin's schema before anything is
 * deployed, and rendered in every form Kong reads: the operator's KongPlugin, the Ingress
 * Controller's KongPlugin/KongClusterPlugin (with a Secret for secret config), and a
 * declarative kong.yaml entry. It registers no cloud resources; stacks consume it.
 */
export class PluginInstance extends pulumi.ComponentResource {
  /** This component's Pulumi name; stacks name their children for this instance after it. */
  readonly resourceName: string;
  /** What decides which resources a stack registers for this instance, known without waiting for outputs. */
  readonly shape: InstanceShape;
  /** The secret config values by key. Always a Pulumi secret. */
  readonly secretConfigValues: pulumi.Output<Record<string, string>>;
  /** The checked instance, secret values withheld, for other components of this library. */
  readonly resolved: pulumi.Output<ResolvedPluginInstance>;
  /** The configured plugin's name. */
  readonly pluginName: pulumi.Output<string>;
  /** The operator's KongPlugin (gateway.konghq.com/v1alpha1), for instances with a targetRef. */
  readonly operatorKongPlugin: pulumi.Output<KubernetesObject | undefined>;
  /** The Ingress Controller's KongPlugin or KongClusterPlugin (configuration.konghq.com/v1). */
  readonly ingressControllerPlugin: pulumi.Output<KubernetesObject>;
  /** The Secret its `configFrom` reads, when there is secret config. Always a Pulumi secret. */
  readonly ingressControllerSecret: pulumi.Output<KubernetesObject | undefined>;
  /** Annotations that attach the Ingress Controller plugin to Services, routes and consumers. */
  readonly annotations: pulumi.Output<Record<string, string>>;
  /** The `plugins[]` entry of a declarative kong.yaml; secrets appear as vault references. */
  readonly declarativeEntry: pulumi.Output<Record<string, JsonValue>>;
  /** Environment variables the vault references need. Always a Pulumi secret. */
  readonly secretEnvironment: pulumi.Output<Record<string, string>>;

  constructor(name: string, args: PluginInstanceArgs, opts?: pulumi.ComponentResourceOptions) {
    super("kong-plugins:index:PluginInstance", name, {}, opts);
    const toResourceError = (error: Error) => new pulumi.ResourceError(error.message, this);
    const plugin = args.plugin?.resolved;
    const secretKeys = Object.keys(args.secretConfig ?? {});
    this.resourceName = name;
    const scoped = [args.service, args.route, args.consumer].some((scope) => scope !== undefined);
    this.shape = {
      secretKeys,
      targetsGateway: args.targetRef !== undefined,
      ingressControllerKind: scoped && !args.clusterWide ? "KongPlugin" : "KongClusterPlugin",
    };

    const publicSpec = pulumi
      .output({
        resolvedPlugin: plugin,
        pluginName: args.pluginName,
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
      .apply(({ resolvedPlugin, pluginName, ...rest }): PluginInstanceSpec => {
        if ((resolvedPlugin === undefined) === (pluginName === undefined)) {
          throw new pulumi.ResourceError(`${name}: give exactly one of plugin (a PluginMetadata) or pluginName`, this);
        }
        return withoutUndefined({
          ...(rest as Omit<PluginInstanceSpec, "name" | "plugin">),
          name,
          plugin: resolvedPlugin?.name ?? (pluginName as string),
          pluginType: resolvedPlugin?.type,
          configSchema: resolvedPlugin?.configSchema,
          // Placeholders: what is rendered publicly must not depend on the secret values.
          secretConfig: Object.fromEntries(secretKeys.map((key) => [key, REDACTED])),
        });
      });

    this.resolved = publicSpec.apply((spec) => rethrowValidationAs(toResourceError, () => resolvePluginInstance(spec, { secretValuesWithheld: true })));
    // The check of the secret values lives inside a secret output. It runs only once the
    // public check has passed, so that a problem is reported once, not twice.
    const secretValues = pulumi.secret(pulumi.output(args.secretConfig ?? {}));
    this.secretConfigValues = secretValues as pulumi.Output<Record<string, string>>;
    const withSecrets = pulumi
      .all([this.resolved, publicSpec, secretValues])
      .apply(([, spec, values]) => rethrowValidationAs(toResourceError, () => resolvePluginInstance({ ...spec, secretConfig: values })));

    const ingress = this.resolved.apply(renderIngressControllerPlugin);
    this.pluginName = this.resolved.plugin;
    this.operatorKongPlugin = pulumi
      .all([this.resolved, plugin])
      .apply(([instance, resolvedPlugin]) =>
        instance.targetRef === undefined ? undefined : renderOperatorKongPlugin(instance, pluginMetadataName({ name: resolvedPlugin?.name ?? instance.plugin })),
      );
    this.ingressControllerPlugin = ingress.resource;
    this.annotations = ingress.apply((rendered) => ({ ...rendered.annotations }));
    this.ingressControllerSecret = pulumi.secret(withSecrets.apply((instance) => renderIngressControllerPlugin(instance).secret));
    this.declarativeEntry = this.resolved.apply((instance) => renderDeclarativePlugin(instance).entry);
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
