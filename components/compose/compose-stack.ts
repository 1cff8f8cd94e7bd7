import * as pulumi from "@pulumi/pulumi";
import { reportArtifacts } from "../core/artifacts";
import { rethrowValidationAs } from "../core/errors";
import { withoutUndefined } from "../core/objects";
import { DatabaseMode, PluginDelivery, type GatewaySpec, type KongConsumerSpec, type KongRouteSpec, type KongServiceSpec } from "../gateway/model";
import { imageFacts } from "../image/image-facts";
import type { GatewayImage } from "../image/gateway-image";
import type { KnepDeployment } from "../knep/knep-deployment";
import type { PluginInstance } from "../plugin/plugin-instance";
import type { PluginMetadata } from "../plugin/plugin-metadata";
import { renderComposeProject, type ComposeProject } from "./compose-file";
import { ProjectFolder } from "./project-folder";
import type { ComposePorts, KafkaMode, PostgresSettings } from "./project-spec";

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
   * A custom image with the plugins inside. Give this or `plugins`.
   * @default - the base image with `plugins` mounted
   */
  readonly gatewayImage?: GatewayImage;
  /**
   * Base image when plugins are mounted.
   * @default "kong/kong-gateway:3.10"
   */
  readonly baseImage?: pulumi.Input<string>;
  /**
   * Custom plugins to mount read-only at `/opt/kong/plugins/<name>` (with KONG_LUA_PACKAGE_PATH).
   * @default []
   */
  readonly plugins?: PluginMetadata[];
  /**
   * Keep Kong's bundled plugins enabled (mounted plugins; an image decides for itself).
   * @default true
   */
  readonly includeBundled?: pulumi.Input<boolean>;
  /**
   * Plugin instances, placed in kong.yaml globally or under their service, route or consumer.
   * @default []
   */
  readonly instances?: PluginInstance[];
  /** @default [] */
  readonly services?: pulumi.Input<KongServiceSpec[]>;
  /**
   * Routes declared apart from their service (each names its `service`).
   * @default []
   */
  readonly routes?: pulumi.Input<KongRouteSpec[]>;
  /** @default [] */
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
  readonly postgres?: ComposePostgresArgs;
  /**
   * A KNEP to run beside Kong (its compose service is reused as rendered).
   * @default - none
   */
  readonly knep?: KnepDeployment;
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
  /** The gateway model the project was rendered from (secret values withheld). */
  readonly gateway: pulumi.Output<GatewaySpec>;
  /** `docker-compose.yaml`. */
  readonly composeYaml: pulumi.Output<string>;
  /** `kong.yaml`. */
  readonly kongYaml: pulumi.Output<string>;
  /** `.env.example`. */
  readonly envExample: pulumi.Output<string>;
  /** The project's files, by path. */
  readonly files: pulumi.Output<string[]>;
  /** The materialized folder, when `outputDir` is given. */
  readonly folder?: ProjectFolder;

  constructor(name: string, args: ComposeStackArgs, opts?: pulumi.ComponentResourceOptions) {
    super("kong-plugins:index:ComposeStack", name, {}, opts);
    const toResourceError = (error: Error) => new pulumi.ResourceError(error.message, this);
    if (args.gatewayImage && (args.plugins?.length ?? 0) > 0) {
      throw new pulumi.ResourceError("give gatewayImage or plugins, not both: the image already holds its plugins", this);
    }

    this.gateway = pulumi
      .output({
        plugins: pulumi.all((args.plugins ?? []).map((plugin) => plugin.resolved)),
        image: args.gatewayImage ? pulumi.all([args.gatewayImage.imageName, args.gatewayImage.resolved]) : undefined,
        instances: pulumi.all((args.instances ?? []).map((instance) => instance.resolved)),
        baseImage: args.baseImage,
        includeBundled: args.includeBundled,
        services: args.services,
        routes: args.routes,
        consumers: args.consumers,
        database: args.database,
        kongEnv: args.kongEnv,
      })
      .apply(({ plugins, image, ...rest }): GatewaySpec => {
        const delivery = image ? PluginDelivery.Image : PluginDelivery.Mount;
        const facts = image && imageFacts(image[0], image[1]);
        return withoutUndefined({ ...(rest as Omit<GatewaySpec, "plugins" | "delivery">), plugins: image ? image[1].plugins : plugins, delivery, image: facts });
      });

    const project: pulumi.Output<ComposeProject> = pulumi
      .output({
        gateway: this.gateway,
        knep: args.knep?.composeService,
        kafka: args.kafka,
        ports: args.ports,
        postgres: args.postgres && withoutUndefined({ image: args.postgres.image, user: args.postgres.user, database: args.postgres.database }),
      })
      .apply((spec) => rethrowValidationAs(toResourceError, () => renderComposeProject(withoutUndefined({ ...spec, ...(args.projectName ? { projectName: args.projectName } : {}) }) as never)));

    this.composeYaml = project.composeYaml;
    this.kongYaml = project.kongYaml;
    this.envExample = project.envExample;
    this.files = project.apply((rendered) => rendered.files.map((file) => file.path));

    if (args.outputDir !== undefined) {
      const files = project.apply((rendered) => Object.fromEntries(rendered.files.map((file) => [file.path, String(file.content)])));
      const withEnv = args.writeEnvFile ? pulumi.all([files, this.secretEnvFile(args, project)]).apply(([plain, env]) => ({ ...plain, ".env": env })) : files;
      this.folder = new ProjectFolder(`${name}-folder`, { dir: args.outputDir, files: withEnv }, { parent: this });
    }

    reportArtifacts({ type: "kong-plugins:index:ComposeStack", name, files: project.apply((rendered) => Object.fromEntries(rendered.files.map((file) => [file.path, file.content]))) });
    this.registerOutputs({ composeYaml: this.composeYaml, kongYaml: this.kongYaml, envExample: this.envExample, files: this.files });
  }

  /** The `.env` text with every secret value; a Pulumi secret. */
  private secretEnvFile(args: ComposeStackArgs, project: pulumi.Output<ComposeProject>): pulumi.Output<string> {
    const values = pulumi.secret(
      pulumi.all({
        pg: args.postgres?.password ?? "",
        instances: pulumi.all((args.instances ?? []).map((instance) => instance.secretEnvironment)),
        knep: args.knep?.secretComposeEnvironment ?? {},
      }),
    );
    return pulumi.all([project, values]).apply(([rendered, { pg, instances, knep }]) => {
      const known: Record<string, string> = { KONG_PG_PASSWORD: pg, ...Object.assign({}, ...(instances as Record<string, string>[])), ...(knep as Record<string, string>) };
      return rendered.secretVariables.map((variable) => `${variable}=${JSON.stringify(known[variable] ?? "")}`).join("\n") + "\n";
    });
  }
}
