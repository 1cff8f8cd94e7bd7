import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { reportArtifacts } from "../core/artifacts";
import { stableYaml } from "../core/canonical";
import { REDACTED, rethrowValidationAs } from "../core/errors";
import { toKubernetesName } from "../core/names";
import { fieldOutputs, withoutUndefined } from "../core/objects";
import { knepHasSecrets, renderKnep, type KnepDefinition } from "./definition";
import type { KnepEnvironmentEntry } from "./environment";
import { knepSecretChecksum } from "./kubernetes";
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
  /**
   * KNEP's image; there is no public one. Required with `kubernetes`, and for a KubernetesStack.
   * @default - none: a compose project asks for `KNEP_IMAGE` (in its `.env`) when it starts
   */
  readonly image?: pulumi.Input<string>;
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
  readonly rabbitmq?: pulumi.Input<KnepRabbitMqTargetArgs>;
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
  readonly secretEnv?: pulumi.Input<Record<string, pulumi.Input<string>>>;
  /**
   * Register KNEP's Kubernetes objects as children of this component.
   * @default - rendered only (a stack that includes this KNEP registers nothing twice)
   */
  readonly kubernetes?: KnepKubernetesArgs;
  /**
   * KNEP's service name in a compose project.
   * @default "knep"
   */
  readonly composeServiceName?: pulumi.Input<string>;
}

/** KNEP's secret values, held apart from the rest of its spec. */
interface SecretValues {
  readonly url?: string;
  readonly secretEnv?: Record<string, string>;
}

/** Everything of a KNEP definition but its secret values. */
type PlainParts = Omit<KnepDefinition, "spec"> & { readonly spec: Omit<KnepSpec, "rabbitmq" | "secretEnv"> & { readonly rabbitmq?: { exchange: string; routingKey?: string } } };

function withheldValues(values: SecretValues): SecretValues {
  return withoutUndefined({
    url: values.url === undefined ? undefined : REDACTED,
    secretEnv: values.secretEnv && Object.fromEntries(Object.keys(values.secretEnv).map((key) => [key, REDACTED])),
  });
}

function definitionOf(parts: PlainParts, values: SecretValues): KnepDefinition {
  const { rabbitmq, ...spec } = parts.spec;
  return {
    ...parts,
    spec: {
      ...spec,
      ...(rabbitmq ? { rabbitmq: { ...rabbitmq, url: values.url ?? "" } } : {}),
      ...(values.secretEnv ? { secretEnv: values.secretEnv } : {}),
    },
  };
}

/**
 * The KNEP event proxy, typed and validated so that a wrong combination of its environment
 * variables cannot reach a cluster. Renders its environment, its Kubernetes objects and its
 * compose service; registers the Kubernetes objects itself when `kubernetes` is given.
 */
export class KnepDeployment extends pulumi.ComponentResource {
  /**
   * KNEP as data, for a stack's `knep` (`knep: deployment.definition`), from any Pulumi
   * language. A Pulumi secret when KNEP has secret values.
   */
  readonly definition: pulumi.Output<KnepDefinition>;
  /** KNEP's environment in order, secrets as references. */
  readonly environment: pulumi.Output<KnepEnvironmentEntry[]>;
  /** The ConfigMap of plain values; none without an image. */
  readonly configMap: pulumi.Output<Record<string, any> | undefined>;
  /** The Secret of secret values, when there are any. Always a Pulumi secret. */
  readonly secret: pulumi.Output<Record<string, any> | undefined>;
  /** The Deployment; none without an image. */
  readonly deployment: pulumi.Output<Record<string, any> | undefined>;
  /** The compose service (`name`, `service`, `volumes`, `envExample`, `secretVariables`). */
  readonly composeService: pulumi.Output<Record<string, any>>;
  /** The secret values by the compose project variable that carries each (for a `.env`). Always a Pulumi secret. */
  readonly secretComposeEnvironment: pulumi.Output<Record<string, string>>;

