import {
  type AnalysisMetric,
  CancelledError,
  type Measurement,
  type MetricProvider,
  ProviderError,
  type ValidationIssue,
} from '@gradual/core';
import { proxyRequestsMetric } from './create-proxy-metrics.js';
import { parsePrometheusText } from './parse-prometheus-text.js';

/** `metric.provider.localProxy` of an AnalysisTemplate. */
export interface LocalProxyMetric {
  /** The proxy's metrics endpoint, e.g. `http://127.0.0.1:8080/metrics`. */
  address: string;
  /** Value of the `destination_service` label to measure, e.g. `{{args.service-name}}`. */
  service: string;
}

const providerType = 'localProxy';

/**
 * A MetricProvider (the worked example of docs/writing-a-metric-provider.md)
 * that scrapes the demo proxy's `/metrics` itself, so the demo needs no
 * Prometheus. Its value is what the seed's query computes: the success rate
 * (answers that are not 5xx over all answers) of one service, over the
 * interval since this provider last measured it, as a one-element vector
 * `[0.97]`; `[]` when the service answered nothing in that interval, so the
 * seed's condition `len(result) == 0 || result[0] >= 0.95` applies unchanged.
 */
export function createProxyMetricProvider(): MetricProvider {
  // Counter values at the previous measurement, per metric and service: the start of the next interval.
  const previous = new Map<string, { total: number; failed: number }>();

  const read = (metric: AnalysisMetric): LocalProxyMetric => {
    const block = metric.provider[providerType] as Partial<LocalProxyMetric> | undefined;
    if (!block || typeof block.address !== 'string' || typeof block.service !== 'string') {
      throw new ProviderError(providerType, `metric "${metric.name}": provider.${providerType} needs address and service`);
    }
    return { address: block.address, service: block.service };
  };

  return {
    specificationVersion: 'v1',
    type: providerType,
    validate(metric): ValidationIssue[] {
      const block = metric.provider[providerType] as Record<string, unknown> | undefined;
      const issues: ValidationIssue[] = [];
      for (const field of ['address', 'service']) {
        if (typeof block?.[field] !== 'string' || block[field] === '') {
          issues.push({ path: `provider.${providerType}.${field}`, message: 'is required (a string)' });
        }
      }
      return issues;
    },
    async measure(metric, call): Promise<Measurement> {
      const { address, service } = read(metric);
      let text: string;
      try {
        const response = await fetch(address, { signal: call.signal });
        text = await response.text();
        if (!response.ok)
          throw new ProviderError(providerType, `GET ${address} answered ${response.status}: ${text.slice(0, 200)}`);
      } catch (error) {
        if (call.signal.aborted) throw new CancelledError(`measurement of "${metric.name}"`, call.signal.reason);
        if (ProviderError.isInstance(error)) throw error;
        throw new ProviderError(
          providerType,
          `GET ${address} failed: ${error instanceof Error ? error.message : String(error)}`,
          {
            cause: error,
          },
        );
      }
      let total = 0;
      let failed = 0;
      try {
        for (const sample of parsePrometheusText(text)) {
          if (sample.name !== proxyRequestsMetric || sample.labels.destination_service !== service) continue;
          total += sample.value;
          if (sample.labels.response_code?.startsWith('5')) failed += sample.value;
        }
      } catch (error) {
        throw new ProviderError(providerType, `GET ${address}: ${error instanceof Error ? error.message : String(error)}`, {
          cause: error,
        });
      }
      const key = `${metric.name}\u0000${service}`;
      const before = previous.get(key) ?? { total: 0, failed: 0 };
      previous.set(key, { total, failed });
      // A counter that went down was reset (the proxy restarted): count from zero, as PromQL's rate() does.
      const reset = total < before.total;
      const requests = reset ? total : total - before.total;
      const failures = reset ? failed : failed - before.failed;
      const metadata = { service, requests: String(requests), failures: String(failures) };
      if (requests === 0) return { value: [], display: '[]', metadata };
      const rate = (requests - failures) / requests;
      return { value: [rate], display: `[${rate.toFixed(3)}]`, metadata };
    },
  };
}
