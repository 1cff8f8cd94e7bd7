import type * as k8s from "@pulumi/kubernetes";
import { kubernetes } from "../core/lazy-sdk";
import * as pulumi from "@pulumi/pulumi";
import { KNEP_CONFIG_CHECKSUM_ANNOTATION, KNEP_SECRET_CHECKSUM_ANNOTATION } from "./kubernetes";

type Fields = Record<string, any> | undefined;

/**
 * The args of KNEP's Deployment resource from its rendered object, with `secretChecksum` (a
 * Pulumi secret) as the value of the secret checksum annotation, which the render shows as
 * `[secret]`. The annotation is its own input, so the engine keeps exactly it secret and a
 * preview still shows every other change to the Deployment.
 */
function knepDeploymentArgs(deployment: pulumi.Output<object | undefined>, secretChecksum: pulumi.Output<string>): k8s.apps.v1.DeploymentArgs {
  const spec = deployment.apply((object): Fields => (object as Fields)?.spec);
  const template = spec.apply((fields): Fields => fields?.template);
  const annotations = template.apply((fields): Record<string, string> => fields?.metadata?.annotations ?? {});
  return {
    metadata: deployment.apply((object) => (object as Fields)?.metadata),
    spec: {
      replicas: spec.apply((fields) => fields?.replicas),
      selector: spec.apply((fields) => fields?.selector),
      template: {
        metadata: {
          labels: template.apply((fields) => fields?.metadata?.labels),
          annotations: {
            [KNEP_CONFIG_CHECKSUM_ANNOTATION]: annotations.apply((values) => values[KNEP_CONFIG_CHECKSUM_ANNOTATION] as string),
            // Present exactly when the render has it, that is when KNEP has secret variables.
            [KNEP_SECRET_CHECKSUM_ANNOTATION]: pulumi.all([annotations, secretChecksum]).apply(([values, checksum]) => (KNEP_SECRET_CHECKSUM_ANNOTATION in values ? checksum : undefined)) as pulumi.Output<string>,
          },
        },
        spec: template.apply((fields) => fields?.spec),
      },
    },
  };
}

/**
 * Registers KNEP's Deployment as a child of `parent` (a KnepDeployment, or a stack that runs
 * KNEP), with its secret checksum annotation kept a Pulumi secret (see {@link knepDeploymentArgs}).
 */
export function registerKnepDeployment(
  parent: pulumi.ComponentResource,
  name: string,
  deployment: pulumi.Output<object | undefined>,
  secretChecksum: pulumi.Output<string>,
  options: Omit<pulumi.CustomResourceOptions, "parent"> = {},
): k8s.apps.v1.Deployment {
  return new (kubernetes().apps.v1.Deployment)(name, knepDeploymentArgs(deployment, secretChecksum), { ...options, parent });
}
