// The component provider host: other Pulumi languages reach every component through it.
// It has no logic of its own; the SDK reads the components' types and TSDoc for the schema.
import { existsSync } from "node:fs";
import { join, resolve } from "node:path";
import { componentProviderHost, getPulumiComponents } from "@pulumi/pulumi/provider/experimental";
import * as components from "../components/index";

/**
 * The folder holding PulumiPlugin.yaml, package.json and the TypeScript the schema is read
 * from: this file's own when run from source, `provider/` when run from the compiled `dist/`.
 */
export const PROVIDER_DIR = existsSync(join(__dirname, "PulumiPlugin.yaml")) ? __dirname : resolve(__dirname, "../../provider");

/** The package name other languages import, and the first part of every type token. */
export const PACKAGE_NAME = "kong-plugins";

if (require.main === module) {
  void componentProviderHost({ name: PACKAGE_NAME, components: getPulumiComponents(components), dirname: PROVIDER_DIR });
}
