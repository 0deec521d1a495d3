import type { AnalysisMetric, AnalysisPhase } from '@gradual/core';
import { describe, expect, it } from 'vitest';
import { assessMetricStatus } from '../src/run/assess-metric-status.js';
import { assessRunStatus } from '../src/run/assess-run-status.js';
import { metricSettings } from '../src/run/metric-settings.js';
import type { MetricResult } from '../src/run/run-types.js';

const metric = (fields: Partial<AnalysisMetric> = {}): AnalysisMetric => ({ name: 'm', provider: { scripted: {} }, ...fields });

const result = (counters: Partial<MetricResult> & { last?: AnalysisPhase | 'none' } = {}): MetricResult => {
  const { last = 'Successful', ...rest } = counters;
  return {
    name: 'm',
    phase: 'Running',
    count: 0,
    successful: 0,
    failed: 0,
    inconclusive: 0,
    error: 0,
    consecutiveError: 0,
    consecutiveSuccess: 0,
    measurements:
      last === 'none' ? [] : [{ phase: last, startedAt: '2026-01-01T00:00:00.000Z', finishedAt: '2026-01-01T00:00:01.000Z' }],
    ...rest,
  };
};

const interval = '60s';
const same = { failed: 3, successful: 4, consecutiveSuccess: 3, count: 7 };

// reference/argo-rollouts.md §4.4 state-machine vectors (analysis/analysis_test.go), one row each:
// [config, counters, phase when not terminating, phase when terminating, message?]
type Row = [string, Partial<AnalysisMetric>, Parameters<typeof result>[0], AnalysisPhase, AnalysisPhase, string?];
const rows: Row[] = [
  ['default, no measurements', {}, { last: 'none' }, 'Pending', 'Successful'],
  ['default, last measurement Running', {}, { last: 'Running' }, 'Running', 'Running'],
  [
    'failureLimit 2, interval',
    { failureLimit: 2, interval },
    { failed: 3, count: 3, last: 'Failed' },
    'Failed',
    'Failed',
    'failed (3) > failureLimit (2)',
  ],
  ['failureLimit 3, interval', { failureLimit: 3, interval }, { failed: 3, count: 3, last: 'Failed' }, 'Running', 'Successful'],
  [
    'failureLimit -1, CSL 3, interval',
    { failureLimit: -1, consecutiveSuccessLimit: 3, interval },
    same,
    'Successful',
    'Successful',
  ],
  ['failureLimit -1, CSL 5, interval', { failureLimit: -1, consecutiveSuccessLimit: 5, interval }, same, 'Running', 'Successful'],
  [
    'failureLimit -1, CSL 5, count 7',
    { failureLimit: -1, consecutiveSuccessLimit: 5, count: 7, interval },
    same,
    'Failed',
    'Failed',
  ],
  [
    'failureLimit -1, CSL 3, count 9',
    { failureLimit: -1, consecutiveSuccessLimit: 3, count: 9, interval },
    same,
    'Successful',
    'Successful',
  ],
  [
    'FL 4, CSL 4, interval: failed 3, consecSucc 3',
    { failureLimit: 4, consecutiveSuccessLimit: 4, interval },
    { failed: 3, consecutiveSuccess: 3 },
    'Running',
    'Successful',
  ],
  [
    'FL 4, CSL 4, interval: failed 5, consecSucc 0',
    { failureLimit: 4, consecutiveSuccessLimit: 4, interval },
    { failed: 5, consecutiveSuccess: 0, last: 'Failed' },
    'Failed',
    'Failed',
    'failed (5) > failureLimit (4)',
  ],
  [
    'FL 4, CSL 4, interval: failed 3, consecSucc 4',
    { failureLimit: 4, consecutiveSuccessLimit: 4, interval },
    { failed: 3, consecutiveSuccess: 4 },
    'Successful',
    'Successful',
  ],
  [
    'FL 4, CSL 4, interval: failed 5, consecSucc 4',
    { failureLimit: 4, consecutiveSuccessLimit: 4, interval },
    { failed: 5, consecutiveSuccess: 4 },
    'Failed',
    'Failed',
  ],
  [
    'FL 4, CSL 4, count 10: failed 4, succ 6, consecSucc 3',
    { failureLimit: 4, consecutiveSuccessLimit: 4, count: 10, interval },
    { failed: 4, successful: 6, count: 10, consecutiveSuccess: 3 },
    'Inconclusive',
    'Inconclusive',
  ],
  [
    'FL 4, CSL 4, count 10: failed 4, consecSucc 4',
    { failureLimit: 4, consecutiveSuccessLimit: 4, count: 10, interval },
    { failed: 4, count: 10, consecutiveSuccess: 4 },
    'Successful',
    'Successful',
  ],
  [
    'FL 4, CSL 4, count 10: failed 3, count 8, consecSucc 3',
    { failureLimit: 4, consecutiveSuccessLimit: 4, count: 10, interval },
    { failed: 3, count: 8, consecutiveSuccess: 3 },
    'Running',
    'Successful',
  ],
  [
    // Review finding: the #4479 guard made this Failed; Argo's rule 6 (FL and CSL both apply) says Inconclusive.
    'FL 4, CSL 4, IL 6, count 10: failed 4, inconclusive 6, successful 0',
    { failureLimit: 4, consecutiveSuccessLimit: 4, inconclusiveLimit: 6, count: 10, interval },
    { failed: 4, inconclusive: 6, count: 10, last: 'Inconclusive' },
    'Inconclusive',
    'Inconclusive',
  ],
  [
    'failureLimit -1, CSL 2, count 3: failed 0, inconclusive 3 (IL 3), successful 0',
    { failureLimit: -1, consecutiveSuccessLimit: 2, inconclusiveLimit: 3, count: 3, interval },
    { inconclusive: 3, count: 3, last: 'Inconclusive' },
    'Failed',
    'Failed',
  ],
  [
    'inconclusiveLimit 2',
    { inconclusiveLimit: 2 },
    { inconclusive: 3, last: 'Inconclusive' },
    'Inconclusive',
    'Inconclusive',
    'inconclusive (3) > inconclusiveLimit (2)',
  ],
  ['inconclusiveLimit 3', { inconclusiveLimit: 3 }, { inconclusive: 3, last: 'Inconclusive' }, 'Running', 'Successful'],
  [
    'default (consecutiveErrorLimit 4): 5 errors',
    {},
    { consecutiveError: 5, error: 5, last: 'Error' },
    'Error',
    'Error',
    'consecutiveErrors (5) > consecutiveErrorLimit (4)',
  ],
  ['default: 4 errors', {}, { consecutiveError: 4, error: 4, last: 'Error' }, 'Running', 'Successful'],
  ['count 10: successful 10', { count: 10, interval }, { successful: 10, count: 10 }, 'Successful', 'Successful'],
  [
    'count 10: successful 5, inconclusive 5',
    { count: 10, interval },
    { successful: 5, inconclusive: 5, count: 10 },
    'Inconclusive',
    'Inconclusive',
  ],
  [
    'default (no limits): failed 1',
    {},
    { failed: 1, count: 1, last: 'Failed' },
    'Failed',
    'Failed',
    'failed (1) > failureLimit (0)',
  ],
];

