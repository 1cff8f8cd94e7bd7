import * as pulumi from "@pulumi/pulumi";
import { reportArtifacts } from "../core/artifacts";
import { stableYaml } from "../core/canonical";
import { contentDigest } from "../core/digest";
import { withoutUndefined } from "../core/objects";
import { SecretInputs } from "../core/secret-inputs";
import { packPluginArchive, pluginArchiveName } from "./archive";
import type { JsonSchema, PluginSpec, ResolvedPlugin } from "./model";
import { renderKongPluginMetadata } from "./resources";
import { renderRockspec } from "./rockspec";
import type { RockspecOptions } from "./rockspec-options";
import type { PluginSourceInput } from "./source";
import type { PluginType } from "./types";
import { pluginSpecOf, resolvePlugin } from "./validate";

/** Arguments of {@link PluginMetadata}. */
export interface PluginMetadataArgs {
  /**
   * The plugin's name: its folder under `kong/plugins/`, its entry in `KONG_PLUGINS`, the
   * `name` its schema.lua returns. Lower-case letters, digits, `-` and `_`; not the name of
   * a bundled plugin. See https://docs.konghq.com/gateway/latest/plugin-development/distribution/
   */
  readonly name: pulumi.Input<string>;
  /**
   * The plugin's version, numbers separated by dots (`1.0.0`, `0.1`): the version of its
   * rockspec and archive.
   * @default - handler.lua's VERSION as Kong reads it
   */
  readonly version?: pulumi.Input<string>;
  /** Where the plugin's files come from: a folder, or the files inline. */
  readonly source: pulumi.Input<PluginSourceInput>;
  /**
   * A folder holding Kong's own Lua tree (the folder that contains `kong/`, as copied from
   * `/usr/local/share/lua/5.1` of the gateway image). The plugin's files are then loaded
   * against Kong's real `kong.*` modules, for exact results.
   * @default - this project's versions of the Kong modules plugin files use at load time
   */
  readonly kongLuaTree?: pulumi.Input<string>;
  /**
   * A JSON Schema of the plugin's `config` (draft-07 unless `$schema` says otherwise), checked
   * against schema.lua: names, types and required fields must agree. schema.lua is what
   * validates instances; this one is used only when schema.lua cannot be loaded.
   * @default - derived from schema.lua
   */
  readonly configSchema?: pulumi.Input<JsonSchema>;
  /**
   * LuaRocks metadata for the rendered rockspec.
   * @default - summary "Kong Gateway plugin <name>", license "UNLICENSED", no dependencies
   */
  readonly rockspec?: pulumi.Input<RockspecOptions>;
  /**
   * Namespace of the rendered KongPluginMetadata.
   * @default "default"
   */
  readonly namespace?: pulumi.Input<string>;
}

/**
 * One custom Kong plugin: reads its files, analyses its Lua, checks it the way Kong's
 * loader would, and renders its rockspec, source archive and KongPluginMetadata. It
 * registers no cloud resources; stacks and images consume it.
 */
