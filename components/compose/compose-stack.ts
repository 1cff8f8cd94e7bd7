import * as pulumi from "@pulumi/pulumi";
import { reportArtifacts } from "../core/artifacts";
import { rethrowValidationAs } from "../core/errors";
import { withoutUndefined } from "../core/objects";
import type { DatabaseMode, KongConsumerSpec, KongRouteSpec, KongServiceSpec } from "../gateway/model";
import { resolveStackGateway, type StackGatewayInputs } from "../gateway/stack-inputs";
import { resolveImageReference, type GatewayImageReference } from "../image/image-facts";
import { renderKnep, type KnepDefinition } from "../knep/definition";
import { resolvePluginInstance, withheldInstanceSpec } from "../plugin/instance";
import type { PluginInstanceSpec } from "../plugin/instance-model";
import type { PluginSpec } from "../plugin/model";
import { renderDeclarativePlugin } from "../plugin/resources";
import { renderComposeProject, type ComposeProject } from "./compose-file";
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
    const toResourceError = (error: Error) => new pulumi.ResourceError(error.message, this);
    const instances = pulumi.output(args.instances ?? []) as pulumi.Output<PluginInstanceSpec[]>;
    const knep = pulumi.output(args.knep) as pulumi.Output<KnepDefinition | undefined>;
    const postgres = pulumi.output(args.postgres);

    // Rendered from the instances and KNEP with their secret values replaced by placeholders;
    // only those redacted parts are unsecreted, so nothing secret flows into the project.
    const gateway = pulumi
      .output({
        plugins: args.plugins,
        image: args.gatewayImage,
        instances: pulumi.unsecret(instances.apply((specs) => specs.map(withheldInstanceSpec))),
        baseImage: args.baseImage,
        includeBundled: args.includeBundled,
        services: args.services,
        routes: args.routes,
        consumers: args.consumers,
        database: args.database,
        kongEnv: args.kongEnv,
      })
      .apply(({ image, ...rest }) =>
        rethrowValidationAs(toResourceError, () =>
          resolveStackGateway(withoutUndefined({ ...rest, image: image && resolveImageReference(image as GatewayImageReference, "gatewayImage") }) as StackGatewayInputs, { secretValuesWithheld: true }),
        ),
      );
    const knepService = pulumi.unsecret(knep.apply((definition) => definition && rethrowValidationAs(toResourceError, () => renderKnep(definition, { namespace: "default", secretValuesWithheld: true }).composeService)));
    // The password is left out before the settings are unsecreted.
    const postgresSettings = pulumi.unsecret(postgres.apply((settings) => settings && withoutUndefined({ image: settings.image, user: settings.user, database: settings.database })));

    const project: pulumi.Output<ComposeProject> = pulumi
      .output({
        gateway,
        knep: knepService,
        kafka: args.kafka,
        ports: args.ports,
        postgres: postgresSettings,
        upstreams: args.upstreams,
      })
      .apply((spec) => rethrowValidationAs(toResourceError, () => renderComposeProject(withoutUndefined({ ...spec, ...(args.projectName ? { projectName: args.projectName } : {}) }) as ComposeProjectSpec)));

    this.composeYaml = project.composeYaml;
    this.kongYaml = project.kongYaml;
    this.envExample = project.envExample;
    this.files = project.apply((rendered) => rendered.files.map((file) => file.path));

    if (args.outputDir !== undefined) {
      const files = project.apply((rendered) => Object.fromEntries(rendered.files.map((file) => [file.path, String(file.content)])));
      const secrets = pulumi.secret(pulumi.all([postgres, instances, knep]).apply(([settings, specs, definition]) => secretVariables(settings as ComposePostgresArgs | undefined, specs, definition)));
      const withEnv = args.writeEnvFile ? pulumi.all([files, project, secrets]).apply(([plain, rendered, values]) => ({ ...plain, ".env": rethrowValidationAs(toResourceError, () => renderEnvFile(rendered.secretVariables, values)) })) : files;
      new ProjectFolder(`${name}-folder`, { dir: args.outputDir, files: withEnv }, { parent: this });
    }

    reportArtifacts({ type: "kong-plugins:index:ComposeStack", name, files: project.apply((rendered) => Object.fromEntries(rendered.files.map((file) => [file.path, file.content]))) });
    this.registerOutputs({ composeYaml: this.composeYaml, kongYaml: this.kongYaml, envExample: this.envExample, files: this.files });
  }
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