describe('§4.4 assessMetricStatus', () => {
  it.each(rows)('%s', (_name, config, counters, running, terminating, reason) => {
    const settings = metricSettings(metric(config));
    const assessed = assessMetricStatus(settings, result(counters), false);
    expect(assessed.phase).toBe(running);
    expect(assessMetricStatus(settings, result(counters), true).phase).toBe(terminating);
    if (reason) expect(assessed.reason).toBe(reason);
  });

  // Deliberate difference (DESIGN.md "fail loudly"; argoproj/argo-rollouts#4479): Argo says Successful here.
  it.each([
    [
      { count: 2, interval, failureLimit: 2 },
      { failed: 2, count: 2, error: 3, last: 'Failed' as const },
      'Failed',
      'count (2) reached without a successful measurement (failed 2, inconclusive 0, error 3); Argo Rollouts would assess it Successful (argoproj/argo-rollouts#4479)',
    ],
    [
      { count: 2, interval, inconclusiveLimit: 2 },
      { inconclusive: 2, count: 2, last: 'Inconclusive' as const },
      'Inconclusive',
      expect.stringContaining('without a successful measurement'),
    ],
    [{ count: 2, interval, failureLimit: 2 }, { failed: 1, successful: 1, count: 2 }, 'Successful', undefined],
  ])('count reached without a success is not Successful: %j %j', (config, counters, phase, reason) => {
    expect(assessMetricStatus(metricSettings(metric(config)), result(counters), false)).toEqual({
      phase,
      ...(reason ? { reason } : {}),
    });
  });

  it('a completed metric keeps its phase', () => {
    expect(assessMetricStatus(metricSettings(metric()), result({ phase: 'Failed' }), false).phase).toBe('Failed');
  });

  it('later limit checks win: consecutive errors over failures', () => {
    const assessed = assessMetricStatus(
      metricSettings(metric()),
      result({ failed: 2, consecutiveError: 5, last: 'Error' }),
      false,
    );
    expect(assessed).toEqual({ phase: 'Error', reason: 'consecutiveErrors (5) > consecutiveErrorLimit (4)' });
  });

  it('effective count: unset without interval is 1, unset with interval is unbounded, 0 is unset', () => {
    expect(metricSettings(metric()).effectiveCount).toBe(1);
    expect(metricSettings(metric({ interval: '10s' })).effectiveCount).toBeUndefined();
    expect(metricSettings(metric({ interval: '10s', count: 0 })).effectiveCount).toBeUndefined();
    expect(metricSettings(metric({ interval: '10s', count: '3' })).effectiveCount).toBe(3);
    expect(metricSettings(metric()).consecutiveErrorLimit).toBe(4);
  });
});

