// Plugin ConfigMaps as Kong's Helm chart mounts them (issue 15, item 11). The expected objects
// below are written by hand from Kong/charts `charts/kong/templates/_helpers.tpl` (commit
// d2435cdde78800beac13179096162a42231e6355), for the values snippet chartPluginValues returns:
//
//   kong.volumes:       {{- range .Values.plugins.configMaps }}
//                       - name: kong-plugin-{{ .pluginName }}
//                         configMap: { name: {{ .name }} }
//                       {{- range .subdirectories }}
//                       - name: {{ .name }}
//                         configMap: { name: {{ .name }} }
//   kong.volumeMounts:  {{- $mountPath := printf "/opt/kong/plugins/%s" .pluginName }}
//                       - name: kong-plugin-{{ .pluginName }}  mountPath: {{ $mountPath }}  readOnly: true
//                       {{- range .subdirectories }}
//                       - name: {{ .name }}  mountPath: {{ printf "%s/%s" $mountPath ( .path | default .name ) }}  readOnly: true
//   kong.plugins:       list "bundled" + each .pluginName, uniq, joined by ","  (KONG_PLUGINS, set in kong.env)
//   kong.env:           KONG_LUA_PACKAGE_PATH "/opt/?.lua;/opt/?/init.lua;;"
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { parse } from "yaml";
import { KubernetesDelivery, KongPluginsValidationError, PluginDelivery, type KubernetesObject } from "pulumi-kong-plugins";
import { CONFIGMAP_MAX_BYTES, chartPluginValues, chartPluginValuesIssues, pluginVolumes, renderKubernetesManifests, renderPluginConfigMaps, resolvePlugin, type KubernetesManifestsSpec } from "pulumi-kong-plugins/render";
import { builtInProblems } from "../helpers/kubernetes";
import { testFixture } from "../helpers/paths";

const dbPlugin = resolvePlugin({ name: "db-plugin", version: "1.0.0", source: { directory: testFixture("plugin/fixtures/db-plugin") } });
const spec: KubernetesManifestsSpec = { delivery: KubernetesDelivery.ConfigMap, gateway: { plugins: [dbPlugin], delivery: PluginDelivery.Mount, instances: [] } };

/** What the chart's templates produce for the values snippet below, by hand. */
const CHART_VALUES = {
  plugins: {
    configMaps: [{ pluginName: "db-plugin", name: "kong-plugin-db-plugin", subdirectories: [{ name: "kong-plugin-db-plugin-migrations", path: "migrations" }] }],
  },
};
const CHART_VOLUMES = [
  { name: "kong-plugin-db-plugin", configMap: { name: "kong-plugin-db-plugin" } },
  { name: "kong-plugin-db-plugin-migrations", configMap: { name: "kong-plugin-db-plugin-migrations" } },
];
const CHART_MOUNTS = [
  { name: "kong-plugin-db-plugin", mountPath: "/opt/kong/plugins/db-plugin", readOnly: true },
  { name: "kong-plugin-db-plugin-migrations", mountPath: "/opt/kong/plugins/db-plugin/migrations", readOnly: true },
];
const CHART_ENV = { KONG_PLUGINS: "bundled,db-plugin", KONG_LUA_PACKAGE_PATH: "/opt/?.lua;/opt/?/init.lua;;" };

function proxyOf(objects: readonly KubernetesObject[]) {
  const deployment = objects.find((object) => object.kind === "Deployment") as unknown as { spec: { template: { spec: { volumes: { name: string }[]; containers: { env: { name: string; value?: string }[]; volumeMounts: { name: string }[] }[] } } } };
  const pod = deployment.spec.template.spec;
  return { pod, proxy: pod.containers[0] as (typeof pod.containers)[number] };
}

