import type { AnalysisMetric, JsonValue } from '@gradual/core';
import { openMetrics } from './open-metrics.js';

/** Services in the known data set, as Istio names them in `destination_service`. */
export const SERVICES = {
  /** 200s at 9.9/s, 500s at 0.1/s: success rate 0.99. */
  healthy: 'healthy.default.svc.cluster.local',
  /** 200s at 9.9/s, 500s at 1/s: success rate 9.9 / 10.9 ≈ 0.908. */
  failing: 'failing.default.svc.cluster.local',
  /** Has no series at all. */
  absent: 'absent.default.svc.cluster.local',
} as const;

/** The seed's query (analysistemplate-success-rate.yaml), verbatim, `{{args.service-name}}` substituted. */
export function seedSuccessRateQuery(serviceName: string): string {
  return `sum(irate(
  istio_requests_total{reporter="source",destination_service=~"${serviceName}",response_code!~"5.*"}[30s]
)) /
sum(irate(
  istio_requests_total{reporter="source",destination_service=~"${serviceName}"}[30s]
))
`;
}

/**
 * Ten minutes of samples every 10 s ending at `anchor` (epoch seconds):
 * Istio request counters for the services above, and two gauges
 * `gradual_test_gauge{instance="a"|"b"}` with values 1 and 2.
 */
export function knownSeries(anchor: number): string {
  const istio = (service: string, code: string, perSecond: number) => ({
    name: 'istio_requests_total',
    labels: { reporter: 'source', destination_service: service, response_code: code },
    perSecond,
  });
  return openMetrics({
    from: anchor - 600,
    to: anchor,
    stepSeconds: 10,
    counters: [
      istio(SERVICES.healthy, '200', 9.9),
      istio(SERVICES.healthy, '500', 0.1),
      istio(SERVICES.failing, '200', 9.9),
      istio(SERVICES.failing, '500', 1),
    ],
    gauges: [
      { name: 'gradual_test_gauge', labels: { instance: 'a' }, value: '1' },
      { name: 'gradual_test_gauge', labels: { instance: 'b' }, value: '2' },
    ],
  });
}

/** A metric whose provider is `prometheus` with these fields. */
export function prometheusMetric(prometheus: Record<string, JsonValue>, name = 'test-metric'): AnalysisMetric {
  return { name, provider: { prometheus } };
}

/**
 * Where the known data ends (epoch seconds) for tests that evaluate on a fake
 * clock: a fixed instant, so that results never depend on when the tests run.
 */
export const FIXED_ANCHOR = Date.UTC(2026, 0, 15, 12, 0, 0) / 1000;

/** A whole number of seconds, on a 10 s boundary, a little before now: for code that reads the wall clock. */
export function anchorNow(wallMs: number): number {
  return Math.floor(wallMs / 10_000) * 10;
}
