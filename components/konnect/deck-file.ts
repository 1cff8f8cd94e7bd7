// The decK file that configures a plugin's instances on a Konnect control plane, for
// `deck gateway sync`. decK reads the control plane to target from `_konnect.control_plane_name`
// (decK's file format, Kong/go-database-reconciler pkg/file/types.go `Konnect`; the `_konnect`
// property of ../shared/fixtures/deck/kong_json_schema.json) and manages only the entities
// carrying `_info.select_tags`, so a sync of this file never deletes what others configured on
// the control plane (https://developer.konghq.com/deck/gateway/sync: sync deletes whatever the
// file lacks; "to apply a partial configuration use tags").
import type { JsonValue } from "../core/canonical";
import type { ResolvedPluginInstance } from "../plugin/instance-model";
import { renderDeclarativePlugin } from "../plugin/resources";

/** The tag that marks the entities a plugin's decK file manages. */
export function konnectDeckTag(pluginName: string): string {
  return `kong-plugins-${pluginName}`;
}

/**
 * The decK file for a plugin's instances on a Konnect control plane: `_format_version: "3.0"`,
 * the control plane, the select tag, and one `plugins[]` entry per instance (scoped ones name
 * their service, route or consumer). Secret config values are `{vault://env/...}` references.
 */
export function renderKonnectDeckFile(controlPlaneName: string, pluginName: string, instances: readonly ResolvedPluginInstance[]): Record<string, JsonValue> {
  return {
    _format_version: "3.0",
    _konnect: { control_plane_name: controlPlaneName },
    _info: { select_tags: [konnectDeckTag(pluginName)] },
    plugins: instances.map((instance) => renderDeclarativePlugin(instance).entry as Record<string, JsonValue>),
  };
}