describe("plugin ConfigMaps as Kong's chart mounts them (plugins.configMaps)", () => {
  it("renders one ConfigMap for the plugin folder and one per subfolder, each key a file name", () => {
    const configMaps = renderPluginConfigMaps(dbPlugin, "kong");
    assert.deepEqual(
      configMaps.map((configMap) => [configMap.metadata.name, Object.keys(configMap.data as object).sort()]),
      [
        ["kong-plugin-db-plugin", ["daos.lua", "handler.lua", "schema.lua"]],
        ["kong-plugin-db-plugin-migrations", ["000_base_db_plugin.lua", "init.lua"]],
      ],
    );
    const byPath = new Map(dbPlugin.files.map((file) => [file.path, file.content]));
    assert.equal((configMaps[1]?.data as Record<string, string>)["init.lua"], byPath.get("migrations/init.lua"));
  });

  it("the values snippet is the chart's plugins.configMaps shape for the rendered ConfigMaps", () => {
    assert.deepEqual(chartPluginValues([dbPlugin]), CHART_VALUES);
    const manifests = renderKubernetesManifests(spec);
    assert.deepEqual(parse(manifests.chartValues as string), CHART_VALUES);
    const names = manifests.entries.filter((entry) => entry.object.kind === "ConfigMap").map((entry) => entry.object.metadata.name);
    for (const entry of CHART_VALUES.plugins.configMaps) {
      assert.ok(names.includes(entry.name), entry.name);
      for (const subdirectory of entry.subdirectories) assert.ok(names.includes(subdirectory.name), subdirectory.name);
    }
  });

  it("mounts them with the volumes, mount paths and env the chart's templates produce for that snippet", () => {
    assert.deepEqual(pluginVolumes(dbPlugin), { volumes: CHART_VOLUMES, mounts: CHART_MOUNTS });
    const { pod, proxy } = proxyOf(renderKubernetesManifests(spec).entries.map((entry) => entry.object));
    assert.deepEqual(pod.volumes.filter((volume) => volume.name.startsWith("kong-plugin-")), CHART_VOLUMES);
    assert.deepEqual(proxy.volumeMounts.filter((mount) => mount.name.startsWith("kong-plugin-")), CHART_MOUNTS);
    const env = Object.fromEntries(proxy.env.map((variable) => [variable.name, variable.value]));
    assert.equal(env.KONG_PLUGINS, CHART_ENV.KONG_PLUGINS);
    assert.equal(env.KONG_LUA_PACKAGE_PATH, CHART_ENV.KONG_LUA_PACKAGE_PATH);
  });

  it("every rendered object passes kubernetes-models and the client's field maps", async () => {
    for (const { object } of renderKubernetesManifests(spec).entries) {
      assert.deepEqual(await builtInProblems(object as never), [], `${object.kind}/${object.metadata.name}`);
    }
  });

  it("has exactly the keys a component registers, one per subfolder", () => {
    const keys = renderKubernetesManifests(spec).entries.map((entry) => entry.key).filter((key) => key.startsWith("plugin-configmap"));
    assert.deepEqual(keys, ["plugin-configmap:0", "plugin-configmap:0:migrations"]);
  });

  it("checks 1 MiB per ConfigMap: two folders of 0.6 MiB pass, one folder over 1 MiB is refused at its path", () => {
    const padding = (bytes: number) => `-- ${"x".repeat(bytes)}\n`;
    const files = (extra: Record<string, string>) => ({ ...Object.fromEntries(dbPlugin.files.map((file) => [file.path, file.content])), ...extra });
    const split = resolvePlugin({ name: "db-plugin", version: "1.0.0", source: { files: files({ "big.lua": padding(0.6 * CONFIGMAP_MAX_BYTES), "migrations/big.lua": padding(0.6 * CONFIGMAP_MAX_BYTES) }) } });
    assert.doesNotThrow(() => renderKubernetesManifests({ ...spec, gateway: { ...spec.gateway, plugins: [split] } }));

    const over = resolvePlugin({ name: "db-plugin", version: "1.0.0", source: { files: files({ "migrations/big.lua": padding(CONFIGMAP_MAX_BYTES) }) } });
    assert.throws(
      () => renderKubernetesManifests({ ...spec, gateway: { ...spec.gateway, plugins: [over] } }),
      (error: unknown) => {
        assert.ok(error instanceof KongPluginsValidationError);
        assert.deepEqual(error.issues.map((issue) => issue.path), ['gateway.plugins[0]["migrations/"]']);
        assert.match(error.issues[0]?.message ?? "", /kong-plugin-db-plugin-migrations.*1 MiB/);
        return true;
      },
    );
  });

  it("refuses subfolders whose ConfigMap names clash, and leaves the chart values out for a name with '_'", () => {
    const clash = resolvePlugin({ name: "db-plugin", version: "1.0.0", source: { files: { ...Object.fromEntries(dbPlugin.files.map((file) => [file.path, file.content])), "a-b/x.lua": "return {}\n", "a/b/y.lua": "return {}\n" } } });
    assert.throws(
      () => renderKubernetesManifests({ ...spec, gateway: { ...spec.gateway, plugins: [clash] } }),
      (error: unknown) => error instanceof KongPluginsValidationError && error.issues.some((issue) => issue.path === 'gateway.plugins[0]["a/b/"]' && /same ConfigMap name/.test(issue.message)),
    );

    const underscored = resolvePlugin({ name: "db_plugin", version: "1.0.0", source: { files: { "handler.lua": 'return { PRIORITY = 1, VERSION = "1.0.0" }\n', "schema.lua": 'return { name = "db_plugin", fields = { { config = { type = "record", fields = {} } } } }\n' } } });
    assert.deepEqual(chartPluginValuesIssues([underscored], "plugins").map((issue) => issue.path), ["plugins[0].name"]);
    assert.equal(renderKubernetesManifests({ ...spec, gateway: { ...spec.gateway, plugins: [underscored] } }).chartValues, undefined);
  });
});
