import { arrayOf, BOOLEAN, enumOf, JSON_OBJECT, mapOf, objectOf, STRING, type Shape } from "../core/shape";
import { KongProtocol } from "./instance-model";
import { PluginType } from "./types";

// The types of a plugin's and an instance's plain values (see ../core/shape.ts).

const TEXT_FILE = objectOf({ path: STRING, content: STRING }, ["path", "content"]);

/** {@link PluginSpec}. */
export const PLUGIN_SPEC: Shape = objectOf(
  {
    name: STRING,
    version: STRING,
    source: objectOf({ directory: STRING, files: mapOf(STRING) }),
    kongLuaTree: STRING,
    configSchema: JSON_OBJECT,
    rockspec: objectOf({ summary: STRING, detailed: STRING, homepage: STRING, license: STRING, maintainer: STRING, sourceUrl: STRING, dependencies: arrayOf(STRING) }),
  },
  ["name", "source"],
);

/** What a renderer reads of a resolved plugin (one that a caller assembled by hand included). */
export const RESOLVED_PLUGIN: Shape = objectOf({ name: STRING, version: STRING, type: enumOf(PluginType), subsystems: arrayOf(enumOf(PluginType)), files: arrayOf(TEXT_FILE), digest: STRING, requiresDatabase: BOOLEAN }, ["name", "version", "files"]);

/** {@link PluginInstanceSpec}. */
export const PLUGIN_INSTANCE_SPEC: Shape = objectOf(
  {
    name: STRING,
    plugin: STRING,
    pluginType: enumOf(PluginType),
    configSchema: JSON_OBJECT,
    config: JSON_OBJECT,
    secretConfig: mapOf(STRING),
    service: STRING,
    route: STRING,
    consumer: STRING,
    targetRef: objectOf({ group: STRING, kind: STRING, name: STRING, namespace: STRING }, ["group", "kind", "name"]),
    enabled: BOOLEAN,
    protocols: arrayOf(enumOf(KongProtocol)),
    ordering: objectOf({ before: mapOf(arrayOf(STRING)), after: mapOf(arrayOf(STRING)) }),
    instanceName: STRING,
    tags: arrayOf(STRING),
    namespace: STRING,
    clusterWide: BOOLEAN,
    secretPaths: arrayOf(STRING),
  },
  ["name", "plugin"],
);

/** What a renderer reads of a resolved instance. */
export const RESOLVED_INSTANCE: Shape = objectOf({ name: STRING, plugin: STRING, config: JSON_OBJECT, secretConfig: mapOf(STRING), enabled: BOOLEAN }, ["name", "plugin", "config", "secretConfig"]);
