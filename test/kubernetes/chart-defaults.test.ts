// Kong's Helm chart defaults (issue 15, items 2 and 10), each asserted on the rendered objects.
// Sources: github.com/Kong/charts, charts/kong/values.yaml and charts/kong/templates/_helpers.tpl
// (`kong.env`, `kong.listen`, `kong.port_maps`, `kong.volumes`).
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { knepAdminUrl, renderComposeProject, renderKnepKubernetes, renderKubernetesManifests, resolvePlugin, type KubernetesManifestsSpec } from "pulumi-kong-plugins/render";
import { KnepTargetType, KongPluginsValidationError, KubernetesDelivery, PluginDelivery, type KubernetesObject } from "pulumi-kong-plugins";
import { parse as parseYaml } from "yaml";
import { rateLimitExample } from "../../examples/quickstart/rate-limit-example";

const rateLimit = resolvePlugin(rateLimitExample());
const gateway = { plugins: [rateLimit], delivery: PluginDelivery.Mount, instances: [] };
const knep = renderKnepKubernetes({ image: "registry.example.com/knep:1.0.0", kongAdminUrl: knepAdminUrl("kong", "kong"), targetType: KnepTargetType.Http, http: { url: "http://sink:8080" } }, { namespace: "kong" });
const plain: KubernetesManifestsSpec = { delivery: KubernetesDelivery.ConfigMap, gateway };
const withKnep: KubernetesManifestsSpec = { ...plain, knep };

/* eslint-disable @typescript-eslint/no-explicit-any */
function byKey(spec: KubernetesManifestsSpec): Map<string, KubernetesObject> {
  return new Map(renderKubernetesManifests(spec).entries.map((entry) => [entry.key, entry.object]));
}
function pod(spec: KubernetesManifestsSpec): any {
  return (byKey(spec).get("deployment") as KubernetesObject).spec as any;
}
function proxy(spec: KubernetesManifestsSpec): any {
  return pod(spec).template.spec.containers[0];
}
function env(spec: KubernetesManifestsSpec): Record<string, string> {
  return Object.fromEntries(proxy(spec).env.filter((e: { value?: string }) => e.value !== undefined).map((e: { name: string; value: string }) => [e.name, e.value]));
}

describe("Kubernetes: the Admin API is never plaintext beyond the pod (issue 15 item 2)", () => {
  it("binds the Admin API to loopback only, as the chart does with admin.enabled: false (_helpers.tpl kong.env: addresses 127.0.0.1, [::1])", () => {
    assert.equal(env(plain).KONG_ADMIN_LISTEN, "127.0.0.1:8001, [::1]:8001");
    const objects = byKey(plain);
    assert.ok(!objects.has("admin-service") && !objects.has("admin-network-policy"), "no admin Service or NetworkPolicy without a peer that needs it");
    assert.ok(!proxy(plain).ports.some((port: { containerPort: number }) => port.containerPort === 8001 || port.containerPort === 8444));
  });

  it("with a KNEP in the stack, adds TLS 8444 on every address as the chart's admin.tls (http2 ssl), never plaintext beyond loopback", () => {
    const listen = env(withKnep).KONG_ADMIN_LISTEN as string;
    assert.equal(listen, "127.0.0.1:8001, [::1]:8001, 0.0.0.0:8444 http2 ssl, [::]:8444 http2 ssl");
    for (const entry of listen.split(", ")) assert.ok(/^(127\.0\.0\.1|\[::1\]):/.test(entry) || entry.split(" ").includes("ssl"), entry);
    assert.deepEqual(proxy(withKnep).ports.find((port: { name: string }) => port.name === "admin-tls"), { name: "admin-tls", containerPort: 8444, protocol: "TCP" });
  });

  it("with a KNEP in the stack, an admin Service named as the chart's <name>-admin (admin.tls.servicePort: 8444) is what KNEP's URL names", () => {
    const service = byKey(withKnep).get("admin-service") as any;
    assert.equal(service.metadata.name, "kong-admin");
    assert.deepEqual(service.spec.ports, [{ name: "admin-tls", port: 8444, targetPort: "admin-tls", protocol: "TCP" }]);
    assert.deepEqual(service.spec.selector, pod(withKnep).selector.matchLabels);
    assert.equal(knepAdminUrl("kong", "kong"), "https://kong-admin.kong.svc:8444");
  });

  it("with a KNEP in the stack, a NetworkPolicy admits only KNEP's pods to 8444, and keeps the proxy and status ports open", () => {
    const policy = byKey(withKnep).get("admin-network-policy") as any;
    assert.equal(policy.kind, "NetworkPolicy");
    assert.deepEqual(policy.spec.podSelector.matchLabels, pod(withKnep).selector.matchLabels);
    assert.deepEqual(policy.spec.policyTypes, ["Ingress"]);
    const knepLabels = (knep.deployment.spec as any).template.metadata.labels;
    const adminRules = policy.spec.ingress.filter((rule: any) => rule.ports.some((port: { port: number }) => port.port === 8444));
    assert.deepEqual(adminRules, [{ from: [{ podSelector: { matchLabels: knepLabels } }], ports: [{ protocol: "TCP", port: 8444 }] }]);
    const open = policy.spec.ingress.filter((rule: any) => rule.from === undefined).flatMap((rule: any) => rule.ports.map((port: { port: number }) => port.port));
    assert.deepEqual(open.sort(), [8000, 8100, 8443]);
  });

  it("probes stay on the status listener, which does not depend on the Admin API (values.yaml readinessProbe /status/ready, livenessProbe /status)", () => {
    assert.deepEqual(proxy(plain).readinessProbe.httpGet, { path: "/status/ready", port: 8100 });
    assert.deepEqual(proxy(plain).livenessProbe.httpGet, { path: "/status", port: 8100 });
  });

  it("a KONG_ADMIN_LISTEN in kongEnv is the user's and wins, unless it serves plaintext beyond loopback", () => {
    const withListen = (value: string): KubernetesManifestsSpec => ({ ...plain, gateway: { ...gateway, kongEnv: { KONG_ADMIN_LISTEN: value } } });
    assert.equal(env(withListen("off")).KONG_ADMIN_LISTEN, "off");
    assert.equal(env(withListen("127.0.0.1:8001, 0.0.0.0:8444 ssl")).KONG_ADMIN_LISTEN, "127.0.0.1:8001, 0.0.0.0:8444 ssl");
    assert.throws(
      () => renderKubernetesManifests(withListen("0.0.0.0:8001, 0.0.0.0:8444 ssl")),
      (error: KongPluginsValidationError) => error.issues.some((issue) => issue.path === "gateway.kongEnv.KONG_ADMIN_LISTEN" && issue.message.includes("0.0.0.0:8001") && !issue.message.includes("8444 ssl,")),
    );
  });

  it("the operator's DataPlane leaves KONG_ADMIN_LISTEN to the operator (its ControlPlane talks mTLS on 8444)", () => {
    const spec: KubernetesManifestsSpec = { delivery: KubernetesDelivery.Operator, gateway, pluginImages: { "rate-limit-example": "registry.example.com/rate-limit-example:1.0.0" } };
    const dataplane = byKey(spec).get("dataplane") as any;
    const names = dataplane.spec.deployment.podTemplateSpec.spec.containers[0].env.map((e: { name: string }) => e.name);
    assert.ok(!names.includes("KONG_ADMIN_LISTEN"), names.join(","));
  });

  it("compose keeps the Admin API on the project network, where KNEP and deck reach it as http://kong:8001", () => {
    const compose = parseYaml(renderComposeProject({ gateway }).composeYaml);
    assert.equal(compose.services.kong.environment.KONG_ADMIN_LISTEN, "0.0.0.0:8001, 0.0.0.0:8444 ssl");
  });
});

