/**
 * The part of Kong Operator's ControlPlane CRD, version v2beta1, that a rendered ControlPlane
 * uses, transcribed as data from Kong/kong-operator `config/crd/kong-operator/
 * gateway-operator.konghq.com_controlplanes.yaml` (channel kong-operator, commit 0574aa68f344):
 * that CRD is not among ../shared/fixtures, and kept whole it is 640 kB. Its CEL rules, which ajv
 * cannot evaluate, are checked by {@link controlPlaneRuleProblems}.
 */
export const CONTROLPLANE_V2BETA1_SCHEMA = {
  type: "object",
  required: ["spec"],
  properties: {
    apiVersion: { type: "string" },
    kind: { type: "string" },
    metadata: { type: "object" },
    spec: {
      type: "object",
      required: ["dataplane"],
      properties: {
        dataplane: {
          type: "object",
          required: ["type"],
          properties: {
            type: { type: "string", enum: ["ref", "managedByOwner"] },
            ref: { type: "object", required: ["name"], properties: { name: { type: "string", minLength: 1 } } },
          },
        },
        ingressClass: { type: "string" },
        watchNamespaces: {
          type: "object",
          required: ["type"],
          properties: { type: { type: "string", enum: ["all", "list", "own"] }, list: { type: "array", items: { type: "string" } } },
        },
      },
    },
  },
} as const;

/**
 * The CRD's CEL rules on what is rendered: `self.type != 'ref' || has(self.ref)` ("Ref has to be
 * provided when type is set to ref"), and on spec `self.dataplane.type != 'ref' ||
 * has(self.ingressClass)` ("When dataplane target is of type 'ref' the ingressClass must be set").
 */
export function controlPlaneRuleProblems(object: { spec?: { dataplane?: { type?: string; ref?: unknown }; ingressClass?: unknown } }): string[] {
  const dataplane = object.spec?.dataplane;
  const problems: string[] = [];
  if (dataplane?.type === "ref" && dataplane.ref === undefined) problems.push("Ref has to be provided when type is set to ref");
  if (dataplane?.type === "managedByOwner" && dataplane.ref !== undefined) problems.push("Ref cannot be provided when type is set to managedByOwner");
  if (dataplane?.type === "ref" && object.spec?.ingressClass === undefined) problems.push("When dataplane target is of type 'ref' the ingressClass must be set");
  return problems;
}
