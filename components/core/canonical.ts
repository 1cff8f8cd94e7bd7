import { stringify as yamlStringify } from "yaml";
import { compareStrings } from "./digest";
import { yaml11Tags } from "./yaml11";
import { YamlEmitter, type ScalarContext } from "./yaml-emitter";

/** A JSON value, as every renderer produces and every artifact contains. */
export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

/**
 * Returns a deep copy with every object's keys in code-unit order. Arrays keep their order:
 * where order carries meaning the renderer decides it. Keys whose value is `undefined` are
 * dropped, as JSON would.
 */
export function sortKeysDeep<T>(value: T): T {
  if (Array.isArray(value)) return value.map((item) => sortKeysDeep(item)) as T;
  if (value === null || typeof value !== "object") return value;
  const sorted: Record<string, unknown> = {};
  for (const key of Object.keys(value).sort(compareStrings)) {
    const item = (value as Record<string, unknown>)[key];
    if (item !== undefined) sorted[key] = sortKeysDeep(item);
  }
  return sorted as T;
}

/** Compact JSON with sorted keys: the canonical form that digests and cache keys use. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeysDeep(value));
}

/** Pretty JSON with sorted keys and a final newline, for files people read. */
export function stableJson(value: unknown): string {
  return `${JSON.stringify(sortKeysDeep(value), null, 2)}\n`;
}

/** The `yaml` library's options stableYaml writes with. */
const YAML_OPTIONS = {
  version: "1.1",
  lineWidth: 0,
  minContentWidth: 0,
  indentSeq: true,
  aliasDuplicateObjects: false,
  customTags: yaml11Tags,
} as const;

/**
 * stableYaml as the `yaml` library writes it: the reference the faster writer is held to, byte
 * for byte (test/core/yaml-emitter.test.ts), and what writes any value that writer leaves.
 */
export function referenceStableYaml(value: unknown): string {
  return yamlStringify(sortKeysDeep(value), YAML_OPTIONS);
}

/** How the library writes one scalar where it stands (see YamlEmitter). */
function libraryScalar(value: string | number, context: ScalarContext): string | undefined {
  const [text, prefix, suffix] =
    context === "topKey"
      ? [yamlStringify({ [value]: null }, YAML_OPTIONS), "", ": null\n"]
      : context === "key"
        ? [yamlStringify({ k: { [value]: null } }, YAML_OPTIONS), "k:\n  ", ": null\n"]
        : context === "item" ? [yamlStringify([value], YAML_OPTIONS), "- ", "\n"] : [yamlStringify({ k: value }, YAML_OPTIONS), "k: ", "\n"];
  return text.startsWith(prefix) && text.endsWith(suffix) ? text.slice(prefix.length, text.length - suffix.length) : undefined;
}

const emitter = new YamlEmitter(libraryScalar);

/**
 * YAML with sorted keys, no line folding, and YAML 1.1 quoting. Kubernetes (go-yaml) and
 * docker-compose (PyYAML) both read YAML 1.1, where a bare `off`, `yes` or `y` is a boolean and
 * a bare `<<` or `=` is refused; every string either reader would not read back as itself is
 * quoted ({@link yaml11Tags}), so every reader sees the same value. The bytes are the `yaml`
 * library's ({@link referenceStableYaml}), written by {@link YamlEmitter}.
 */
export function stableYaml(value: unknown): string {
  return emitter.emit(value) ?? referenceStableYaml(value);
}

/** Several documents in one YAML stream, in the given order, separated by `---`. */
export function stableYamlDocuments(values: readonly unknown[]): string {
  return values.map((value) => `---\n${stableYaml(value)}`).join("");
}
