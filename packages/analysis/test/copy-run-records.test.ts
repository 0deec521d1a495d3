import { describe, expect, it } from 'vitest';
import { metricResultWith, runDataWith } from '../src/run/copy-run-records.js';
import type { AnalysisRunData, MetricResult } from '../src/run/run-types.js';

// The copies replace spreads for V8's object layout; each must mean exactly what the spread meant.
const result = (): MetricResult => ({
  name: 'success-rate',
  phase: 'Running',
  message: 'last one erred',
  count: 2,
  successful: 1,
  failed: 1,
  inconclusive: 0,
  error: 1,
  consecutiveError: 0,
  consecutiveSuccess: 1,
  measurements: [{ phase: 'Successful', value: '[0.99]', startedAt: 'a', finishedAt: 'a' }],
  dryRun: true,
  noData: { count: 1, message: 'no data' },
});

const data = (): AnalysisRunData => ({
  version: 1,
  startedAt: 1,
  completedAt: 5,
  terminate: true,
  metrics: [],
  fingerprint: 'f',
  request: { templates: [{ templateName: 't' }], args: [], dryRun: [{ metricName: 'x' }] },
  secretArgs: [],
  retention: { 'success-rate': 10 },
  metricResults: [result()],
  runSummary: { count: 1, successful: 0, failed: 0, inconclusive: 0, error: 0 },
  dryRunSummary: { count: 1, successful: 1, failed: 0, inconclusive: 0, error: 0 },
});

describe('run record copies', () => {
  it('copy every field of a metric result, optional ones too, with the patch over them', () => {
    const input = result();
    const before = structuredClone(input);
    const copy = metricResultWith(input, { phase: 'Failed', message: undefined });
    expect(copy).toStrictEqual({ ...before, phase: 'Failed', message: undefined });
    expect(copy.measurements).toBe(input.measurements);
    expect(input).toStrictEqual(before);
  });

  it('copy every field of run data, optional ones too, and add none', () => {
    const input = data();
    const copy = runDataWith(input, { metricResults: [] });
    expect(copy).toStrictEqual({ ...data(), metricResults: [] });
    const { completedAt: _c, terminate: _t, dryRunSummary: _d, ...lean } = data();
    expect(runDataWith(lean, {})).toStrictEqual(lean);
    expect('completedAt' in runDataWith(lean, {})).toBe(false);
  });
});
