import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { reportArtifacts } from "../core/artifacts";
import { stableYaml } from "../core/canonical";
import { REDACTED, rethrowValidationAs } from "../core/errors";
import { toKubernetesName } from "../core/names";
import { fieldOutputs, withoutUndefined } from "../core/objects";
import type { KubernetesObject } from "../plugin/kubernetes-object";
import { composeSecretVariable, renderKnepComposeService, type KnepComposeService } from "./compose";
import { renderKnepEnvironment, secretVariables, type KnepEnvironmentEntry } from "./environment";
import { knepSecretChecksum, renderKnepKubernetes } from "./kubernetes";
import { resolveKnep } from "./resolve";
import type {
  KnepEventType,
  KnepFileTarget,
  KnepHttpTarget,
  KnepKafkaTarget,
  KnepLogLevel,
  KnepResources,
  KnepSpec,
  KnepTargetType,
  ResolvedKnep,
} from "./spec";

/** A RabbitMQ target; its URL (with credentials) is always kept a secret. */
export interface KnepRabbitMqTargetArgs {
  /** AMQP URL with credentials, `amqp://` or `amqps://` (`TARGET_RABBITMQ_URL`). */
  readonly url: pulumi.Input<string>;
  /** Exchange events are published to (`TARGET_RABBITMQ_EXCHANGE`). */
  readonly exchange: pulumi.Input<string>;
  /**
   * Routing key of the published events (`TARGET_RABBITMQ_ROUTING_KEY`).
   * @default "kong.events"
   */
  readonly routingKey?: pulumi.Input<string>;
}

/** Where and how the component registers KNEP's Kubernetes objects itself. */
export interface KnepKubernetesArgs {
  /** Namespace of the objects. */
  readonly namespace: pulumi.Input<string>;
  /**
   * Base name of the objects (`<name>`, `<name>-config`, `<name>-secret`).
   * @default - the component's name
   */
  readonly name?: pulumi.Input<string>;
  /**
   * The Kubernetes provider to register them with (e.g. one that renders YAML to a folder).
   * @default - the program's default Kubernetes provider
   */
  readonly provider?: k8s.Provider;
}

/** Arguments of {@link KnepDeployment}. */
export interface KnepDeploymentArgs {
  /** KNEP's image; there is no public default. */
  readonly image: pulumi.Input<string>;
  /** Kong Admin API URL, http or https (`KONG_ADMIN_URL`). */
  readonly kongAdminUrl: pulumi.Input<string>;
  /**
   * Timeout of Admin API calls in seconds (`KONG_ADMIN_TIMEOUT`).
   * @default 5
   */
  readonly adminTimeoutSeconds?: pulumi.Input<number>;
  /** Where events go (`TARGET_TYPE`); give the one matching target block. */
  readonly targetType: pulumi.Input<KnepTargetType>;
  /**
   * The Kafka target, with `targetType: kafka`.
   * @default - none
   */
  readonly kafka?: pulumi.Input<KnepKafkaTarget>;
  /**
   * The HTTP target, with `targetType: http`.
   * @default - none
   */
  readonly http?: pulumi.Input<KnepHttpTarget>;
  /**
   * The file target, with `targetType: file` (`TARGET_FILE_PATH`).
   * @default - none
   */
  readonly file?: pulumi.Input<KnepFileTarget>;
  /**
   * The RabbitMQ target, with `targetType: rabbitmq`.
   * @default - none
   */
  readonly rabbitmq?: KnepRabbitMqTargetArgs;
  /**
   * Event types to forward (`EVENT_FILTER_TYPES`).
   * @default [] (all events)
   */
  readonly eventTypes?: pulumi.Input<KnepEventType[]>;
  /**
   * KNEP's log level (`LOG_LEVEL`).
   * @default KnepLogLevel.Info
   */
  readonly logLevel?: pulumi.Input<KnepLogLevel>;
  /**
   * Replicas of the Kubernetes Deployment.
   * @default 1
   */
  readonly replicas?: pulumi.Input<number>;
  /**
   * Resource requests and limits of the KNEP container on Kubernetes.
   * @default - none
   */
  readonly resources?: pulumi.Input<KnepResources>;
  /**
   * Further plain variables; they cannot override the managed ones.
   * @default {}
   */
  readonly extraEnv?: pulumi.Input<Record<string, pulumi.Input<string>>>;
  /**
   * Further variables whose values are secrets: referenced, never inlined.
   * @default {}
   */
  readonly secretEnv?: Record<string, pulumi.Input<string>>;
  /**
   * Register KNEP's Kubernetes objects as children of this component.
   * @default - rendered only (a stack that includes this KNEP registers nothing twice)
   */
  readonly kubernetes?: KnepKubernetesArgs;
  /**
   * KNEP's service name in a compose project.
   * @default "knep"
   */
  readonly composeServiceName?: string;
}

