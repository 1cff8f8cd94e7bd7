import type * as k8s from "@pulumi/kubernetes";
import { kubernetes } from "../core/lazy-sdk";
import * as pulumi from "@pulumi/pulumi";
import { reportArtifacts } from "../core/artifacts";
import { stableYaml } from "../core/canonical";
import { compareStrings } from "../core/digest";
import { isPathWithin, joinPath, prefixPath } from "../core/errors";
import { toKubernetesName } from "../core/names";
import { fieldOutputs, withoutUndefined } from "../core/objects";
import { SecretInputs } from "../core/secret-inputs";
import { pathKeys } from "../core/secret-paths";
import { renderKnep, type KnepDefinition } from "./definition";
import { registerKnepDeployment } from "./deployment-resource";
import type { KnepEnvironmentEntry } from "./environment";
import { knepSecretChecksum } from "./kubernetes";
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

/** The arguments that are KNEP's values (the provider is a resource, passed by reference). */
function knepInputs(args: KnepDeploymentArgs) {
  const { kubernetes, ...rest } = args;
  return { ...rest, kubernetes: kubernetes && { name: kubernetes.name, namespace: kubernetes.namespace } };
}

type KnepInputs = pulumi.Unwrap<ReturnType<typeof knepInputs>>;

/** KNEP as data, from its resolved arguments. */
function definitionOf(name: string, inputs: KnepInputs, registersKubernetes: boolean): KnepDefinition {
  const { composeServiceName, kubernetes, rabbitmq, ...spec } = inputs;
  return withoutUndefined({
    spec: withoutUndefined({ ...spec, rabbitmq: rabbitmq && withoutUndefined(rabbitmq) }) as KnepSpec,
    composeServiceName,
    kubernetesName: kubernetes?.name ?? toKubernetesName(name),
    registersKubernetes,
  });
}

/** Where a secret given at an argument's path ends up in the definition. */
function definitionPaths(path: string): string[] {
  const [first] = pathKeys(path);
  if (first === "composeServiceName") return [path];
  if (first === "kubernetes") return isPathWithin("kubernetes.name", path) ? ["kubernetesName"] : [];
  return [prefixPath("spec", path)];
}

/**
 * The KNEP event proxy, typed and validated so that a wrong combination of its environment
 * variables cannot reach a cluster. Renders its environment, its Kubernetes objects and its
 * compose service; registers the Kubernetes objects itself when `kubernetes` is given.
 */
export class KnepDeployment extends pulumi.ComponentResource {
  /**
   * KNEP as data, for a stack's `knep` (`knep: deployment.definition`), from any Pulumi
   * language. A Pulumi secret when it holds one (the RabbitMQ URL, secretEnv, or a secret given
   * in any other argument), and then its `secretPaths` say where.
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
    // The RabbitMQ URL and secretEnv are secrets however they are given; any other argument is one if given as one.
    const inputs = new SecretInputs(this, knepInputs(args), ["rabbitmq.url", "secretEnv"]);
    const resolved = inputs.resolved.apply(({ values, secrets }) => ({
      definition: definitionOf(name, values, args.kubernetes !== undefined),
      namespace: values.kubernetes?.namespace ?? "default",
      secrets,
    }));

    // Checked and rendered with the secret values withheld first, so that a problem is reported
    // once and without them; what is shown is that render.
    const withheld = resolved.apply(({ definition, namespace, secrets }) => inputs.check(() => renderKnep(definition, { namespace, secretValuesWithheld: true }), secrets));
    const withSecrets = pulumi.all([withheld, resolved]).apply(([, { definition, namespace, secrets }]) => inputs.check(() => renderKnep(definition, { namespace }), secrets));
    // The definition carries the secret values and says where they are (none, too), for the stacks.
    this.definition = pulumi.all([withSecrets, resolved, inputs.paths]).apply(([, { definition }, paths]) => {
      const references = [...(definition.spec.rabbitmq ? ["spec.rabbitmq.url"] : []), ...Object.keys(definition.spec.secretEnv ?? {}).map((key) => joinPath("spec.secretEnv", key))];
      const secretPaths = [...new Set([...paths.flatMap(definitionPaths), ...references])].sort(compareStrings);
      return secretPaths.length > 0 ? pulumi.secret({ ...definition, secretPaths }) : pulumi.output({ ...definition, secretPaths });
    });

    const published = inputs.publish(withheld);
    this.environment = published.environment;
    this.configMap = published.apply((rendered) => rendered.kubernetes?.configMap);
    this.deployment = published.apply((rendered) => rendered.kubernetes?.deployment);
    this.secret = pulumi.secret(withSecrets.apply((rendered) => rendered.kubernetes?.secret));
    this.composeService = published.apply((rendered): Record<string, any> => ({ ...rendered.composeService }));
    this.secretComposeEnvironment = pulumi.secret(withSecrets.secretComposeEnvironment);

    if (args.kubernetes) {
      const provider = args.kubernetes.provider;
      const secretChecksum = pulumi.secret(withSecrets.apply((rendered) => knepSecretChecksum(rendered.resolved)));
      // Whether there is a Secret depends on which secret arguments are set, never on their values.
      const hasSecret = pulumi.unsecret(pulumi.all([args.rabbitmq, args.secretEnv]).apply(([rabbitmq, secretEnv]) => rabbitmq !== undefined || Object.keys(secretEnv ?? {}).length > 0));
      hasSecret.apply((secret) => this.registerKubernetes(name, provider, secret, secretChecksum));
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
  private registerKubernetes(name: string, provider: k8s.Provider | undefined, hasSecret: boolean, secretChecksum: pulumi.Output<string>): void {
    const options = { parent: this, ...(provider ? { provider } : {}) };
    const configMap = new (kubernetes().core.v1.ConfigMap)(`${name}-config`, fieldOutputs<k8s.core.v1.ConfigMapArgs>(this.configMap, ["metadata", "data"]), options);
    const secret = hasSecret ? [new (kubernetes().core.v1.Secret)(`${name}-secret`, fieldOutputs<k8s.core.v1.SecretArgs>(this.secret, ["metadata", "type", "stringData"]), options)] : [];
    registerKnepDeployment(this, name, this.deployment, secretChecksum, { ...(provider ? { provider } : {}), dependsOn: [configMap, ...secret] });
  }
}
