import { type AnalysisRunRequest, type AnalysisRunState, parseRollout, type RolloutStatus, reconcile } from '@gradual/core';
import { deepFreeze } from '@gradual/core/adapter';
import { createFakeClock, createMemoryRouter, createScriptedProvider } from '@gradual/core/testing';
import { describe, expect, it } from 'vitest';
import { createAnalysisRunner, resultOf } from '../src/index.js';

// Two metrics measured at different intervals: when the fast one fails, the run terminates and the slow one,
// not measured in that reconcile, is reassessed (open-ended, it ends Successful). Its result is shared with
// the state passed in; the reassessment must not change that state, which the host still holds.
const template = `
apiVersion: argoproj.io/v1alpha1
kind: AnalysisTemplate
metadata: { name: two-speeds }
spec:
  metrics:
    - name: fast
      interval: 10s
      failureLimit: 0
      successCondition: result[0] >= 0.95
      provider: { prometheus: { address: http://prometheus:9090, query: fast } }
    - name: slow
      interval: 60s
      successCondition: result[0] >= 0.95
      provider: { prometheus: { address: http://prometheus:9090, query: slow } }
`;
const T0 = Date.parse('2026-01-01T00:00:00.000Z');
const request: AnalysisRunRequest = {
  name: 'two-speeds-1',
  kind: 'background',
  templates: [{ templateName: 'two-speeds' }],
  args: [],
};

/** A runner over the two-speed template whose provider answers `value(metric name, ms since T0)`. */
function twoSpeedRunner(value: (metric: string, elapsed: number) => number) {
  const clock = createFakeClock({ start: T0 });
  const provider = createScriptedProvider({
    type: 'prometheus',
    script: (metric) => ({ value: [value(metric.name, clock.now() - T0)] }),
  });
  const runner = createAnalysisRunner({ templates: [template], providers: [provider] });
  return { clock, runner, options: () => ({ signal: new AbortController().signal, clock }) };
}

describe('reconciling a run state', () => {
  it('leaves the state passed in as it was when a metric it did not measure is reassessed', async () => {
    const { clock, runner, options } = twoSpeedRunner((metric, elapsed) => (metric === 'fast' && elapsed >= 10_000 ? 0.5 : 0.99));
    const first = await runner.reconcile(await runner.start(request, options()), options());
    expect(resultOf(first).metricResults.map((result) => [result.name, result.phase])).toEqual([
      ['fast', 'Running'],
      ['slow', 'Running'],
    ]);
    const before = JSON.stringify(first);
    await clock.advance(10_000);
    const second = await runner.reconcile(first, options());
    expect(second.phase).toBe('Failed');
    expect(resultOf(second).metricResults.map((result) => [result.name, result.phase, result.count])).toEqual([
      ['fast', 'Failed', 2],
      ['slow', 'Successful', 1],
    ]);
    expect(JSON.stringify(first)).toBe(before);
  });

  it('leaves the state passed in as it was when the run is terminated', async () => {
    const { runner, options } = twoSpeedRunner(() => 0.99);
    const first: AnalysisRunState = await runner.reconcile(await runner.start(request, options()), options());
    const before = JSON.stringify(first);
    const terminated = await runner.terminate(first, options());
    expect(resultOf(terminated).metricResults.map((result) => result.phase)).toEqual(['Successful', 'Successful']);
    expect(JSON.stringify(first)).toBe(before);
  });
});

const rollout = `
apiVersion: argoproj.io/v1alpha1
kind: Rollout
metadata: { name: checkout }
spec:
  replicas: 2
  selector: { matchLabels: { app: checkout } }
  template:
    metadata: { labels: { app: checkout } }
    spec: { containers: [{ name: checkout, image: checkout:2 }] }
  strategy:
    canary:
      analysis: { templates: [{ templateName: two-speeds }] }
      steps: [{ setWeight: 20 }, { pause: { duration: 30s } }, { setWeight: 50 }, { pause: { duration: 30s } }]
`;

describe('reconcile with analysis', () => {
  it('never changes a status it is given, up to the abort (each one deeply frozen)', async () => {
    const clock = createFakeClock({ start: T0 });
    const provider = createScriptedProvider({
      type: 'prometheus',
      script: (metric) => ({ value: [metric.name === 'fast' && clock.now() >= T0 + 20_000 ? 0.5 : 0.99] }),
    });
    const analysis = createAnalysisRunner({ templates: [template], providers: [provider] });
    const spec = parseRollout(rollout);
    const router = createMemoryRouter();
    let status: RolloutStatus | undefined;
    for (let i = 0; i < 20 && !status?.abort; i++) {
      const result = await reconcile({ spec, router, analysis, clock, stableRevision: 'stable', ...(status ? { status } : {}) });
      status = deepFreeze(result.status);
      await clock.advance(result.requeueAfterMs ?? 10_000);
    }
    expect(status?.abort).toBe(true);
    expect(status?.abortMessage).toContain('Metric "fast" assessed Failed');
    expect(router.current?.canaryWeight).toBe(0);
  });
});
