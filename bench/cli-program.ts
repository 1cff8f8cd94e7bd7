// The source of a Pulumi program of N plugin instances for `kong-plugins preview`: the bench's
// 20 plugins, N PluginInstances and a KubernetesStack (declarative configuration).
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";

/** Writes the program into `dir` (a Pulumi project) and returns `dir`. */
export function writeCliProgram(dir: string, count: number, fixtureModule: string): string {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, "Pulumi.yaml"), `name: kong-plugins-bench-${count}\nruntime:\n  name: nodejs\n  options:\n    typescript: true\n`);
  writeFileSync(
    join(dir, "index.ts"),
    `import { KongConfiguration, KubernetesDelivery, KubernetesStack, PluginInstance, PluginMetadata } from "pulumi-kong-plugins";
import { benchGateway, benchPlugins } from ${JSON.stringify(fixtureModule)};

const plugins = benchPlugins().map((spec) => new PluginMetadata(spec.name, spec));
const gateway = benchGateway(${count});
const instances = gateway.instances.map(({ plugin, ...args }) => new PluginInstance(args.name, { ...args, plugin: plugins[plugin]!.definition }));
const stack = new KubernetesStack("kong", {
  delivery: KubernetesDelivery.ConfigMap,
  configuration: KongConfiguration.Declarative,
  plugins: plugins.map((plugin) => plugin.definition),
  instances: instances.map((instance) => instance.definition),
  services: gateway.services,
  routes: gateway.routes,
  consumers: gateway.consumers,
});

export const manifests = stack.yaml;
`,
  );
  return dir;
}
