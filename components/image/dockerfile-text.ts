import type { IssueCollector } from "../core/errors";

/**
 * A Dockerfile value in double quotes. Inside quotes the builder unescapes `\"` and `\\` and
 * expands `$VAR`, so those three are escaped; every other character stands for itself.
 * Control characters cannot be written in a Dockerfile line at all and are rejected by
 * {@link checkDockerfileValue} before this is called.
 */
export function quoteDockerfileValue(value: string): string {
  return `"${value.replace(/[\\"$]/g, (character) => `\\${character}`)}"`;
}

// Line breaks would end the instruction and start a new one (instruction injection);
// other control characters have no escape in a Dockerfile.
const CONTROL = /[\u0000-\u001f\u007f]/;

/** Rejects values that cannot be written safely inside a quoted Dockerfile value. */
export function checkDockerfileValue(value: unknown, path: string, issues: IssueCollector): value is string {
  if (typeof value !== "string") {
    issues.add(path, "must be a string", { received: value });
    return false;
  }
  if (CONTROL.test(value)) {
    issues.add(path, "must not contain line breaks or other control characters (they would end the Dockerfile instruction)", { received: value });
    return false;
  }
  return true;
}

/** Environment variable names: what a shell and Kong's config loader accept. */
export const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Label keys: reverse-DNS or plain words, as the OCI image spec recommends. */
export const LABEL_KEY = /^[A-Za-z0-9]([A-Za-z0-9._/-]*[A-Za-z0-9])?$/;

/**
 * An image reference as Docker's reference grammar has it: an optional registry host (with
 * port), lower-case path components, then an optional `:tag` and/or `@sha256:digest`.
 */
export const IMAGE_REFERENCE =
  /^(?:(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)*(?::[0-9]+)?)\/)?[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:\/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*(?::[\w][\w.-]{0,127})?(?:@sha256:[a-f0-9]{64})?$/;

/** An absolute container path of plain segments (no `..`, no spaces, no quotes). */
export const CONTAINER_PATH = /^(\/[A-Za-z0-9._-]+)+\/?$/;

/** Whether a container path is absolute, plain, and free of `.`/`..` segments. */
export function isSafeContainerPath(path: string): boolean {
  return CONTAINER_PATH.test(path) && !path.split("/").some((segment) => segment === "." || segment === "..");
}
