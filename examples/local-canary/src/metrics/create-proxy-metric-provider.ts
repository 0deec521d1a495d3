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

// Scrapes kept per history; far more than a window needs at any sane interval.
const maxHistory = 1000;
// How long the first call of a history waits between its two scrapes (at most the window).
const firstMeasurementSpanMs = 1000;

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
 * the counters of each scrape (timestamped on the injected clock), one
 * history per address, service and window, and compares with the newest
 * scrape at least `window` old, or the oldest it has. Calls at the same
 * moment therefore agree, whatever order they finish in. The first call of a
 * history has nothing to compare with: it scrapes, waits on the clock for
 * `min(window, 1 s)` and scrapes again, so that its value is a real
 * measurement (`metadata.spanMs` says how long a stretch it covers).
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
      let windowMs: number;
      try {
        windowMs = parseDuration(window);
      } catch (error) {
        throw new ProviderError(
          providerType,
          `metric "${metric.name}": provider.${providerType}.window: ${error instanceof Error ? error.message : String(error)}`,
          { cause: error },
        );
      }
      // One history per address, service and window: a 10 s metric trimming it must not shorten a 60 s one's.
      const key = `${address}|${service}|${windowMs}`;
      const scrapes = history.get(key) ?? [];
      history.set(key, scrapes);
      const record = (scrape: Scrape) => {
        scrapes.push(scrape);
        scrapes.sort((a, b) => a.at - b.at);
      };
      if (scrapes.length === 0) {
        // Nothing to compare with yet: take the baseline now and wait a little, so that the first
        // measurement is a real one rather than `[]`, which the seed's condition counts as a success.
        record({ at: call.clock.now(), ...(await scrape(metric.name, address, service, call.signal)) });
        await call.clock.sleep(Math.min(windowMs, firstMeasurementSpanMs), call.signal);
      }
      const counts = await scrape(metric.name, address, service, call.signal);
      const now = call.clock.now();
      const current: Scrape = { at: now, ...counts };
      const baseline = scrapes.filter((s) => s.at <= now - windowMs).at(-1) ?? scrapes[0] ?? current;
      record(current);
      // Older scrapes than the newest one a window back are never a baseline again.
      const keepFrom = scrapes.findLastIndex((s) => s.at <= now - windowMs);
      if (keepFrom > 0) scrapes.splice(0, keepFrom);
      if (scrapes.length > maxHistory) scrapes.splice(0, scrapes.length - maxHistory);
      // A counter that went down was reset (the proxy restarted): count from zero, as PromQL's increase() does.
      const reset = current.total < baseline.total;
      const requests = reset ? current.total : current.total - baseline.total;
      const failures = reset ? current.failed : current.failed - baseline.failed;
      // `spanMs` is the stretch of time really measured: shorter than the window while the history is young.
      const metadata = {
        service,
        window,
        spanMs: String(now - baseline.at),
        requests: String(requests),
        failures: String(failures),
      };
      if (requests === 0) return { value: [], display: '[]', metadata };
      const rate = (requests - failures) / requests;
      return { value: [rate], display: `[${rate.toFixed(3)}]`, metadata };
    },
  };
}

// The counters of one service on the proxy's `/metrics`: all answers, and the 5xx ones.
async function scrape(
  metricName: string,
  address: string,
  service: string,
  signal: AbortSignal,
): Promise<{ total: number; failed: number }> {
  let text: string;
  try {
    const response = await fetch(address, { signal });
    text = await response.text();
    if (!response.ok) throw new ProviderError(providerType, `GET ${address} answered ${response.status}: ${text.slice(0, 200)}`);
  } catch (error) {
    if (signal.aborted) throw new CancelledError(`measurement of "${metricName}"`, signal.reason);
    if (ProviderError.isInstance(error)) throw error;
    throw new ProviderError(providerType, `GET ${address} failed: ${error instanceof Error ? error.message : String(error)}`, {
      cause: error,
    });
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
  return { total, failed };
}
