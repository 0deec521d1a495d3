import { readFileSync } from 'node:fs';
import { createKayentaProvider, runAnalysis } from '@gradual/analysis';
import { createFakeClock } from '@gradual/core/testing';
import { createPrometheusProvider } from '@gradual/prometheus';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { prometheusSkipNote, skipWithoutPrometheus } from '../packages/prometheus/test/support/prometheus-availability.js';
import { type PrometheusServer, startPrometheus } from '../packages/prometheus/test/support/prometheus-server.js';

// Kayenta's Prometheus integration tests (spinnaker/kayenta@a69573be, kayenta-integration-tests:
// application-cases.yml, PrometheusStandaloneCanaryAnalysisTest) rerun in-process: the same canary
// configs, the same gauges (uniform in the same bounds, one point a second for a minute, labelled
// with namespace and scope), a real Prometheus, and Argo's provider.kayenta block.
const config = (name: string) =>
  readFileSync(new URL(`../packages/analysis/test/fixtures/kayenta/${name}.json`, import.meta.url), 'utf8');
const END = Date.parse('2026-03-01T12:00:00Z') / 1000;
const POINTS = 60;

interface Gauge {
  name: string;
  namespace: string;
  scope: string;
  low: number;
  high: number;
}

const cases = {
  successful: { namespace: 'prod-namespace-1', control: 'myapp-prod-control-1', experiment: 'myapp-prod-canary-1' },
  marginal: { namespace: 'prod-namespace-2', control: 'myapp-prod-control-2', experiment: 'myapp-prod-canary-2' },
  muted: { namespace: 'prod-namespace-3', control: 'myapp-prod-control-3', experiment: 'myapp-prod-canary-3' },
};
const gauges: Gauge[] = [
  { name: 'integration_test_cpu', namespace: cases.successful.namespace, scope: cases.successful.control, low: 40, high: 45 },
  { name: 'integration_test_cpu', namespace: cases.successful.namespace, scope: cases.successful.experiment, low: 39, high: 46 },
  { name: 'integration_test_cpu', namespace: cases.marginal.namespace, scope: cases.marginal.control, low: 10, high: 20 },
  { name: 'integration_test_cpu', namespace: cases.marginal.namespace, scope: cases.marginal.experiment, low: 20, high: 23 },
  { name: 'integration_failing_metric', namespace: cases.muted.namespace, scope: cases.muted.control, low: 40, high: 45 },
  { name: 'integration_failing_metric', namespace: cases.muted.namespace, scope: cases.muted.experiment, low: 1000, high: 1000 },
  { name: 'integration_successful_metric', namespace: cases.muted.namespace, scope: cases.muted.control, low: 40, high: 45 },
  { name: 'integration_successful_metric', namespace: cases.muted.namespace, scope: cases.muted.experiment, low: 40, high: 45 },
];

/** OpenMetrics text for promtool: every gauge, one reproducible pseudo-random point a second. */
function openMetrics(): string {
  const lines: string[] = [];
  let state = 12345;
  const next = () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
  for (const name of new Set(gauges.map((gauge) => gauge.name))) {
    lines.push(`# TYPE ${name} gauge`);
    for (const gauge of gauges.filter((candidate) => candidate.name === name))
      for (let i = POINTS - 1; i >= 0; i--)
        lines.push(
          `${name}{namespace="${gauge.namespace}",scope="${gauge.scope}"} ${gauge.low + (gauge.high - gauge.low) * next()} ${END - i}`,
        );
  }
  return `${lines.join('\n')}\n# EOF\n`;
}

