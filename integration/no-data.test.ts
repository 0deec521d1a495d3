// Issue #12's must-show: a metric whose query returns nothing is visibly "no data" in the status and
// the events, and a metric whose policy says no data fails, fails. A real Prometheus answers the
// talk's query for a service that has no series (a typo in a label looks exactly like this).
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createAnalysisRunner, parseAnalysisTemplate } from '@gradual/analysis';
import { createRollout, parseRollout, type RolloutEvent, type RolloutStatus } from '@gradual/core';
import { createFakeClock, createMemoryRouter } from '@gradual/core/testing';
import { createPrometheusProvider } from '@gradual/prometheus';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FIXED_ANCHOR, knownSeries } from '../packages/prometheus/test/support/known-series.js';
import { prometheusSkipNote, skipWithoutPrometheus } from '../packages/prometheus/test/support/prometheus-availability.js';
import { type PrometheusServer, startPrometheus } from '../packages/prometheus/test/support/prometheus-server.js';

const manifest = (name: string) => readFileSync(fileURLToPath(new URL(`../examples/manifests/${name}`, import.meta.url)), 'utf8');

describe.skipIf(skipWithoutPrometheus)(`no data from a real Prometheus${prometheusSkipNote}`, () => {
  let server: PrometheusServer;
  beforeAll(async () => {
    server = await startPrometheus({ openMetrics: knownSeries(FIXED_ANCHOR) });
  });
  afterAll(async () => {
    await server?.stop();
  });

  /** The talk's rollout and template, pointed at the test server; the rollout's service has no series there. */
  function setup(noData?: string) {
    const template = parseAnalysisTemplate(manifest('analysistemplate-success-rate.yaml'));
    const metric = template.spec.metrics[0] as unknown as Record<string, unknown> & {
      provider: { prometheus: { address: string } };
    };
    metric.provider.prometheus.address = server.address;
    if (noData) metric['noData'] = noData;
    const provider = createPrometheusProvider({ env: {} });
    const clock = createFakeClock({ auto: true, start: FIXED_ANCHOR * 1000 });
    const analysis = createAnalysisRunner({ templates: [template], providers: [provider] });
    const events: RolloutEvent[] = [];
    const statuses: RolloutStatus[] = [];
    const rollout = createRollout({
      spec: parseRollout(manifest('rollout-analysis.yaml')),
      router: createMemoryRouter(),
      analysis,
      clock,
      stableRevision: 'stable-rev',
      onProgress: ({ status }) => statuses.push(structuredClone(status)),
    });
    rollout.on((event) => events.push(event));
    return { rollout, events, statuses, provider };
  }

  it('without a policy the run passes as in Argo, and the status and the completion event say "no data"', async () => {
    const { rollout, events, statuses, provider } = setup();
    const result = await rollout.run();
    provider.close();
    expect(result.outcome).toBe('Promoted');
    // While it runs: the measurement, the metric and the run in the rollout's status say so.
    const running = statuses.flatMap((s) => s.analysisRuns).find((r) => r.state.phase === 'Running' && r.state.message);
    expect(running?.state.message).toMatch(
      /^no data for metric "success-rate" \(query sum\(irate\( istio_requests_total\{reporter="source",destination_service=~"rollouts-demo-canary\.canary\.svc\.cluster\.local".*\) in 1 of 1 measurements$/,
    );
    const data = running?.state.data as {
      metricResults: { noData?: { count: number }; measurements: { value: string; noData?: string }[] }[];
    };
    expect(data.metricResults[0]?.measurements[0]).toMatchObject({
      value: '[]',
      noData: expect.stringMatching(/^no data for metric "success-rate"/),
    });
    // When it ends: the engine's AnalysisRunCompleted event carries the run's message.
    const completed = events.find((e) => e.reason === 'AnalysisRunCompleted');
    expect(completed?.message).toMatch(
      /completed Successful: Run Terminated; no data for metric "success-rate" \(query .*\) in 6 of 6 measurements$/,
    );
  });

  it('with noData: Fail the metric fails on its third empty measurement and the rollout aborts, saying why', async () => {
    const { rollout, events, provider } = setup('Fail');
    const result = await rollout.run();
    provider.close();
    expect(result.outcome).toBe('Aborted');
    expect(result.status.abortMessage).toMatch(
      /^Background analysis phase failed: Metric "success-rate" assessed Failed due to failed \(3\) > failureLimit \(2\): "Error Message: no data for metric "success-rate" \(query .*\); noData: Fail"$/,
    );
    const completed = events.find((e) => e.reason === 'AnalysisRunCompleted');
    expect(completed).toMatchObject({
      type: 'Warning',
      message: expect.stringContaining('no data for metric "success-rate" (query '),
    });
  });
});
