// The public API: every component and every pure function.

export { KongPluginsValidationError, type ValidationIssue } from "./core/errors";
export { canonicalJson, stableJson, stableYaml, stableYamlDocuments, type JsonValue } from "./core/canonical";
export { compareStrings, contentDigest, digestFiles, sha256Hex, type TextFile } from "./core/digest";
export { JsonSchemaDialect } from "./core/ajv";
export { writeFilesAtomically, replaceDirectory, type OutputFile, type TreeFile } from "./core/files";
export { reportArtifacts, collectArtifacts, type ArtifactReport } from "./core/artifacts";

export { PluginType, HANDLER_PHASES, type HandlerPhase, type LuaAnalysis, type PluginSource } from "./plugin/types";
export { BUNDLED_PLUGINS } from "./plugin/bundled";
export { readPluginSource, type PluginSourceInput, type ReadPluginSourceOptions } from "./plugin/source";
export { analyseLua, formatSyntaxError } from "./plugin/lua";
export { resolvePlugin, resolvePlugins, pluginSpecOf } from "./plugin/validate";
export type { JsonSchema, PluginSpec, ResolvedPlugin } from "./plugin/model";
export type { RockspecOptions } from "./plugin/rockspec-options";
export { renderRockspec, luaModuleName, type RenderedRockspec } from "./plugin/rockspec";
export { packPluginArchive, pluginArchiveName } from "./plugin/archive";
export { validatePluginConfig, pluginConfigIssues } from "./plugin/config";
export {
  KongProtocol,
  PluginScope,
  type PluginInstanceSpec,
  type PluginOrdering,
  type ResolvedPluginInstance,
  type TargetRef,
} from "./plugin/instance-model";
export { resolvePluginInstance, withheldInstanceSpec, DEFAULT_NAMESPACE } from "./plugin/instance";
export type { KubernetesObject } from "./plugin/kubernetes-object";
export {
  renderKongPluginMetadata,
  renderOperatorKongPlugin,
  renderIngressControllerPlugin,
  renderDeclarativePlugin,
  pluginMetadataName,
  secretVariableName,
  type DeclarativePlugin,
  type IngressControllerPlugin,
} from "./plugin/resources";
export { renderPluginCrds } from "./plugin/crds";
export { renderPluginArtifacts, type PluginArtifactsSpec } from "./plugin/artifacts";

export { DEFAULT_BASE_IMAGE, KONG_LUA_ROOT, kongPluginsValue, luaPackagePath } from "./gateway/kong-conventions";
export { pluginsDigest } from "./plugin/plugins-digest";
export { imageFacts, resolveImageReference, type GatewayImageReference } from "./image/image-facts";
export {
  PluginInstallMode,
  resolveGatewayImage,
  type GatewayImageSpec,
  type ResolvedGatewayImage,
} from "./image/gateway-spec";
export { renderDockerfile, imageEnvironment, imageLabels, luarocksInstallCommands } from "./image/dockerfile";
export { renderBuildContext, writeBuildContext, type BuildContext } from "./image/build-context";
export { packSourceRock, sourceRockName } from "./image/source-rock";
export {
  renderPluginImageDockerfile,
  renderPluginImageContext,
  checkPluginImagePlugin,
  PLUGIN_IMAGE_MAX_BYTES,
} from "./image/plugin-image-dockerfile";

export {
  KnepTargetType,
  KnepEventType,
  KnepLogLevel,
  KafkaCompression,
  KnepHttpMethod,
  type KnepSpec,
  type KnepKafkaTarget,
  type KnepHttpTarget,
  type KnepFileTarget,
  type KnepRabbitMqTarget,
  type KnepResources,
  type ResourceQuantities,
  type KnepVariable,
  type ResolvedKnep,
} from "./knep/spec";
export { resolveKnep, KNEP_DEFAULTS, KNEP_MANAGED_VARIABLES } from "./knep/resolve";
export { renderKnepEnvironment, type KnepEnvironmentEntry } from "./knep/environment";
export { renderKnepKubernetes, knepSecretChecksum, type KnepKubernetesObjects, type KnepKubernetesOptions } from "./knep/kubernetes";
export { renderKnepComposeService, type KnepComposeService, type KnepComposeOptions } from "./knep/compose";
export { renderKnep, withheldKnepSpec, knepHasSecrets, type KnepDefinition, type RenderedKnep, type RenderKnepOptions } from "./knep/definition";
export { parseKnepEvent, KNEP_EVENT_SCHEMA, type KnepEvent, type KnepRequestData, type KnepResponseData } from "./knep/event";

export {
  DatabaseMode,
  PluginDelivery,
  type GatewaySpec,
  type GatewayImageFacts,
  type KongServiceSpec,
  type KongRouteSpec,
  type KongConsumerSpec,
} from "./gateway/model";
export { renderDeclarativeConfig } from "./gateway/declarative";
export { resolveStackGateway, type StackGatewayInputs, type StackGatewayOptions } from "./gateway/stack-inputs";
export { checkGateway, gatewayIssues } from "./gateway/preflight";
export { vaultReferenceIssues } from "./gateway/vault-references";
export { gatewayEnvironment, enabledPluginsValue, effectiveLuaPackagePath } from "./gateway/environment";
export { MOUNT_ROOT, MOUNT_LUA_PACKAGE_PATH, KONG_DEFAULT_LUA_PATH, luaSearchTemplates, searchModule, pluginContainerDir } from "./gateway/lua-path";
export { KafkaMode, COMPOSE_IMAGES, type ComposeProjectSpec, type ComposePorts, type PostgresSettings } from "./compose/project-spec";
export { renderComposeProject, kafkaClusterId, type ComposeProject } from "./compose/compose-file";
export { syncFolder, removeWritten, type WrittenFiles } from "./compose/folder-sync";
export { projectFolderProvider } from "./compose/project-folder";

export {
  KubernetesDelivery,
  KongConfiguration,
  KongServiceType,
  KONG_UID,
  STATUS_PORT,
  type KubernetesManifestsSpec,
} from "./kubernetes/spec";
export { renderKubernetesManifests, redactSecret, type KubernetesManifests, type ManifestEntry } from "./kubernetes/manifests";
export { manifestKeys, instanceShapeOf, type ManifestShape, type ManifestKey, type InstanceShape } from "./kubernetes/manifest-keys";
export { PLUGINS_CHECKSUM_ANNOTATION, CONFIG_CHECKSUM_ANNOTATION } from "./kubernetes/gateway-workload";
export { CONFIGMAP_MAX_BYTES, configMapKey, pluginVolumeName } from "./kubernetes/plugin-configmaps";

export { PluginMetadata, type PluginMetadataArgs } from "./plugin/plugin-metadata";
export { PluginInstance, type PluginInstanceArgs } from "./plugin/plugin-instance";
export { GatewayImage, type GatewayImageArgs } from "./image/gateway-image";
export { PluginImage, type PluginImageArgs, type PluginImageReference } from "./image/plugin-image";
export type { ImageBuildArgs, ImageRegistry } from "./image/built-image";
export { KnepDeployment, type KnepDeploymentArgs, type KnepKubernetesArgs, type KnepRabbitMqTargetArgs } from "./knep/knep-deployment";
export { ComposeStack, type ComposeStackArgs, type ComposePostgresArgs } from "./compose/compose-stack";
export { KubernetesStack, type KubernetesStackArgs } from "./kubernetes/kubernetes-stack";