/**
 * The KNEP event proxy, typed and validated so that a wrong combination of its environment
 * variables cannot reach a cluster. Renders its environment, its Kubernetes objects and its
 * compose service; registers the Kubernetes objects itself when `kubernetes` is given.
 */
export class KnepDeployment extends pulumi.ComponentResource {
  /** The checked KNEP, secret values withheld. */
  readonly resolved: pulumi.Output<ResolvedKnep>;
  /** KNEP's environment in order, secrets as references. */
  readonly environment: pulumi.Output<KnepEnvironmentEntry[]>;
  /** The ConfigMap of plain values. */
  readonly configMap: pulumi.Output<KubernetesObject>;
  /** The Secret of secret values, when there are any. Always a Pulumi secret. */
  readonly secret: pulumi.Output<KubernetesObject | undefined>;
  /** The Deployment. */
  readonly deployment: pulumi.Output<KubernetesObject>;
  /** The compose service, with its volumes and `.env.example`. */
  readonly composeService: pulumi.Output<KnepComposeService>;
  /** The secret values by the compose project variable that carries each (for a `.env`). Always a Pulumi secret. */
  readonly secretComposeEnvironment: pulumi.Output<Record<string, string>>;
  /** Whether this component registered the Kubernetes objects (stacks then leave them alone). */
  readonly registersKubernetes: boolean;
  /** Whether KNEP has secret variables (and so a Secret). */
  readonly hasSecrets: boolean;
  /** The registered Kubernetes resources, when `kubernetes` is given. */
  readonly kubernetesResources: pulumi.CustomResource[];