describe("Kubernetes: the chart's worker, port-map, shutdown and sizing defaults (issue 15 item 10)", () => {
  it('KONG_NGINX_WORKER_PROCESSES is "2" (values.yaml env.nginx_worker_processes; Kong\'s `auto` is one worker per node CPU)', () => {
    assert.equal(env(plain).KONG_NGINX_WORKER_PROCESSES, "2");
    assert.equal(env({ ...plain, gateway: { ...gateway, kongEnv: { KONG_NGINX_WORKER_PROCESSES: "4" } } }).KONG_NGINX_WORKER_PROCESSES, "4");
  });

  it("KONG_PORT_MAPS maps the Service's ports to Kong's (_helpers.tpl kong.port_maps over proxy.http 80:8000 and proxy.tls 443:8443)", () => {
    assert.equal(env(plain).KONG_PORT_MAPS, "80:8000, 443:8443");
    const service = byKey(plain).get("service") as any;
    const containerPorts = new Map(proxy(plain).ports.map((port: { name: string; containerPort: number }) => [port.name, port.containerPort]));
    const maps = service.spec.ports.map((port: { port: number; targetPort: string }) => `${port.port}:${containerPorts.get(port.targetPort)}`).join(", ");
    assert.equal(env(plain).KONG_PORT_MAPS, maps, "derived from the same ports the Service forwards");
  });

  it("drains with a preStop `kong quit --wait=15` under a 30 s grace period (values.yaml lifecycle.preStop.exec.command, terminationGracePeriodSeconds)", () => {
    assert.deepEqual(proxy(plain).lifecycle, { preStop: { exec: { command: ["kong", "quit", "--wait=15"] } } });
    assert.equal(pod(plain).template.spec.terminationGracePeriodSeconds, 30);
  });

  it("sizes the emptyDirs as the chart does (values.yaml deployment.prefixDir.sizeLimit 256Mi, deployment.tmpDir.sizeLimit 1Gi; _helpers.tpl kong.volumes)", () => {
    const volumes = pod(plain).template.spec.volumes.filter((volume: { emptyDir?: object }) => volume.emptyDir);
    const mounts = new Map(proxy(plain).volumeMounts.map((mount: { name: string; mountPath: string }) => [mount.name, mount.mountPath]));
    assert.deepEqual(
      volumes.map((volume: { name: string; emptyDir: { sizeLimit: string } }) => [mounts.get(volume.name), volume.emptyDir.sizeLimit]),
      [
        ["/kong_prefix", "256Mi"],
        ["/tmp", "1Gi"],
      ],
    );
  });

  it('listens for status on IPv4 and IPv6 (_helpers.tpl kong.listen: $defaultAddrs (list "0.0.0.0" "[::]"), status.http.containerPort 8100)', () => {
    assert.equal(env(plain).KONG_STATUS_LISTEN, "0.0.0.0:8100, [::]:8100");
  });
});
