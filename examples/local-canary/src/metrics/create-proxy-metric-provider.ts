import {
  type AnalysisMetric,
  CancelledError,
  type Measurement,
  type MetricProvider,
  ProviderError,
  parseDuration,
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
  /** How far back the success rate looks, a Go duration such as `10s` (PromQL's `[10s]`). */
  window: string;
}

interface Scrape {
  at: number;
  total: number;
  failed: number;
}

// Scrapes kept per service; far more than a window needs at any sane interval.
const maxHistory = 1000;

const providerType = 'localProxy';

/**
 * A MetricProvider (the worked example of docs/writing-a-metric-provider.md)
 * that scrapes the demo proxy's `/metrics` itself, so the demo needs no
 * Prometheus. Its value is what the seed's query computes: the success rate
 * (answers that are not 5xx over all answers) of one service over the last
 * `window`, as a one-element vector `[0.97]`; `[]` when the service answered
 * nothing in that window, so the seed's condition
 * `len(result) == 0 || result[0] >= 0.95` applies unchanged.
 *
 * Like PromQL's `increase(x[window])`, it needs two scrapes: it remembers
 * the counters of each scrape (timestamped on the injected clock) and
 * compares with the newest one at least `window` old, or the oldest it has.
 * Calls at the same moment therefore agree, whatever order they finish in.
 */
export function createProxyMetricProvider(): MetricProvider {
  const history = new Map<string, Scrape[]>();

  const read = (metric: AnalysisMetric): LocalProxyMetric => {
    const block = metric.provider[providerType] as Partial<LocalProxyMetric> | undefined;
    if (!block || typeof block.address !== 'string' || typeof block.service !== 'string' || typeof block.window !== 'string') {
      throw new ProviderError(
        providerType,
        `metric "${metric.name}": provider.${providerType} needs address, service and window`,
      );
    }
    return { address: block.address, service: block.service, window: block.window };
  };

  return {
    specificationVersion: 'v1',
    type: providerType,
    validate(metric): ValidationIssue[] {
      const block = metric.provider[providerType] as Record<string, unknown> | undefined;
      const issues: ValidationIssue[] = [];
      for (const field of ['address', 'service', 'window']) {
        if (typeof block?.[field] !== 'string' || block[field] === '') {
          issues.push({ path: `provider.${providerType}.${field}`, message: 'is required (a string)' });
        }
      }
      if (typeof block?.window === 'string') {
        try {
          parseDuration(block.window);
        } catch (error) {
          issues.push({
            path: `provider.${providerType}.window`,
            message: error instanceof Error ? error.message : String(error),
          });
        }
      }
      return issues;
    },
    async measure(metric, call): Promise<Measurement> {
      const { address, service, window } = read(metric);
      const windowMs = parseDuration(window);
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
      const now = call.clock.now();
      const scrapes = history.get(service) ?? [];
      history.set(service, scrapes);
      const baseline = scrapes.filter((scrape) => scrape.at <= now - windowMs).at(-1) ?? scrapes[0] ?? { at: now, total, failed };
      scrapes.push({ at: now, total, failed });
      scrapes.sort((a, b) => a.at - b.at);
      // Older scrapes than the newest one a window back are never a baseline again.
      const keepFrom = scrapes.findLastIndex((scrape) => scrape.at <= now - windowMs);
      if (keepFrom > 0) scrapes.splice(0, keepFrom);
      if (scrapes.length > maxHistory) scrapes.splice(0, scrapes.length - maxHistory);
      // A counter that went down was reset (the proxy restarted): count from zero, as PromQL's increase() does.
      const reset = total < baseline.total;
      const requests = reset ? total : total - baseline.total;
      const failures = reset ? failed : failed - baseline.failed;
      const metadata = { service, window, requests: String(requests), failures: String(failures) };
      if (requests === 0) return { value: [], display: '[]', metadata };
      const rate = (requests - failures) / requests;
      return { value: [rate], display: `[${rate.toFixed(3)}]`, metadata };
    },
  };
}
