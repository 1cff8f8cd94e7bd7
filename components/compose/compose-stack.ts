import * as pulumi from "@pulumi/pulumi";
import { reportArtifacts } from "../core/artifacts";
import { withoutUndefined } from "../core/objects";
import { SecretInputs } from "../core/secret-inputs";
import type { DatabaseMode, KongConsumerSpec, KongRouteSpec, KongServiceSpec } from "../gateway/model";
import { resolveStackGateway, type StackGatewayInputs } from "../gateway/stack-inputs";
import { resolveImageReference, type GatewayImageReference } from "../image/image-facts";
import { renderKnep, type KnepDefinition } from "../knep/definition";
import { resolvePluginInstance } from "../plugin/instance";
import type { PluginInstanceSpec } from "../plugin/instance-model";
import type { PluginSpec } from "../plugin/model";
import { renderDeclarativePlugin } from "../plugin/resources";
import { renderComposeProject, type ComposeProject } from "./compose-file";
import { artifactInstallOf } from "../artifact/install-spec";
import type { PluginRetirement } from "../gateway/model";
import { registerPluginLifecycle } from "../gateway/plugin-lifecycle";
import type { PluginArtifactsArgs } from "../artifact/plugin-artifact";
import { renderEnvFile } from "./env-file";
import { ProjectFolder } from "./project-folder";
import type { ComposePorts, ComposeProjectSpec, ComposeUpstream, KafkaMode, PostgresSettings } from "./project-spec";

/** PostgreSQL settings of a compose stack; the password stays a secret. */
export interface ComposePostgresArgs extends PostgresSettings {
  /**
   * The password Kong and PostgreSQL use (KONG_PG_PASSWORD in the project's `.env`).
   * @default - read from `.env`; only written there with `writeEnvFile`
   */
  readonly password?: pulumi.Input<string>;
}

/** Arguments of {@link ComposeStack}. */
export interface ComposeStackArgs {
  /**
   * A custom image with the plugins inside (a GatewayImage's `definition`). Give this or `plugins`.
   * @default - the base image with `plugins` mounted
   */
  readonly gatewayImage?: pulumi.Input<GatewayImageReference>;
  /**
   * Base image when plugins are mounted.
   * @default "kong/kong-gateway:3.10"
   */
  readonly baseImage?: pulumi.Input<string>;
  /**
   * Custom plugins (PluginMetadata `definition`s) to mount read-only at `/opt/kong/plugins/<name>`
   * (with KONG_LUA_PACKAGE_PATH).
   * @default []
   */
  readonly plugins?: pulumi.Input<pulumi.Input<PluginSpec>[]>;
  /**
   * Keep Kong's bundled plugins enabled (mounted plugins; an image decides for itself).
   * @default true
   */
  readonly includeBundled?: pulumi.Input<boolean>;
  /**
   * Plugin instances (PluginInstance `definition`s), placed in kong.yaml globally or under their
   * service, route or consumer.
   * @default []
   */
  readonly instances?: pulumi.Input<pulumi.Input<PluginInstanceSpec>[]>;
  /**
   * Kong services, each with its routes.
   * @default []
   */
  readonly services?: pulumi.Input<KongServiceSpec[]>;
  /**
   * Routes declared apart from their service (each names its `service`).
   * @default []
   */
  readonly routes?: pulumi.Input<KongRouteSpec[]>;
  /**
   * Kong consumers.
   * @default []
   */
  readonly consumers?: pulumi.Input<KongConsumerSpec[]>;
  /**
   * DB-less (`off`) from kong.yaml, or PostgreSQL with migrations.
   * @default DatabaseMode.Off
   */
  readonly database?: pulumi.Input<DatabaseMode>;
  /**
   * PostgreSQL settings, with `database: postgres`.
   * @default - postgres:16, user and database "kong"
   */
  readonly postgres?: pulumi.Input<ComposePostgresArgs>;
  /**
   * A KNEP to run beside Kong (a KnepDeployment's `definition`).
   * @default - none
   */
  readonly knep?: pulumi.Input<KnepDefinition>;
  /**
   * Containers beside Kong that its services proxy to (each a compose service, reached as
   * `http://<name>:<port>`), e.g. an echo server to try routes on.
   * @default []
   */
  readonly upstreams?: pulumi.Input<ComposeUpstream[]>;
  /**
   * Custom plugins on their way out, by name, at their step of Kong's removal order: `retiring`
   * (still installed and enabled; no instance may use it), then `disabled` (out of KONG_PLUGINS,
   * files kept), then drop it from `plugins`. An update that skips a step is refused, naming the
   * next one. See https://docs.konghq.com/gateway/latest/plugin-development/distribution/#remove-a-plugin
   * @default {}
   */
  readonly retirement?: pulumi.Input<Record<string, PluginRetirement>>;
  /**
   * Install the plugins from their signed artifacts (PluginArtifact `definition`s) instead of
   * mounting their files: one-shot installer services verify each signature and unpack the
   * plugin into a volume; Kong starts only after every one completed successfully.
   * @default - the plugins' files are mounted
   */
  readonly pluginArtifacts?: pulumi.Input<PluginArtifactsArgs>;
  /**
   * Kafka beside Kong: KRaft (one broker, no ZooKeeper) or ZooKeeper + broker as in the source.
   * @default - KafkaMode.KRaft when the KNEP forwards to Kafka, KafkaMode.None otherwise
   */
  readonly kafka?: pulumi.Input<KafkaMode>;
  /**
   * Host ports; the Admin API is published on 127.0.0.1 only unless `adminHost` says otherwise.
   * @default { proxy: 8000, proxyTls: 8443, admin: 8001, adminTls: 8444, adminHost: "127.0.0.1" }
   */
  readonly ports?: pulumi.Input<ComposePorts>;
  /**
   * Extra environment of Kong's container.
   * @default {}
   */
  readonly kongEnv?: pulumi.Input<Record<string, pulumi.Input<string>>>;
  /**
   * Names the project's volumes and derives Kafka's cluster id.
   * @default "kong"
   */
  readonly projectName?: string;
  /**
   * Folder to materialize the project in (written atomically, diffed by content, removed on
   * delete file by file).
   * @default - rendered only; the texts are outputs
   */
  readonly outputDir?: string;
  /**
   * Also write the secret values to `<outputDir>/.env` (mode 0600) so `docker-compose up` works
   * at once. Off by default: secrets then stay out of the folder, listed in `.env.example`.
   * @default false
   */
  readonly writeEnvFile?: boolean;
}

