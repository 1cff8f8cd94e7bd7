// Kubernetes with the plugin in ConfigMaps (Kong's Helm chart layout), configured by the Kong
// Ingress Controller through KongPlugin resources, with KNEP forwarding events over HTTP.
import * as pulumi from "@pulumi/pulumi";
import { KnepDeployment, KnepTargetType, KongConfiguration, KubernetesDelivery, KubernetesStack, PluginInstance, PluginMetadata } from "pulumi-kong-plugins";
import { rateLimitExample } from "../quickstart/rate-limit-example";

const config = new pulumi.Config();

const rateLimit = new PluginMetadata("rate-limit-example", rateLimitExample());

const ordersLimit = new PluginInstance("orders-rate-limit", {
  plugin: rateLimit.definition,
  service: "orders",
  // The orders Service lives in "shop": its KongPlugin must too, where the controller looks it up.
  namespace: "shop",
  config: { limit: 100, period: "minute" },
});

const knep = new KnepDeployment("knep", {
  image: config.require("knepImage"),
  // The stack serves the Admin API to KNEP's pods only, over TLS: its `<name>-admin` Service on
  // 8444, behind a NetworkPolicy (plaintext 8001 stays on Kong's loopback).
  kongAdminUrl: "https://kong-admin.kong.svc:8444",
  targetType: KnepTargetType.Http,
  http: { url: "https://events.example.com/kong" },
});

const kong = new KubernetesStack("kong", {
  delivery: KubernetesDelivery.ConfigMap,
  configuration: KongConfiguration.Controller,
  plugins: [rateLimit.definition],
  instances: [ordersLimit.definition],
  services: [{ name: "orders", url: "http://orders.shop.svc:8080" }],
  knep: knep.definition,
});

// Put this on the Kubernetes Service (or HTTPRoute) of the orders API, in namespace "shop".
export const ordersAnnotations = ordersLimit.annotations;
export const manifests = kong.yaml;
