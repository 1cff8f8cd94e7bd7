// The package root: the components, their arguments, the enums and value types they take, and
// the typed error. The same checks and renderers without Pulumi: `pulumi-kong-plugins/render`.

export * from "./model";

export { PluginMetadata, type PluginMetadataArgs } from "./plugin/plugin-metadata";
export { PluginInstance, type PluginInstanceArgs } from "./plugin/plugin-instance";
export { GatewayImage, type GatewayImageArgs } from "./image/gateway-image";
export { PluginImage, type PluginImageArgs, type PluginImageReference } from "./image/plugin-image";
export { PluginArtifact, type PluginArtifactArgs, type PluginArtifactReference, type PluginArtifactsArgs } from "./artifact/plugin-artifact";
export type { ImageBuildArgs, ImageRegistry } from "./image/built-image";
export { KnepDeployment, type KnepDeploymentArgs, type KnepKubernetesArgs, type KnepRabbitMqTargetArgs } from "./knep/knep-deployment";
export { ComposeStack, type ComposeStackArgs, type ComposePostgresArgs } from "./compose/compose-stack";
export { KubernetesStack, type KubernetesStackArgs } from "./kubernetes/kubernetes-stack";
export { KonnectCustomPlugin, type KonnectCustomPluginArgs } from "./konnect/konnect-custom-plugin";
export { KonnectPluginSchema, type KonnectPluginSchemaArgs } from "./konnect/konnect-plugin-schema";
export type { KonnectPluginArgs } from "./konnect/konnect-plugin-args";
export { KonnectRegion } from "./konnect/target";
