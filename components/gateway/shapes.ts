import { arrayOf, BOOLEAN, enumOf, mapOf, objectOf, STRING, type Shape } from "../core/shape";
import { KongProtocol } from "../plugin/instance-model";
import { RESOLVED_INSTANCE, RESOLVED_PLUGIN } from "../plugin/shapes";
import { DatabaseMode, PluginDelivery, PluginRetirement } from "./model";

// The types of a gateway's plain values (see ../core/shape.ts).

export const ROUTE: Shape = objectOf(
  { name: STRING, paths: arrayOf(STRING), hosts: arrayOf(STRING), methods: arrayOf(STRING), protocols: arrayOf(enumOf(KongProtocol)), stripPath: BOOLEAN, service: STRING },
  ["name"],
);
export const SERVICE: Shape = objectOf({ name: STRING, url: STRING, routes: arrayOf(ROUTE) }, ["name", "url"]);
export const CONSUMER: Shape = objectOf({ username: STRING, customId: STRING }, ["username"]);

/** The entities every gateway shape shares. */
export const GATEWAY_ENTITIES = { services: arrayOf(SERVICE), routes: arrayOf(ROUTE), consumers: arrayOf(CONSUMER), database: enumOf(DatabaseMode), kongEnv: mapOf(STRING), includeBundled: BOOLEAN, baseImage: STRING, retirement: mapOf(enumOf(PluginRetirement)) };

/** {@link GatewaySpec}. */
export const GATEWAY_SPEC: Shape = objectOf(
  {
    ...GATEWAY_ENTITIES,
    plugins: arrayOf(RESOLVED_PLUGIN),
    delivery: enumOf(PluginDelivery),
    image: objectOf({ name: STRING, kongPlugins: STRING, luaRoot: STRING, luaPackagePath: STRING }, ["name", "kongPlugins", "luaRoot"]),
    instances: arrayOf(RESOLVED_INSTANCE),
  },
  ["plugins", "delivery", "instances"],
);