  constructor(name: string, args: KnepDeploymentArgs, opts?: pulumi.ComponentResourceOptions) {
    super("kong-plugins:index:KnepDeployment", name, {}, opts);
    const toResourceError = (error: Error) => new pulumi.ResourceError(error.message, this);
    const secretEnvNames = Object.keys(args.secretEnv ?? {});
    const hasSecrets = secretEnvNames.length > 0 || args.rabbitmq !== undefined;
    this.hasSecrets = hasSecrets;

    const publicSpec = pulumi
      .output({
        image: args.image,
        kongAdminUrl: args.kongAdminUrl,
        adminTimeoutSeconds: args.adminTimeoutSeconds,
        targetType: args.targetType,
        kafka: args.kafka,
        http: args.http,
        file: args.file,
        rabbitmq: args.rabbitmq && { exchange: args.rabbitmq.exchange, routingKey: args.rabbitmq.routingKey },
        eventTypes: args.eventTypes,
        logLevel: args.logLevel,
        replicas: args.replicas,
        resources: args.resources,
        extraEnv: args.extraEnv,
      })
      .apply((spec): KnepSpec => {
        const { rabbitmq, ...rest } = withoutUndefined(spec);
        return {
          ...(rest as Omit<KnepSpec, "rabbitmq">),
          // Placeholders: what is rendered publicly must not depend on the secret values.
          ...(rabbitmq ? { rabbitmq: { ...withoutUndefined(rabbitmq), url: REDACTED } as KnepSpec["rabbitmq"] } : {}),
          ...(secretEnvNames.length > 0 ? { secretEnv: Object.fromEntries(secretEnvNames.map((key) => [key, REDACTED])) } : {}),
        };
      });
    this.resolved = publicSpec.apply((spec) => rethrowValidationAs(toResourceError, () => resolveKnep(spec, { secretValuesWithheld: true })));

    const secretValues = pulumi.secret(pulumi.output({ url: args.rabbitmq?.url, secretEnv: args.secretEnv ?? {} }));
    const withSecrets = pulumi.all([this.resolved, publicSpec, secretValues]).apply(([, spec, values]) =>
      rethrowValidationAs(toResourceError, () =>
        resolveKnep({
          ...spec,
          ...(spec.rabbitmq ? { rabbitmq: { ...spec.rabbitmq, url: values.url as string } } : {}),
          ...(secretEnvNames.length > 0 ? { secretEnv: values.secretEnv as Record<string, string> } : {}),
        }),
      ),
    );
    // A digest of the secret values is no secret; it rolls the pods when they change.
    const secretChecksum = pulumi.unsecret(withSecrets.apply(knepSecretChecksum));

    const namespace = pulumi.output(args.kubernetes?.namespace ?? "default");
    const objectName = pulumi.output(args.kubernetes?.name ?? toKubernetesName(name));
    const kubernetesOptions = pulumi.all([namespace, objectName, secretChecksum]).apply(([ns, objectBase, checksum]) => ({ namespace: ns, name: objectBase, secretChecksum: checksum }));
    const objects = pulumi.all([this.resolved, kubernetesOptions]).apply(([knep, options]) => renderKnepKubernetes(knep, options));

    this.environment = this.resolved.apply(renderKnepEnvironment);
    this.configMap = objects.configMap;
    this.deployment = objects.deployment;
    this.secret = pulumi.secret(pulumi.all([withSecrets, kubernetesOptions]).apply(([knep, options]) => renderKnepKubernetes(knep, options).secret));
    this.composeService = this.resolved.apply((knep) => renderKnepComposeService(knep, args.composeServiceName !== undefined ? { serviceName: args.composeServiceName } : {}));
    const serviceName = args.composeServiceName ?? "knep";
    this.secretComposeEnvironment = pulumi.secret(
      withSecrets.apply((knep) => Object.fromEntries(Object.entries(secretVariables(knep)).map(([variable, value]) => [composeSecretVariable(serviceName, variable), value]))),
    );

    this.registersKubernetes = args.kubernetes !== undefined;
    this.kubernetesResources = args.kubernetes ? this.registerKubernetes(name, args.kubernetes.provider, hasSecrets) : [];

    reportArtifacts({
      type: "kong-plugins:index:KnepDeployment",
      name,
      // `objects` is rendered with the secret values withheld: its Secret shows `[secret]`.
      files: pulumi.all([this.environment, objects, this.composeService]).apply(([environment, rendered, compose]) => ({
        "environment.yaml": stableYaml(environment),
        "kubernetes.yaml": stableYaml([rendered.configMap, ...(rendered.secret ? [rendered.secret] : []), rendered.deployment]),
        "compose-service.yaml": stableYaml({ [compose.name]: compose.service }),
        ".env.example": compose.envExample,
      })),
    });
    this.registerOutputs({
      environment: this.environment,
      configMap: this.configMap,
      secret: this.secret,
      deployment: this.deployment,
      composeService: this.composeService,
    });
  }

  /** One typed resource per object, so a preview shows each of them. */
  private registerKubernetes(name: string, provider: k8s.Provider | undefined, hasSecrets: boolean): pulumi.CustomResource[] {
    const options = { parent: this, ...(provider ? { provider } : {}) };
    const configMap = new k8s.core.v1.ConfigMap(`${name}-config`, fieldOutputs<k8s.core.v1.ConfigMapArgs>(this.configMap, ["metadata", "data"]), options);
    const secret = hasSecrets ? [new k8s.core.v1.Secret(`${name}-secret`, fieldOutputs<k8s.core.v1.SecretArgs>(this.secret, ["metadata", "type", "stringData"]), options)] : [];
    const deployment = new k8s.apps.v1.Deployment(name, fieldOutputs<k8s.apps.v1.DeploymentArgs>(this.deployment, ["metadata", "spec"]), { ...options, dependsOn: [configMap, ...secret] });
    return [configMap, ...secret, deployment];
  }
}

