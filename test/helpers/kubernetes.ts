import { existsSync } from "node:fs";
import { join } from "node:path";
import { repoRoot } from "./paths";

interface Attribute {
  readonly baseName: string;
  readonly type: string;
}
type ModelClass = { getAttributeTypeMap(): Attribute[] };

const MODELS_DIR = join(repoRoot, "node_modules", "@kubernetes", "client-node", "dist", "gen", "models");
const PRIMITIVES = new Set(["string", "number", "boolean", "Date", "any", "object", "IntOrString", "RequestContext"]);

/**
 * Checks a built-in Kubernetes object twice, with two independent tools: its schema with
 * kubernetes-models (`.validate()`), and its keys against the official client's field
 * maps (@kubernetes/client-node), because the API server silently drops unknown keys and a
 * typo would otherwise pass. Returns every problem, empty when the object is valid.
 */
export async function builtInProblems(object: Record<string, unknown>): Promise<string[]> {
  const apiVersion = String(object.apiVersion);
  const kind = String(object.kind);
  const [group, version] = apiVersion.includes("/") ? apiVersion.split("/") : [undefined, apiVersion];
  const problems: string[] = [];

  const modelPath = `kubernetes-models/${group ? `${group}/` : ""}${version}/${kind}`;
  const Model = (require(modelPath) as Record<string, new (data: unknown) => { validate(): void }>)[kind];
  if (!Model) throw new Error(`kubernetes-models has no ${apiVersion} ${kind}`);
  try {
    new Model(object).validate();
  } catch (error) {
    problems.push(`kubernetes-models: ${(error as Error).message}`);
  }
  const typeName = `${capitalize(version as string)}${kind}`;
  problems.push(...(await unknownKeys(typeName, object, "")));
  return problems;
}

async function unknownKeys(type: string, value: unknown, path: string): Promise<string[]> {
  if (value === null || value === undefined || PRIMITIVES.has(type)) return [];
  const array = /^Array<(.+)>$/.exec(type);
  if (array) return Array.isArray(value) ? (await Promise.all(value.map((item, index) => unknownKeys(array[1] as string, item, `${path}/${index}`)))).flat() : [];
  const map = /^\{ \[key: string\]: (.+); \}$/.exec(type);
  if (map) {
    const entries = Object.entries(value as Record<string, unknown>);
    return (await Promise.all(entries.map(([key, item]) => unknownKeys(map[1] as string, item, `${path}/${key}`)))).flat();
  }
  const model = await loadModel(type);
  if (!model || typeof value !== "object") return [];
  const attributes = new Map(model.getAttributeTypeMap().map((attribute) => [attribute.baseName, attribute.type]));
  const problems: string[] = [];
  for (const [key, item] of Object.entries(value as Record<string, unknown>)) {
    const itemType = attributes.get(key);
    if (itemType === undefined) problems.push(`${path}/${key} is not a field of ${type}`);
    else problems.push(...(await unknownKeys(itemType, item, `${path}/${key}`)));
  }
  return problems;
}

const models = new Map<string, ModelClass | undefined>();

async function loadModel(type: string): Promise<ModelClass | undefined> {
  if (!models.has(type)) {
    const file = join(MODELS_DIR, `${type}.js`);
    models.set(type, existsSync(file) ? ((await import(file)) as Record<string, ModelClass>)[type] : undefined);
  }
  return models.get(type);
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