/** The AnalysisTemplate of Argo's kayenta docs, with the window of the data and the namespace as a scope parameter. */
const template = (canaryConfigName: string) => `
apiVersion: argoproj.io/v1alpha1
kind: AnalysisTemplate
metadata:
  name: kayenta-in-process
spec:
  args:
  - name: namespace
  - name: stable-scope
  - name: canary-scope
  metrics:
  - name: mann-whitney
    provider:
      kayenta:
        address: https://kayenta.example.com
        application: myapp
        canaryConfigName: ${canaryConfigName}
        threshold:
          pass: 75
          marginal: 50
        scopes:
        - name: default
          controlScope:
            scope: "{{args.stable-scope}}"
            step: 1
            start: "${new Date((END - POINTS + 1) * 1000).toISOString()}"
            end: "${new Date(END * 1000).toISOString()}"
            extendedScopeParams: { namespace: "{{args.namespace}}" }
          experimentScope:
            scope: "{{args.canary-scope}}"
            step: 1
            start: "${new Date((END - POINTS + 1) * 1000).toISOString()}"
            end: "${new Date(END * 1000).toISOString()}"
            extendedScopeParams: { namespace: "{{args.namespace}}" }
`;

describe.skipIf(skipWithoutPrometheus)(
  `Kayenta's Prometheus integration cases, judged in-process against a real Prometheus${prometheusSkipNote}`,
  () => {
    let server: PrometheusServer;
    beforeAll(async () => {
      server = await startPrometheus({ openMetrics: openMetrics() });
    });
    afterAll(async () => {
      await server?.stop();
    });

    const analyse = async (canaryConfigName: string, scopes: (typeof cases)[keyof typeof cases]) => {
      const prometheus = createPrometheusProvider({ env: {} });
      const kayenta = createKayentaProvider({
        configs: { 'integration-test-canary-config': config(canaryConfigName) },
        metricProvider: prometheus,
        providerSettings: { address: server.address },
      });
      try {
        return await runAnalysis({
          templates: [template('integration-test-canary-config')],
          args: [
            { name: 'namespace', value: scopes.namespace },
            { name: 'stable-scope', value: scopes.control },
            { name: 'canary-scope', value: scopes.experiment },
          ],
          providers: [kayenta, prometheus],
          clock: createFakeClock({ start: END * 1000 + 60_000 }),
        });
      } finally {
        prometheus.close();
      }
    };

    it('cpu-successful-analysis-case: Pass, score 100 → Successful', async () => {
      const result = await analyse('integration-test-cpu', cases.successful);
      const measurement = result.metricResults[0]?.measurements[0];
      expect(result.phase).toBe('Successful');
      expect(measurement).toMatchObject({ phase: 'Successful', value: '100' });
      expect(measurement?.metadata?.['metric.CPU usage for service']).toMatch(/^Pass; .*baseline n=60 .*canary n=60 /);
      expect(measurement?.metadata?.['query.CPU usage for service']).toBe(
        "control: avg(integration_test_cpu{namespace='prod-namespace-1', scope='myapp-prod-control-1'}) | experiment: avg(integration_test_cpu{namespace='prod-namespace-1', scope='myapp-prod-canary-1'})",
      );
    });

    it('cpu-marginal-analysis-case: critical High, score 0 → Failed', async () => {
      const result = await analyse('integration-test-cpu', cases.marginal);
      expect(result.phase).toBe('Failed');
      const measurement = result.metricResults[0]?.measurements[0];
      expect(measurement).toMatchObject({ phase: 'Failed', value: '0' });
      expect(measurement?.metadata?.['metric.CPU usage for service']).toMatch(/^High \(critical\); canary higher than baseline/);
    });

    it('muted-metric-analysis-case: the muted metric is High, the other Pass → Successful', async () => {
      const result = await analyse('muted-metric', cases.muted);
      expect(result.phase).toBe('Successful');
      const metadata = result.metricResults[0]?.measurements[0]?.metadata;
      expect(metadata?.['metric.Failing metric']).toMatch(/^High \(critical\) \(muted\);/);
      expect(metadata?.['metric.Successful metric']).toMatch(/^Pass;/);
    });

    it('a scope with no series is visibly no data, and the critical metric fails the canary', async () => {
      const result = await analyse('integration-test-cpu', { ...cases.successful, experiment: 'myapp-prod-canary-typo' });
      expect(result.phase).toBe('Failed');
      expect(result.metricResults[0]?.measurements[0]?.metadata?.['metric.CPU usage for service']).toMatch(
        /^Nodata \(critical\); no data for the canary; .*canary n=0 /,
      );
    });
  },
);
