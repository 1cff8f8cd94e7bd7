// The checks Kong's plugin loader makes on the table handler.lua returns, in its words:
// kong/db/dao/plugins.lua (`load_plugin_handler`: valid_priority, valid_version, the
// response/header_filter clash), Kong 3.x. Each returns Kong's message or undefined.

/**
 * PRIORITY: a finite whole number (`type(p) == "number"`, not NaN, not ±inf,
 * `math.floor(p) == p`); negatives and `10.0` pass.
 */
export function priorityProblem(plugin: string, priority: unknown, priorityText: string): string | undefined {
  if (typeof priority === "number" && Number.isFinite(priority) && Number.isInteger(priority)) return undefined;
  return `Plugin ${JSON.stringify(plugin)} cannot be loaded because its PRIORITY field is not a valid integer number, got: ${JSON.stringify(priorityText)}.`;
}

/**
 * VERSION as Kong reads it: a string whose first run of digits and dots (`(%d[%d%.]*)`) splits
 * into at most three numeric parts, as Kong's lenient version parser (the `version` rock) does.
 * `"0.1"` gives `0.1`, `"v1.2.3-beta"` gives `1.2.3`; `"1.0.0.0"`, `"1..2"`, `123` and nil fail.
 * Returns the version Kong keeps (it writes the cleaned string back into `handler.VERSION`).
 */
export function kongHandlerVersion(version: unknown): string | undefined {
  if (typeof version !== "string") return undefined;
  const run = /\d[\d.]*/.exec(version)?.[0];
  if (run === undefined) return undefined;
  const parts = run.split(".");
  // `"1."` is `1`: Lua's split drops the empty piece after a trailing dot.
  if (parts[parts.length - 1] === "") parts.pop();
  if (parts.length > 3 || parts.some((part) => !/^\d+$/.test(part))) return undefined;
  return parts.map((part) => String(Number(part))).join(".");
}

export function versionProblem(plugin: string, version: unknown, versionText: string): string | undefined {
  if (kongHandlerVersion(version) !== undefined) return undefined;
  return `Plugin ${JSON.stringify(plugin)} cannot be loaded because its VERSION field does not follow the "x.y.z" format, got: ${JSON.stringify(versionText)}.`;
}

/** `response` with `header_filter` or `body_filter` (`implements`: the field is a function). */
export function responseClashProblem(plugin: string, functions: ReadonlySet<string>): string | undefined {
  if (!functions.has("response") || !(functions.has("header_filter") || functions.has("body_filter"))) return undefined;
  return `Plugin ${JSON.stringify(plugin)} can't be loaded because it implements both \`response\` and \`header_filter\` or \`body_filter\` methods.`;
}