  constructor(name: string, args: KnepDeploymentArgs, opts?: pulumi.ComponentResourceOptions) {
    super("kong-plugins:index:KnepDeployment", name, {}, opts);
    const toResourceError = (error: Error) => new pulumi.ResourceError(error.message, this);
    const rabbitmq = pulumi.output(args.rabbitmq);
    const secretValues: pulumi.Output<SecretValues> = pulumi.secret(pulumi.output({ url: rabbitmq.apply((target) => target?.url), secretEnv: args.secretEnv }).apply(withoutUndefined));
    // Placeholders in place of the secret values: their presence decides what is rendered, never their value.
    const placeholders = pulumi.unsecret(secretValues.apply(withheldValues));
    const plain = pulumi
      .output({
        spec: {
          image: args.image,
          kongAdminUrl: args.kongAdminUrl,
          adminTimeoutSeconds: args.adminTimeoutSeconds,
          targetType: args.targetType,
          kafka: args.kafka,
          http: args.http,
          file: args.file,
          // The URL is left out before the rest of the target is unsecreted.
          rabbitmq: pulumi.unsecret(rabbitmq.apply((target) => target && withoutUndefined({ exchange: target.exchange, routingKey: target.routingKey }))),
          eventTypes: args.eventTypes,
          logLevel: args.logLevel,
          replicas: args.replicas,
          resources: args.resources,
          extraEnv: args.extraEnv,
        },
        composeServiceName: args.composeServiceName,
        kubernetesName: pulumi.output(args.kubernetes?.name).apply((objectName) => objectName ?? toKubernetesName(name)),
      })
      .apply((parts): PlainParts => ({ ...withoutUndefined(parts), spec: withoutUndefined(parts.spec) as PlainParts["spec"], registersKubernetes: args.kubernetes !== undefined }));
    const namespace = pulumi.output(args.kubernetes?.namespace ?? "default");

    // Checked with placeholders first, so that a problem is reported once, without secret values;
    // then with the values, whose digest is no secret: it rolls the pods when they change.
    const publicDefinition = pulumi.all([plain, placeholders]).apply(([parts, values]) => definitionOf(parts, values));
    const checked = publicDefinition.apply((definition) => rethrowValidationAs(toResourceError, () => resolveKnep(definition.spec, { secretValuesWithheld: true })));
    const secretChecksum = pulumi.unsecret(
      pulumi.all([checked, plain, secretValues]).apply(([, parts, values]) => rethrowValidationAs(toResourceError, () => knepSecretChecksum(definitionOf(parts, values).spec))),
    );
    // The public render sees placeholders only, so nothing it shows can depend on a secret value.
    const published = pulumi.all([publicDefinition, namespace, secretChecksum]).apply(([definition, ns, checksum]) =>
      rethrowValidationAs(toResourceError, () => renderKnep(definition, { namespace: ns, secretValuesWithheld: true, secretChecksum: checksum })),
    );
    this.definition = pulumi.all([published, plain, secretValues]).apply(([, parts, values]) => {
      const definition = definitionOf(parts, values);
      return knepHasSecrets(definition.spec) ? pulumi.secret(definition) : pulumi.output(definition);
    });
    const withSecrets = pulumi.all([this.definition, namespace]).apply(([definition, ns]) => rethrowValidationAs(toResourceError, () => renderKnep(definition, { namespace: ns })));

    this.environment = published.environment;
    this.configMap = published.apply((rendered) => rendered.kubernetes?.configMap);
    this.deployment = published.apply((rendered) => rendered.kubernetes?.deployment);
    this.secret = pulumi.secret(withSecrets.apply((rendered) => rendered.kubernetes?.secret));
    this.composeService = published.apply((rendered): Record<string, any> => ({ ...rendered.composeService }));
    this.secretComposeEnvironment = pulumi.secret(withSecrets.secretComposeEnvironment);

    if (args.kubernetes) {
      const provider = args.kubernetes.provider;
      placeholders.apply((values) => this.registerKubernetes(name, provider, values.url !== undefined || Object.keys(values.secretEnv ?? {}).length > 0));
    }

    reportArtifacts({
      type: "kong-plugins:index:KnepDeployment",
      name,
      // Rendered with the secret values withheld: its Secret shows `[secret]`.
      files: published.apply((rendered) => ({
        "environment.yaml": stableYaml(rendered.environment),
        ...(rendered.kubernetes ? { "kubernetes.yaml": stableYaml([rendered.kubernetes.configMap, ...(rendered.kubernetes.secret ? [rendered.kubernetes.secret] : []), rendered.kubernetes.deployment]) } : {}),
        "compose-service.yaml": stableYaml({ [rendered.composeService.name]: rendered.composeService.service }),
        ".env.example": rendered.composeService.envExample,
      })),
    });
    this.registerOutputs({
      definition: this.definition,
      environment: this.environment,
      configMap: this.configMap,
      secret: this.secret,
      deployment: this.deployment,
      composeService: this.composeService,
      secretComposeEnvironment: this.secretComposeEnvironment,
    });
  }

  /**
   * One typed resource per object, so a preview shows each of them. Registered once whether
   * KNEP has a Secret is known, which a preview knows: it depends on names, not values.
   */
  private registerKubernetes(name: string, provider: k8s.Provider | undefined, hasSecret: boolean): void {
    const options = { parent: this, ...(provider ? { provider } : {}) };
    const configMap = new k8s.core.v1.ConfigMap(`${name}-config`, fieldOutputs<k8s.core.v1.ConfigMapArgs>(this.configMap, ["metadata", "data"]), options);
    const secret = hasSecret ? [new k8s.core.v1.Secret(`${name}-secret`, fieldOutputs<k8s.core.v1.SecretArgs>(this.secret, ["metadata", "type", "stringData"]), options)] : [];
    new k8s.apps.v1.Deployment(name, fieldOutputs<k8s.apps.v1.DeploymentArgs>(this.deployment, ["metadata", "spec"]), { ...options, dependsOn: [configMap, ...secret] });
  }
}
