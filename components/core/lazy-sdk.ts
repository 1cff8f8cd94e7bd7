// `@pulumi/kubernetes` is loaded when a component first registers a Kubernetes object: a
// program that registers none (a compose stack, an image) does not pay its load (issue 18: the
// CLI loads only the parts of the SDK a program needs). Types come from a type-only import.
import type * as Kubernetes from "@pulumi/kubernetes";

let loaded: typeof Kubernetes | undefined;

/** The `@pulumi/kubernetes` module, loaded on first use. */
export function kubernetes(): typeof Kubernetes {
  loaded ??= require("@pulumi/kubernetes") as typeof Kubernetes;
  return loaded;
}
