/**
 * The defaults Kong's own Helm chart (github.com/Kong/charts, `charts/kong`) gives Kong's pods,
 * kept here so each rendered value names where it comes from. `values.yaml` is the chart's
 * values; `_helpers.tpl` holds `kong.env`, `kong.listen`, `kong.port_maps` and `kong.volumes`.
 */
import { STATUS_PORT } from "./spec";

/**
 * Kong's proxy listeners and the Service ports in front of them: values.yaml `proxy.http`
 * (servicePort 80, containerPort 8000) and `proxy.tls` (servicePort 443, containerPort 8443).
 * One table: the container ports, the Service ports and KONG_PORT_MAPS are all derived from it.
 */
export const PROXY_PORTS = [
  { name: "proxy", servicePort: 80, containerPort: 8000 },
  { name: "proxy-tls", servicePort: 443, containerPort: 8443 },
] as const;

/**
 * KONG_PORT_MAPS, so Kong reports the ports clients used (X-Forwarded-Port, redirects) rather
 * than its container ports: `kong.port_maps` joins `<servicePort>:<containerPort>` of the proxy's
 * http and tls listens with ", ", e.g. "80:8000, 443:8443".
 */
export const PORT_MAPS = PROXY_PORTS.map((port) => `${port.servicePort}:${port.containerPort}`).join(", ");

/**
 * values.yaml `env.nginx_worker_processes: "2"`. Kong's own default, `auto`, starts one worker
 * per CPU of the node, not of the pod's limit: dozens of workers (and their memory) on a big node.
 * A constant, not an argument: set KONG_NGINX_WORKER_PROCESSES in kongEnv to change it.
 */
export const WORKER_PROCESSES = "2";

/**
 * The addresses `kong.listen` binds a listener to unless told otherwise
 * (`$defaultAddrs := (list "0.0.0.0" "[::]")`): IPv4 and IPv6, so probes work on IPv6 pods too.
 */
const ALL_ADDRESSES = ["0.0.0.0", "[::]"] as const;

/**
 * The loopback addresses `kong.env` binds the Admin API to when the admin Service is disabled
 * (`admin.enabled: false`, the chart's default): `(list "127.0.0.1" "[::1]")`.
 */
const LOOPBACK_ADDRESSES = ["127.0.0.1", "[::1]"] as const;

/** One listen entry per address, as `kong.singleListen` writes it: `<address>:<port> <parameters>`. */
function listen(addresses: readonly string[], port: number, parameters: readonly string[] = []): string[] {
  return addresses.map((address) => [`${address}:${port}`, ...parameters].join(" "));
}

/** KONG_STATUS_LISTEN as `kong.listen` renders values.yaml `status` (http on 8100, tls off): "0.0.0.0:8100, [::]:8100". */
export const STATUS_LISTEN = listen(ALL_ADDRESSES, STATUS_PORT).join(", ");

/** The Admin API's plaintext port (Kong's default `admin_listen`, values.yaml `admin.http.containerPort`). */
export const ADMIN_PORT = 8001;
/** The Admin API's TLS port (values.yaml `admin.tls.containerPort: 8444`, parameters `http2`, plus `ssl`). */
export const ADMIN_TLS_PORT = 8444;

/**
 * KONG_ADMIN_LISTEN on Kubernetes. Any pod can reach a pod's IP, and the Admin API has no
 * authentication (`POST /config` replaces the whole configuration), so it is never served in
 * plaintext beyond the pod:
 * - plaintext 8001 on loopback only, as the chart binds the Admin API when its admin Service is
 *   disabled; `kubectl port-forward` and `kubectl exec` still reach it, other pods do not;
 * - with `tlsForPeers` (a KNEP in the stack reads the Admin API from its own pods), TLS 8444 on
 *   every address as the chart's `admin.tls` (`http2 ssl`), and a NetworkPolicy admits only
 *   KNEP's pods to it (see admin-api.ts).
 */
export function kubernetesAdminListen(tlsForPeers: boolean): string {
  return [...listen(LOOPBACK_ADDRESSES, ADMIN_PORT), ...(tlsForPeers ? listen(ALL_ADDRESSES, ADMIN_TLS_PORT, ["http2", "ssl"]) : [])].join(", ");
}

/**
 * The preStop hook and grace period: values.yaml `lifecycle.preStop.exec.command: [kong, quit,
 * --wait=15]` and `terminationGracePeriodSeconds: 30`. `kong quit` drains in-flight requests
 * (a SIGTERM would cut them) on every roll the checksum annotations cause; the chart's note:
 * quit's default 10 s timeout plus the 15 s wait stay under the 30 s grace period.
 */
export const PRE_STOP_COMMAND = ["kong", "quit", "--wait=15"] as const;
export const TERMINATION_GRACE_PERIOD_SECONDS = 30;

/**
 * emptyDir size limits, values.yaml `deployment.prefixDir.sizeLimit: 256Mi` (the Kong prefix)
 * and `deployment.tmpDir.sizeLimit: 1Gi` (`/tmp`), which `kong.volumes` puts on the two
 * emptyDirs: a runaway log or buffer evicts the pod instead of filling the node's disk.
 */
export const PREFIX_DIR_SIZE_LIMIT = "256Mi";
export const TMP_DIR_SIZE_LIMIT = "1Gi";
