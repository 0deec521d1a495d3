type Json = Record<string, unknown>;

/** Where the adapted template measures. */
export type MetricsSource =
  /** The example's own provider reads the proxy's `/metrics` (no Prometheus needed). */
  | { kind: 'localProxy'; metricsUrl: string }
  /** `@gradual/prometheus` queries a real Prometheus that scrapes the proxy. */
  | { kind: 'prometheus'; address: string };

/**
 * The seed's query, with Istio's metric mapped to the proxy's:
 *
 * | seed (Istio's Envoy sidecars)              | demo proxy                                    |
 * |--------------------------------------------|-----------------------------------------------|
 * | `istio_requests_total`                     | `demo_proxy_requests_total`                   |
 * | `reporter="source"` (count at the caller)  | dropped: the proxy is the only reporter       |
 * | `destination_service` (the Service's FQDN) | `destination_service`, same values: the proxy |
 * |                                            | labels v2 `rollouts-demo-canary.canary.svc…`  |
 * | `response_code`                            | `response_code`                               |
 *
 * so `{{args.service-name}}` from the Rollout's analysis args selects v2.
 * The `[30s]` window stays: `irate` uses the last two scrapes in it.
 */
export const proxySuccessRateQuery = `sum(irate(
  demo_proxy_requests_total{destination_service=~"{{args.service-name}}",response_code!~"5.*"}[30s]
)) /
sum(irate(
  demo_proxy_requests_total{destination_service=~"{{args.service-name}}"}[30s]
))`;

/**
 * A copy of the seed's `success-rate` AnalysisTemplate measuring the proxy:
 * name, args, interval, successCondition and failureLimit are the seed's;
 * only each metric's `provider` block changes, because the seed's points at
 * an in-cluster Prometheus (with credentials) over Istio's metrics.
 */
export function adaptTemplate(template: Json, source: MetricsSource): Json {
  const copy = structuredClone(template);
  for (const metric of ((copy.spec as Json | undefined)?.metrics as Json[] | undefined) ?? []) {
    metric.provider =
      source.kind === 'localProxy'
        ? {
            localProxy: {
              address: source.metricsUrl,
              service: '{{args.service-name}}',
              window: String(metric.interval ?? '10s'),
            },
          }
        : { prometheus: { address: source.address, query: proxySuccessRateQuery } };
  }
  return copy;
}
