import type { AnySchema } from "ajv";
import { validateWithSchema } from "../core/ajv";
import { isPathWithin, joinPath, KongPluginsValidationError, REDACTED, type ValidationIssue } from "../core/errors";
import type { JsonSchema } from "./model";

/** Options of {@link pluginConfigIssues}. */
export interface PluginConfigCheckOptions {
  /** Path of the config object in the caller's input. @default "config" */
  readonly path?: string;
  /** Top-level keys whose values are secret: problems with them never show the value. */
  readonly secretKeys?: readonly string[];
}

/**
 * Validates a plugin's `config` against the plugin's JSON Schema and throws one error with
 * every problem, paths like `config.limit`. Secret values are never echoed back.
 * @throws KongPluginsValidationError
 */
export function validatePluginConfig(configSchema: JsonSchema | undefined, config: unknown, options: PluginConfigCheckOptions = {}): void {
  const issues = pluginConfigIssues(configSchema, config, options);
  if (issues.length > 0) throw new KongPluginsValidationError(issues, "plugin config");
}

/** The problems {@link validatePluginConfig} would throw, as a list. */
export function pluginConfigIssues(configSchema: JsonSchema | undefined, config: unknown, options: PluginConfigCheckOptions = {}): ValidationIssue[] {
  const path = options.path ?? "config";
  if (config === null || typeof config !== "object" || Array.isArray(config)) {
    return [{ path, message: "must be an object", received: config, expected: "an object of the plugin's settings" }];
  }
  const issues = nonJsonIssues(config, path);
  if (configSchema !== undefined) issues.push(...validateWithSchema(configSchema as AnySchema, config, path));
  return redactSecrets(issues, path, options.secretKeys ?? []);
}

/** Values JSON cannot carry (and so neither Kong, Kubernetes nor a kong.yaml can). */
function nonJsonIssues(value: unknown, path: string): ValidationIssue[] {
  if (value === null || typeof value === "string" || typeof value === "boolean") return [];
  if (typeof value === "number") {
    return Number.isFinite(value) ? [] : [{ path, message: "must be a finite number", received: String(value) }];
  }
  if (Array.isArray(value)) return value.flatMap((item, index) => nonJsonIssues(item, joinPath(path, index)));
  if (typeof value === "object" && Object.getPrototypeOf(value) === Object.prototype) {
    return Object.entries(value).flatMap(([key, item]) => nonJsonIssues(item, joinPath(path, key)));
  }
  return [{ path, message: "is not a JSON value", received: typeof value, expected: "a string, number, boolean, null, array or plain object" }];
}

/**
 * An issue shows no value of a secret key: not at the key or inside it, and not in an object
 * that holds one (a keyword that fails at the root, such as anyOf, echoes the whole config).
 */
function redactSecrets(issues: ValidationIssue[], path: string, secretKeys: readonly string[]): ValidationIssue[] {
  const secretPaths = secretKeys.map((key) => joinPath(path, key));
  const showsSecret = (issuePath: string) => secretPaths.some((secret) => isPathWithin(issuePath, secret) || isPathWithin(secret, issuePath));
  return issues.map((issue) => (showsSecret(issue.path) && issue.received !== undefined ? { ...issue, received: REDACTED } : issue));
}
