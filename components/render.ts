// `pulumi-kong-plugins/render`: every check and renderer of the components as a pure function
// (plain values in, plain values or text out; no Pulumi), with the same vocabulary as the root.

export * from "./model";

export { BUNDLED_PLUGINS } from "./plugin/bundled";
export { readPluginSource, type ReadPluginSourceOptions } from "./plugin/source";
export { analyseLua, formatSyntaxError } from "./plugin/lua";
export { resolvePlugin, resolvePlugins, pluginSpecOf } from "./plugin/validate";
export { konnectRuleIssues, konnectFileRuleIssues } from "./plugin/konnect-rules";
export { kongHandlerVersion } from "./plugin/handler-rules";
export { renderRockspec, luaModuleName, type RenderedRockspec } from "./plugin/rockspec";
export { packPluginArchive, pluginArchiveName } from "./plugin/archive";
export { validatePluginConfig, pluginConfigIssues } from "./plugin/config";
export { resolvePluginInstance, withheldInstanceSpec, DEFAULT_NAMESPACE } from "./plugin/instance";
export {
  renderKongPluginMetadata,
  renderOperatorKongPlugin,
  renderIngressControllerPlugin,
  renderDeclarativePlugin,
  pluginMetadataName,
  secretVariableName,
  DEFAULT_INGRESS_CLASS,
  INGRESS_CLASS_ANNOTATION,
  type DeclarativePlugin,
  type IngressControllerPlugin,
  type IngressControllerOptions,
} from "./plugin/resources";
export { renderPluginCrds } from "./plugin/crds";
export { renderPluginArtifacts, type PluginArtifactsSpec } from "./plugin/artifacts";
export type { OutputFile } from "./core/files";

export { DEFAULT_BASE_IMAGE, KONG_LUA_ROOT, kongPluginsValue, luaPackagePath } from "./gateway/kong-conventions";
export { pluginsDigest } from "./plugin/plugins-digest";
export { imageFacts, resolveImageReference } from "./image/image-facts";
export { resolveGatewayImage } from "./image/gateway-spec";
export { renderDockerfile, imageEnvironment, imageLabels, luarocksInstallCommands } from "./image/dockerfile";
export { renderBuildContext, writeBuildContext, type BuildContext } from "./image/build-context";
export { packSourceRock, sourceRockName } from "./image/source-rock";
export {
  renderPluginImageDockerfile,
  renderPluginImageContext,
  checkPluginImagePlugin,
  PLUGIN_IMAGE_MAX_BYTES,
  pluginImageLayerBytes,
} from "./image/plugin-image-dockerfile";

export { resolveKnep, KNEP_DEFAULTS, KNEP_MANAGED_VARIABLES } from "./knep/resolve";
export { renderKnepEnvironment, type KnepEnvironmentEntry } from "./knep/environment";
export {
  renderKnepKubernetes,
  knepSecretChecksum,
  KNEP_CONFIG_CHECKSUM_ANNOTATION,
  KNEP_SECRET_CHECKSUM_ANNOTATION,
  type KnepKubernetesObjects,
  type KnepKubernetesOptions,
} from "./knep/kubernetes";
export { renderKnepComposeService, type KnepComposeService, type KnepComposeOptions } from "./knep/compose";
export { renderKnep, withheldKnepSpec, knepHasSecrets, type RenderedKnep, type RenderKnepOptions } from "./knep/definition";
export { parseKnepEvent, KNEP_EVENT_SCHEMA, type KnepEvent, type KnepRequestData, type KnepResponseData } from "./knep/event";

export { renderDeclarativeConfig } from "./gateway/declarative";
export { resolveStackGateway, type StackGatewayInputs, type StackGatewayOptions } from "./gateway/stack-inputs";
export { checkGateway, gatewayIssues } from "./gateway/preflight";
export { vaultReferenceIssues } from "./gateway/vault-references";
export { gatewayEnvironment, enabledPluginsValue, effectiveLuaPackagePath } from "./gateway/environment";
export { MOUNT_ROOT, MOUNT_LUA_PACKAGE_PATH, KONG_DEFAULT_LUA_PATH, luaSearchTemplates, searchModule, pluginContainerDir } from "./gateway/lua-path";
export { COMPOSE_IMAGES, type ComposeProjectSpec } from "./compose/project-spec";
export { renderComposeProject, kafkaClusterId, type ComposeProject } from "./compose/compose-file";

export { KONG_UID, STATUS_PORT, type KubernetesManifestsSpec } from "./kubernetes/spec";
export { renderKubernetesManifests, renderKubernetesSecrets, redactSecret, type KubernetesManifests, type ManifestEntry } from "./kubernetes/manifests";
export { PLUGINS_CHECKSUM_ANNOTATION, CONFIG_CHECKSUM_ANNOTATION } from "./kubernetes/gateway-workload";
export { knepAdminUrl } from "./kubernetes/admin-api";
export { DEFAULT_INGRESS_CONTROLLER_IMAGE, INGRESS_CONTROLLER_PREREQUISITES, OPERATOR_PREREQUISITES } from "./kubernetes/ingress-controller";
export { pluginsOnlyChartValues, pluginsOnlyDataPlanePatch } from "./kubernetes/chart-values";
export {
  CONFIGMAP_MAX_BYTES,
  chartPluginValues,
  chartPluginValuesIssues,
  pluginConfigMapParts,
  pluginSubfolderConfigMapName,
  pluginVolumeName,
  pluginVolumes,
  renderPluginConfigMaps,
  type ChartPluginConfigMap,
  type ChartPluginValues,
  type PluginConfigMapPart,
} from "./kubernetes/plugin-configmaps";

export { KonnectRegion, type KonnectTargetSpec, type ResolvedKonnectTarget } from "./konnect/target";
export { resolveKonnectPluginSpec, type KonnectPluginSpec, type ResolvedKonnectPlugin } from "./konnect/resolve";
export { KonnectEntityKind, konnectRequestBody, konnectBodyDigest, konnectRequestPreview, konnectCollectionPath, type KonnectRequestBody } from "./konnect/requests";
export { renderKonnectDeckFile, konnectDeckTag } from "./konnect/deck-file";
export { publishArtifact, type PublishRequest, type PublishedArtifact } from "./artifact/publish";
export { verifyArtifact, ArtifactVerificationError, type VerifiedArtifact } from "./artifact/installer/verify";
export {
  RegistryClient,
  RegistryError,
  parseArtifactReference,
  repositoryName,
  ociDigest,
  type ArtifactReference,
  type RegistryCredentials,
  type RegistryClientOptions,
} from "./artifact/installer/registry-client";
export {
  renderArtifactManifest,
  renderSignatureManifest,
  renderSimpleSigningPayload,
  signatureTag,
  readSigningKey,
  readPublicKey,
  signPayload,
  verifyPayload,
  SigningKeyError,
  ARCHIVE_MEDIA_TYPE,
  SIMPLE_SIGNING_MEDIA_TYPE,
  SIGNATURE_ANNOTATION,
  OCI_MANIFEST_MEDIA_TYPE,
} from "./artifact/installer/cosign-format";
export { pluginFilesOf, readTar, ArchiveError } from "./artifact/installer/unpack";
export { readCosignSigningKey } from "./artifact/signing-key";
export { installFromEnvironment, INSTALLER_ENV } from "./artifact/installer/main";
export { resolvePluginArtifact, type PluginArtifactSpec, type ResolvedPluginArtifact } from "./artifact/artifact-spec";
export { PluginStage, pluginStages, skippedRetirementSteps } from "./gateway/lifecycle";
