import type { JsonValue } from "../core/canonical";

/** A Kubernetes object as plain JSON: what every Kubernetes renderer returns. */
export interface KubernetesObject {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: {
    readonly name: string;
    readonly namespace?: string;
    readonly labels?: Readonly<Record<string, string>>;
    readonly annotations?: Readonly<Record<string, string>>;
  };
  readonly [field: string]: JsonValue | KubernetesObject["metadata"] | undefined;
}

/** Label every object this library renders carries, so `kubectl get -l` finds them. */
export const MANAGED_BY_LABELS: Readonly<Record<string, string>> = {
  "app.kubernetes.io/managed-by": "pulumi-kong-plugins",
};