export class PluginMetadata extends pulumi.ComponentResource {
  /**
   * The checked plugin as data, its files inline: pass it to PluginInstance, the images and
   * the stacks (`plugins: [metadata.definition]`), from any Pulumi language.
   */
  readonly definition: pulumi.Output<PluginSpec>;
  /** The plugin's name. */
  readonly pluginName: pulumi.Output<string>;
  /** The plugin's version. */
  readonly version: pulumi.Output<string>;
  /** The subsystem the KongPluginMetadata names: `http` unless the plugin serves the stream subsystem only. */
  readonly type: pulumi.Output<PluginType>;
  /** The subsystems the plugin serves, read from handler.lua and schema.lua as Kong loads them. */
  readonly subsystems: pulumi.Output<PluginType[]>;
  /**
   * The JSON Schema of the plugin's config, derived from schema.lua (`x-kong-*` keywords carry
   * what JSON Schema cannot say); the given configSchema when schema.lua could not be loaded.
   */
  readonly configSchema: pulumi.Output<JsonSchema | undefined>;
  /** `sha256:` digest of the plugin's file paths and contents: it changes exactly when a file does. */
  readonly digest: pulumi.Output<string>;
  /** The plugin's files, relative to `kong/plugins/<name>/`, sorted. */
  readonly files: pulumi.Output<string[]>;
  /** The handler's phases, in Kong's execution order. */
  readonly phases: pulumi.Output<string[]>;
  /** Whether the plugin has DAOs or migrations and so needs PostgreSQL for its data. */
  readonly requiresDatabase: pulumi.Output<boolean>;
  /** The operator's KongPluginMetadata (gateway.konghq.com/v1alpha1). */
  readonly kongPluginMetadata: pulumi.Output<Record<string, any>>;
  /** The rockspec's file name, `kong-plugin-<name>-<version>-1.rockspec`. */
  readonly rockspecFileName: pulumi.Output<string>;
  /** The rockspec's text. */
  readonly rockspec: pulumi.Output<string>;
  /** The source archive's file name, `<name>-<version>.tar.gz`. */
  readonly archiveFileName: pulumi.Output<string>;
  /** `sha256:` digest of the reproducible source archive. */
  readonly archiveDigest: pulumi.Output<string>;

  constructor(name: string, args: PluginMetadataArgs, opts?: pulumi.ComponentResourceOptions) {
    super("kong-plugins:index:PluginMetadata", name, {}, opts);

    // Nothing of a plugin is rendered as a reference: whatever a secret reaches stays secret.
    const inputs = new SecretInputs(this, { name: args.name, version: args.version, source: args.source, kongLuaTree: args.kongLuaTree, configSchema: args.configSchema, rockspec: args.rockspec });
    const resolved: pulumi.Output<ResolvedPlugin> = inputs.checked((values) => resolvePlugin(withoutUndefined(values) as PluginSpec));

    const rendered = resolved.apply(renderRockspec);
    this.definition = resolved.apply(pluginSpecOf);
    this.pluginName = resolved.name;
    this.version = resolved.version;
    this.type = resolved.type;
    this.subsystems = resolved.apply((plugin) => [...plugin.subsystems]);
    this.configSchema = resolved.apply((plugin) => plugin.configSchema);
    this.digest = resolved.digest;
    this.files = resolved.apply((plugin) => plugin.files.map((file) => file.path));
    this.phases = resolved.apply((plugin) => [...plugin.phases]);
    this.requiresDatabase = resolved.requiresDatabase;
    this.kongPluginMetadata = pulumi
      .all([resolved, args.namespace])
      .apply(([plugin, namespace]) => renderKongPluginMetadata(plugin, namespace !== undefined ? { namespace } : {}));
    this.rockspecFileName = rendered.fileName;
    this.rockspec = rendered.text;
    this.archiveFileName = resolved.apply(pluginArchiveName);
    this.archiveDigest = resolved.apply(async (plugin) => contentDigest(await packPluginArchive(plugin)));

    reportArtifacts(() => ({
      type: "kong-plugins:index:PluginMetadata",
      name,
      files: pulumi.all([resolved, this.kongPluginMetadata, rendered]).apply(async ([plugin, metadata, rockspec]) => ({
        [rockspec.fileName]: rockspec.text,
        [pluginArchiveName(plugin)]: await packPluginArchive(plugin),
        "kong-plugin-metadata.yaml": stableYaml(metadata),
      })),
    }));
    this.registerOutputs({
      definition: this.definition,
      pluginName: this.pluginName,
      version: this.version,
      type: this.type,
      subsystems: this.subsystems,
      configSchema: this.configSchema,
      digest: this.digest,
      files: this.files,
      phases: this.phases,
      requiresDatabase: this.requiresDatabase,
      kongPluginMetadata: this.kongPluginMetadata,
      rockspecFileName: this.rockspecFileName,
      rockspec: this.rockspec,
      archiveFileName: this.archiveFileName,
      archiveDigest: this.archiveDigest,
    });
  }
}
