import { describeMetricProviderConformance } from '@gradual/core/conformance';
import { afterAll, describe, it } from 'vitest';
import { createPrometheusProvider } from '../src/index.js';
import { anchorNow, knownSeries, prometheusMetric } from './support/known-series.js';
import { prometheusSkipNote, skipWithoutPrometheus } from './support/prometheus-availability.js';
import { type PrometheusServer, startPrometheus } from './support/prometheus-server.js';
import { type SilentServer, startSilentServer } from './support/silent-server.js';

// One TLS + basic-auth Prometheus and one silent server for the whole suite, started on first use.
let servers: Promise<{ prometheus: PrometheusServer; silent: SilentServer }> | undefined;
const started = () => {
  servers ??= (async () => ({
    prometheus: await startPrometheus({
      openMetrics: knownSeries(anchorNow(Date.now())),
      tls: true,
      basicAuthUsers: ['internal'],
    }),
    silent: await startSilentServer(),
  }))();
  return servers;
};
afterAll(async () => {
  if (!servers) return;
  const { prometheus, silent } = await servers;
  await silent.close();
  await prometheus.stop();
});

if (skipWithoutPrometheus)
  describe.skip(`MetricProvider conformance: prometheus${prometheusSkipNote}`, () => it.skip('needs prometheus'));
else
  describeMetricProviderConformance({
    name: 'prometheus (real server, TLS, credentials in the address)',
    create: async () => {
      const { prometheus, silent } = await started();
      const host = prometheus.address.replace('https://', '');
      const provider = createPrometheusProvider({ tls: { ca: prometheus.certPem as string }, env: {} });
      return {
        provider,
        fixtures: {
          // Gauges: visible at the wall clock's now for five minutes after the data was made.
          ok: prometheusMetric({ address: `https://internal:secret@${host}`, query: 'sort(gradual_test_gauge)' }),
          broken: prometheusMetric({ address: `https://internal:wr0ng-pa55@${host}`, query: 'sort(gradual_test_gauge)' }),
          slow: prometheusMetric({ address: silent.address, query: 'up', timeout: 20 }),
        },
        secrets: ['wr0ng-pa55', 'internal:wr0ng-pa55', Buffer.from('internal:wr0ng-pa55').toString('base64')],
        cleanup: async () => provider.close(),
      };
    },
  });
