import { readFileSync } from 'node:fs';
import type { AnalysisMetric, CallOptions } from '@gradual/core';
import { describeMetricProviderConformance } from '@gradual/core/conformance';
import { type CanaryConfig, createKayentaProvider, type SeriesRequest } from '../src/index.js';

const cpuConfig = JSON.parse(
  readFileSync(new URL('./fixtures/kayenta/integration-test-cpu.json', import.meta.url), 'utf8'),
) as CanaryConfig;

const metric = (name: string, canaryConfigName: string, scope = 'canary'): AnalysisMetric => ({
  name,
  provider: {
    kayenta: {
      application: 'guestbook',
      canaryConfigName,
      threshold: { pass: 75, marginal: 50 },
      scopes: [
        {
          name: 'default',
          controlScope: {
            scope: 'stable',
            step: 60,
            start: '2026-03-01T11:00:00Z',
            end: '2026-03-01T12:00:00Z',
            extendedScopeParams: { namespace: 'prod' },
          },
          experimentScope: {
            scope,
            step: 60,
            start: '2026-03-01T11:00:00Z',
            end: '2026-03-01T12:00:00Z',
            extendedScopeParams: { namespace: 'prod' },
          },
        },
      ],
    },
  },
});

// The series come from an in-memory source that behaves like a metric store: it answers at once,
// fails for an unknown scope, and never answers for the "slow" scope until the call is cancelled.
async function fetchSeries(request: SeriesRequest, options: CallOptions): Promise<number[]> {
  if (request.scope.scope === 'slow')
    return new Promise((_, reject) =>
      options.signal.addEventListener('abort', () => reject(options.signal.reason), { once: true }),
    );
  if (request.scope.scope === 'broken') throw new Error('the metric store answered 500');
  return Array.from({ length: 60 }, (_, i) => 40 + (i % 5));
}

describeMetricProviderConformance({
  name: 'kayenta (in-process judge)',
  create: async () => ({
    provider: createKayentaProvider({ configs: { cpu: cpuConfig }, fetchSeries }),
    fixtures: {
      ok: metric('ok', 'cpu'),
      broken: metric('broken', 'cpu', 'broken'),
      slow: metric('slow', 'cpu', 'slow'),
    },
  }),
});