describe('§4.4 run phase (assessRunStatus)', () => {
  const named = (name: string, phase: AnalysisPhase, extra: Partial<MetricResult> = {}): MetricResult => ({
    ...result(),
    name,
    phase,
    ...extra,
  });
  const open = metricSettings(metric({ interval }));

  it('{latency Successful, success-rate Running} is Running', () => {
    const run = assessRunStatus({
      settings: [open, open],
      results: [named('latency', 'Successful'), named('success-rate', 'Running', { count: 1 })],
    });
    expect(run.phase).toBe('Running');
  });

  it("{Successful, Failed} is Failed, with Argo's message", () => {
    const failing = named('success-rate', 'Running', {
      failed: 3,
      count: 3,
      measurements: [{ phase: 'Failed', startedAt: 'x', finishedAt: 'x' }],
    });
    const run = assessRunStatus({
      settings: [open, metricSettings(metric({ interval, failureLimit: 2 }))],
      results: [named('latency', 'Successful'), failing],
    });
    expect(run.phase).toBe('Failed');
    expect(run.message).toBe('Metric "success-rate" assessed Failed due to failed (3) > failureLimit (2)');
    expect(run.runSummary).toEqual({ count: 2, successful: 1, failed: 1, inconclusive: 0, error: 0 });
  });

  it('a failing metric terminates the run: open-ended metrics end Successful in the same pass', () => {
    const results = [
      named('open', 'Running', { count: 1 }),
      named('bad', 'Running', { failed: 1, count: 1, measurements: [{ phase: 'Failed', startedAt: 'x', finishedAt: 'x' }] }),
    ];
    const run = assessRunStatus({ settings: [open, open], results });
    expect(run.phase).toBe('Failed');
    expect(run.metricResults.map((r) => r.phase)).toEqual(['Successful', 'Failed']);
    // The results given are shared with the state the caller holds: reassessing replaces, never changes them.
    expect(results.map((r) => r.phase)).toEqual(['Running', 'Running']);
  });

  it('the worst phase wins: Failed over Error over Inconclusive', () => {
    const phases: AnalysisPhase[][] = [
      ['Error', 'Failed', 'Failed'],
      ['Inconclusive', 'Error', 'Error'],
      ['Successful', 'Inconclusive', 'Inconclusive'],
    ];
    for (const [a, b, worst] of phases) {
      const run = assessRunStatus({
        settings: [open, open],
        results: [named('a', a as AnalysisPhase), named('b', b as AnalysisPhase)],
      });
      expect(run.phase).toBe(worst);
    }
  });

  it('an error message carries the last measurement message', () => {
    const erring = named('m', 'Running', {
      consecutiveError: 5,
      error: 5,
      message: 'connection refused',
      measurements: [{ phase: 'Error', startedAt: 'x', finishedAt: 'x' }],
    });
    const run = assessRunStatus({ settings: [open], results: [erring] });
    expect(run.message).toBe(
      'Metric "m" assessed Error due to consecutiveErrors (5) > consecutiveErrorLimit (4): "Error Message: connection refused"',
    );
  });

  it('dry-run metrics never affect the phase and are summarised apart', () => {
    const dry = named('dry', 'Running', {
      dryRun: true,
      failed: 1,
      count: 1,
      measurements: [{ phase: 'Failed', startedAt: 'x', finishedAt: 'x' }],
    });
    const results = [named('ok', 'Running', { successful: 1, count: 1 }), dry];
    const run = assessRunStatus({ settings: [metricSettings(metric()), metricSettings(metric())], results });
    expect(run.phase).toBe('Successful');
    expect(run.dryRunSummary).toEqual({ count: 1, successful: 0, failed: 1, inconclusive: 0, error: 0 });
    expect(run.metricResults[1]?.message).toBe('Metric assessed Failed due to failed (1) > failureLimit (0)');
    expect(results[1]?.message).toBeUndefined();
  });

  it('terminate with nothing measured is Successful with "Run Terminated"', () => {
    const run = assessRunStatus({ settings: [open], results: [named('m', 'Pending', { measurements: [] })], terminate: true });
    expect(run).toMatchObject({ phase: 'Successful', message: 'Run Terminated' });
  });
});
