// The vocabulary shared by the components (the package root) and the pure renderers
// (`pulumi-kong-plugins/render`): the typed error, the enums, and the plain value types that
// components take as arguments and give as `definition` outputs.

export { KongPluginsValidationError, type ValidationIssue } from "./core/errors";
export { JsonSchemaDialect } from "./core/ajv";

export { PluginType, HANDLER_PHASES, type HandlerPhase, type LuaAnalysis, type PluginSource } from "./plugin/types";
export type { PluginSourceInput } from "./plugin/source";
export type { JsonSchema, PluginSpec, ResolvedPlugin } from "./plugin/model";
export { FactsSource, type PluginFacts } from "./plugin/plugin-facts";
export type { RockspecOptions } from "./plugin/rockspec-options";
export {
  KongProtocol,
  PluginScope,
  type PluginInstanceSpec,
  type PluginOrdering,
  type ResolvedPluginInstance,
  type TargetRef,
} from "./plugin/instance-model";
export type { KubernetesObject } from "./plugin/kubernetes-object";

export type { GatewayImageReference } from "./image/image-facts";
export { PluginInstallMode, type GatewayImageSpec, type ResolvedGatewayImage } from "./image/gateway-spec";

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
export type { KnepDefinition } from "./knep/definition";

export {
  DatabaseMode,
  PluginDelivery,
  PluginRetirement,
  type GatewaySpec,
  type GatewayImageFacts,
  type KongServiceSpec,
  type KongRouteSpec,
  type KongConsumerSpec,
} from "./gateway/model";
export { KafkaMode, type ComposePorts, type ComposeUpstream, type PostgresSettings } from "./compose/project-spec";
export { KubernetesDelivery, KongConfiguration, KongServiceType } from "./kubernetes/spec";
