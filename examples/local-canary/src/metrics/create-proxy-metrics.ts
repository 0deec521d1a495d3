import { Counter, Registry } from 'prom-client';

/** The metric the proxy exposes on `/metrics`; the analysis templates query it. */
export const proxyRequestsMetric = 'demo_proxy_requests_total';

/** Labels of {@link proxyRequestsMetric}, named as Istio names them on `istio_requests_total`. */
export type ProxyRequestLabels = 'destination_service' | 'destination_version' | 'response_code' | 'route';

export interface ProxyMetrics {
  readonly registry: Registry;
  readonly requests: Counter<ProxyRequestLabels>;
}

/**
 * A private registry (not prom-client's global one, so two proxies in one
 * process never share counters) with one counter of answered requests by
 * destination, version, status code and route (`weighted`,
 * `header:<name>`, `mirror:<name>`).
 */
export function createProxyMetrics(): ProxyMetrics {
  const registry = new Registry();
  const requests = new Counter<ProxyRequestLabels>({
    name: proxyRequestsMetric,
    help: 'Requests the demo proxy forwarded, by destination, version, response code and route',
    labelNames: ['destination_service', 'destination_version', 'response_code', 'route'],
    registers: [registry],
  });
  return { registry, requests };
}
