import assert from "node:assert/strict";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import { ComponentProvider, getPulumiComponents } from "@pulumi/pulumi/provider/experimental";
import ts from "typescript";
import * as components from "pulumi-kong-plugins";
import { PACKAGE_NAME, PROVIDER_DIR } from "../../provider/index";

interface PropertySchema {
  readonly description?: string;
}
interface ResourceSchema {
  readonly description?: string;
  readonly inputProperties: Record<string, PropertySchema>;
  readonly properties: Record<string, PropertySchema>;
}
interface PackageSchema {
  readonly name: string;
  readonly resources: Record<string, ResourceSchema>;
  readonly types: Record<string, { readonly properties?: Record<string, PropertySchema> }>;
}

/** The committed schema other languages' SDKs are generated from (`pulumi package gen-sdk`). */
const SCHEMA_FILE = join(PROVIDER_DIR, "schema.json");
const COMPONENTS = ["PluginMetadata", "PluginInstance", "GatewayImage", "PluginImage", "PluginArtifact", "KnepDeployment", "ComposeStack", "KubernetesStack", "KonnectCustomPlugin", "KonnectPluginSchema"];

async function generatedSchema(): Promise<string> {
  const provider = new ComponentProvider({ name: PACKAGE_NAME, components: getPulumiComponents(components), dirname: PROVIDER_DIR });
  return `${JSON.stringify(JSON.parse(await provider.getSchema()), null, 2)}\n`;
}

/**
 * Each component's args and public properties, read with the TypeScript compiler from the
 * sources: what the schema must hold, found independently of the SDK's analyzer.
 */
function declaredMembers(): Map<string, { args: string[]; outputs: string[] }> {
  const parsed = ts.getParsedCommandLineOfConfigFile(join(PROVIDER_DIR, "tsconfig.json"), {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => undefined });
  assert.ok(parsed, "provider/tsconfig.json parses");
  const program = ts.createProgram(parsed.fileNames, parsed.options);
  const checker = program.getTypeChecker();
  const found = new Map<string, { args: string[]; outputs: string[] }>();
  for (const file of program.getSourceFiles()) {
    ts.forEachChild(file, (node) => {
      if (!ts.isClassDeclaration(node) || !node.name || !COMPONENTS.includes(node.name.text)) return;
      const constructor = node.members.find(ts.isConstructorDeclaration);
      const argsType = constructor?.parameters[1]?.type;
      assert.ok(argsType, `${node.name.text} takes args`);
      const args = checker.getTypeFromTypeNode(argsType).getProperties().map((symbol) => symbol.name);
      const outputs = node.members
        .filter((member): member is ts.PropertyDeclaration => ts.isPropertyDeclaration(member))
        .filter((member) => !(ts.getCombinedModifierFlags(member) & (ts.ModifierFlags.Private | ts.ModifierFlags.Protected)))
        .map((member) => member.name.getText());
      found.set(node.name.text, { args, outputs });
    });
  }
  return found;
}

describe("the component provider's schema", () => {
  it("is what the SDK's component provider generates from the components, as committed in provider/schema.json", async () => {
    const generated = await generatedSchema();
    if (process.env.UPDATE_SCHEMA === "1") writeFileSync(SCHEMA_FILE, generated);
    assert.equal(generated, readFileSync(SCHEMA_FILE, "utf8"), "provider/schema.json is stale: run `UPDATE_SCHEMA=1 npm test` and commit it");
  });

  it("has every component under kong-plugins:index:<Component>, every arg and output of each, each with a description", () => {
    const schema = JSON.parse(readFileSync(SCHEMA_FILE, "utf8")) as PackageSchema;
    assert.equal(schema.name, "kong-plugins");
    assert.deepEqual(Object.keys(schema.resources).sort(), COMPONENTS.map((name) => `kong-plugins:index:${name}`).sort());
    const declared = declaredMembers();
    assert.deepEqual([...declared.keys()].sort(), [...COMPONENTS].sort());
    for (const [name, members] of declared) {
      const resource = schema.resources[`kong-plugins:index:${name}`] as ResourceSchema;
      assert.ok(resource.description, `${name} has a description`);
      assert.deepEqual(Object.keys(resource.inputProperties).sort(), [...members.args].sort(), `${name}: no arg lost`);
      assert.deepEqual(Object.keys(resource.properties).sort(), [...members.outputs].sort(), `${name}: no output lost`);
      for (const [section, properties] of [["arg", resource.inputProperties], ["output", resource.properties]] as const) {
        for (const [property, definition] of Object.entries(properties)) assert.ok(definition.description, `${name} ${section} ${property} has a description`);
      }
    }
    for (const [type, definition] of Object.entries(schema.types)) {
      for (const [property, field] of Object.entries(definition.properties ?? {})) assert.ok(field.description, `${type}.${property} has a description`);
    }
  });
});
