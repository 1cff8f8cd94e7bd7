import { kongPluginsValue, luaPackagePath } from "../gateway/kong-conventions";
import type { GatewayImageFacts } from "../gateway/model";
import type { ResolvedGatewayImage } from "./gateway-spec";

/** What a gateway model needs to know of a custom image that Kong runs as `reference`. */
export function imageFacts(reference: string, image: ResolvedGatewayImage): GatewayImageFacts {
  return {
    name: reference,
    kongPlugins: kongPluginsValue(image),
    luaRoot: image.luaRoot,
    ...(image.customLuaRoot ? { luaPackagePath: luaPackagePath(image.luaRoot) } : {}),
  };
}
