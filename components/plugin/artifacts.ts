import { stableYaml, stableYamlDocuments } from "../core/canonical";
import type { OutputFile } from "../core/files";
import { packPluginArchive, pluginArchiveName } from "./archive";
import { renderPluginCrds } from "./crds";
import { resolvePluginInstance } from "./instance";
import type { PluginInstanceSpec } from "./instance-model";
import type { PluginSpec } from "./model";
import { pluginMetadataName, renderDeclarativePlugin, renderIngressControllerPlugin, renderKongPluginMetadata, renderOperatorKongPlugin } from "./resources";
import { renderRockspec } from "./rockspec";
import { resolvePlugin } from "./validate";

/** A plugin and the instances of it to render. */
export interface PluginArtifactsSpec {
  /** The plugin. */
  readonly plugin: PluginSpec;
  /** Instances of it; `plugin`, `pluginSubsystems` and `configSchema` are taken from the plugin. */
  readonly instances?: readonly Omit<PluginInstanceSpec, "plugin" | "pluginSubsystems" | "configSchema">[];
  /** Namespace of the KongPluginMetadata. @default "default" */
  readonly namespace?: string;
}

/**
 * Every artifact of a plugin and its instances, as files of an output folder: the rockspec,
 * the source archive, the operator CRDs and CRs, and the Ingress Controller CRs and kong.yaml
 * entries of each instance (when there are instances). Secret values are never written: Secrets are left out, kong.yaml
 * holds vault references. Validates everything before rendering anything.
 */
export async function renderPluginArtifacts(spec: PluginArtifactsSpec): Promise<OutputFile[]> {
  const plugin = resolvePlugin(spec.plugin);
  const instances = (spec.instances ?? []).map((instance) =>
    resolvePluginInstance(
      { ...instance, plugin: plugin.name, pluginSubsystems: [...plugin.subsystems], ...(plugin.configSchema ? { configSchema: plugin.configSchema } : {}) },
      { secretValuesWithheld: true, plugin },
    ),
  );
  const rockspec = renderRockspec(plugin);
  const metadataOptions = spec.namespace !== undefined ? { namespace: spec.namespace } : {};
  const operatorResources = [
    renderKongPluginMetadata(plugin, metadataOptions),
    ...instances.filter((instance) => instance.targetRef).map((instance) => renderOperatorKongPlugin(instance, pluginMetadataName(plugin, metadataOptions))),
  ];
  const ingressResources = instances.map((instance) => renderIngressControllerPlugin(instance).resource);

  const packaging = [
    { path: `${plugin.name}/${rockspec.fileName}`, content: rockspec.text },
    { path: `${plugin.name}/${pluginArchiveName(plugin)}`, content: await packPluginArchive(plugin) },
    { path: `${plugin.name}/operator-crds.yaml`, content: stableYamlDocuments(renderPluginCrds()) },
    { path: `${plugin.name}/operator-resources.yaml`, content: stableYamlDocuments(operatorResources) },
  ];
  if (instances.length === 0) return packaging;
  return [
    ...packaging,
    { path: `${plugin.name}/ingress-controller-resources.yaml`, content: stableYamlDocuments(ingressResources) },
    {
      path: `${plugin.name}/kong-plugins.yaml`,
      content: stableYaml({ _format_version: "3.0", plugins: instances.map((instance) => renderDeclarativePlugin(instance).entry) }),
    },
  ];
}