/**
 * A local Kong stack on docker-compose, rendered from the same typed inputs as production and
 * checked before it runs: Kong DB-less or on PostgreSQL, its plugins baked in or mounted where
 * the Lua path finds them, KNEP and Kafka beside it, no secret inline.
 */
export class ComposeStack extends pulumi.ComponentResource {
  /** `docker-compose.yaml`. */
  readonly composeYaml: pulumi.Output<string>;
  /** `kong.yaml`. */
  readonly kongYaml: pulumi.Output<string>;
  /** `.env.example`. */
  readonly envExample: pulumi.Output<string>;
  /** The project's files, by path. */
  readonly files: pulumi.Output<string[]>;

  constructor(name: string, args: ComposeStackArgs, opts?: pulumi.ComponentResourceOptions) {
    super("kong-plugins:index:ComposeStack", name, {}, opts);
    // Where the project is written is no part of it. Secret config, KNEP's secrets and the
    // password reach it as `${VAR}` from its `.env`; a secret given anywhere else keeps it secret.
    const { projectName, outputDir, writeEnvFile, ...rendered } = args;
    const inputs = new SecretInputs(this, rendered, ["instances[*].secretConfig", "knep.spec.rabbitmq.url", "knep.spec.secretEnv", "postgres.password"]);
    const project = inputs.publish(inputs.checked((values) => renderProject(values, projectName)));

    this.composeYaml = project.composeYaml;
    this.kongYaml = project.kongYaml;
    this.envExample = project.envExample;
    this.files = project.apply((rendered) => rendered.files.map((file) => file.path));

    if (args.outputDir !== undefined) {
      const files = project.apply((rendered) => Object.fromEntries(rendered.files.map((file) => [file.path, String(file.content)])));
      const secrets = pulumi.secret(inputs.checked((values) => secretVariables(values.postgres, values.instances ?? [], values.knep)));
      const withEnv = args.writeEnvFile ? pulumi.all([files, project, secrets]).apply(([plain, rendered, values]) => ({ ...plain, ".env": inputs.check(() => renderEnvFile(rendered.secretVariables, values)) })) : files;
      const lifecycle = registerPluginLifecycle(this, name, args.plugins, args.retirement);
      new ProjectFolder(`${name}-folder`, { dir: args.outputDir, files: withEnv }, { parent: this, dependsOn: [lifecycle] });
    }

    reportArtifacts({ type: "kong-plugins:index:ComposeStack", name, files: project.apply((rendered) => Object.fromEntries(rendered.files.map((file) => [file.path, file.content]))) });
    this.registerOutputs({ composeYaml: this.composeYaml, kongYaml: this.kongYaml, envExample: this.envExample, files: this.files });
  }
}

type ComposeInputs = pulumi.Unwrap<Omit<ComposeStackArgs, "projectName" | "outputDir" | "writeEnvFile">>;

/**
 * The project, rendered from the instances and KNEP with their secret values withheld and the
 * settings without the password: it holds no secret value but those given in other inputs.
 */
function renderProject(inputs: ComposeInputs, projectName: string | undefined): ComposeProject {
  const { gatewayImage, knep, postgres, kafka, ports, upstreams, pluginArtifacts, ...gateway } = inputs;
  const image = gatewayImage && resolveImageReference(gatewayImage, "gatewayImage");
  return renderComposeProject(
    withoutUndefined({
      gateway: resolveStackGateway(withoutUndefined({ ...gateway, image }) as StackGatewayInputs, { secretValuesWithheld: true }),
      knep: knep && renderKnep(knep, { namespace: "default", secretValuesWithheld: true }).composeService,
      kafka,
      ports,
      postgres: postgres && withoutUndefined({ image: postgres.image, user: postgres.user, database: postgres.database }),
      upstreams,
      projectName,
      artifactInstall: pluginArtifacts && artifactInstallOf(withoutUndefined(pluginArtifacts) as Parameters<typeof artifactInstallOf>[0]),
    }) as ComposeProjectSpec,
  );
}

/** Every secret value by the project variable that carries it. */
function secretVariables(postgres: ComposePostgresArgs | undefined, instances: readonly PluginInstanceSpec[], knep: KnepDefinition | undefined): Record<string, string> {
  const password = postgres?.password as string | undefined;
  return {
    ...(password !== undefined ? { KONG_PG_PASSWORD: password } : {}),
    ...Object.assign({}, ...instances.map((spec) => renderDeclarativePlugin(resolvePluginInstance(spec)).secretEnvironment)),
    ...(knep ? renderKnep(knep, { namespace: "default" }).secretComposeEnvironment : {}),
  };
}
