// Finding the derived JSON Schema's nodes along a path of Kong's validator, to hold the two to each other.

/** The derived schema's node at a Kong issue path (`config.a.b[0]`), and every node above it. */
export function nodesOnPath(schema: Record<string, unknown>, path: string): Record<string, unknown>[] {
  const nodes: Record<string, unknown>[] = [];
  let node: Record<string, unknown> | undefined = schema;
  const unwrap = (value: unknown): Record<string, unknown> | undefined => {
    let current = value as Record<string, unknown> | undefined;
    while (current !== undefined && Array.isArray(current["anyOf"])) {
      nodes.push(current);
      current = (current["anyOf"] as Record<string, unknown>[]).find((option) => option["type"] !== "null" && option["pattern"] !== "^\\{vault://.*\\}$");
    }
    return current;
  };
  for (const part of path.replace(/^config\.?/, "").split(/\.|\[|\]/).filter(Boolean)) {
    node = unwrap(node);
    if (node === undefined) break;
    nodes.push(node);
    const properties = node["properties"] as Record<string, unknown> | undefined;
    node = /^\d+$/.test(part) ? (node["items"] as Record<string, unknown> | undefined) : ((properties?.[part] ?? node["additionalProperties"]) as Record<string, unknown> | undefined);
  }
  node = unwrap(node);
  if (node !== undefined) nodes.push(node);
  return nodes;
}

const hasKongKeyword = (node: Record<string, unknown>) => Object.keys(node).some((key) => key.startsWith("x-kong-"));

/**
 * Whether an x-kong-* keyword on the way to a Kong issue's path (`config.a.b[0]`, or `@entity`
 * for the plugin's own entity checks) says why Kong refuses what the JSON Schema accepts.
 */
export function explainedByKongKeyword(schema: Record<string, unknown>, path: string): boolean {
  return nodesOnPath(schema, path === "@entity" ? "config" : path).some(hasKongKeyword);
}

