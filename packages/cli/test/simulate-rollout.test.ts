import { readFileSync } from 'node:fs';
import { parseAnalysisTemplate } from '@gradual/analysis';
import { parseScenario, simulateRollout } from '@gradual/cli';
import { parseRollout, ValidationError } from '@gradual/core';
import { describe, expect, it } from 'vitest';
import { pickValue } from '../src/simulate/pick-value.js';

const read = (path: string) => readFileSync(new URL(`../../../examples/manifests/${path}`, import.meta.url), 'utf8');
const spec = parseRollout(read('rollout-analysis.yaml'));
const templates = [parseAnalysisTemplate(read('analysistemplate-success-rate.yaml'))];

describe('parseScenario', () => {
  // Rows: the entry for one metric, what it means.
  const rows: [string, unknown][] = [
    ['healthy', { kind: 'healthy' }],
    ['failing', { kind: 'failing', afterMs: 0 }],
    ['failing after 3m', { kind: 'failing', afterMs: 180_000 }],
    ['failing after 1h30m', { kind: 'failing', afterMs: 5_400_000 }],
    ['[0.99, 0.5]', { kind: 'values', values: [0.99, 0.5] }],
  ];
  for (const [entry, script] of rows) {
    it(entry, () => expect(parseScenario(`metrics:\n  m: ${entry}\n`).metrics['m']).toEqual(script));
  }
  it('refuses an entry of no known form, naming the metric', () => {
    expect(() => parseScenario('metrics:\n  m: sometimes\n')).toThrow(ValidationError);
    expect(() => parseScenario('metrics:\n  m: failing after soon\n')).toThrow(/metrics\.m/);
  });
});

describe('pickValue', () => {
  const metric = templates[0]!.spec.metrics[0]!;
  it("gives values the metric's own condition judges", () => {
    // The seed's condition passes on [] and on result[0] >= 0.95: healthy [1]; failing [0].
    expect(pickValue(metric, 'healthy')).toEqual([1]);
    expect(pickValue(metric, 'failing')).toEqual([0]);
    expect(pickValue({ ...metric, successCondition: 'result < 0.1' }, 'healthy')).toBe(0);
  });
});

describe('simulateRollout', () => {
  it('takes one scenario value per measurement: a dip that stays within failureLimit 2 is promoted', async () => {
    // Measurements every 10s over the 55s of pauses: two failing values, then healthy ones.
    const result = await simulateRollout({
      spec,
      templates,
      scenario: { metrics: { 'success-rate': { kind: 'values', values: [0.99, 0.5, 0.5, 0.99] } } },
    });
    expect(result.outcome).toBe('Promoted');
    expect(result.durationMs).toBe(55_000);
  });

  it('aborts at the third failing value', async () => {
    const result = await simulateRollout({
      spec,
      templates,
      scenario: { metrics: { 'success-rate': { kind: 'values', values: [0.5] } } },
    });
    expect(result.outcome).toBe('Aborted');
    // Failing at 0s, 10s and 20s: the third is over failureLimit 2, during the 20s pause at 30%.
    expect(result.rows.find((row) => row.reason === 'RolloutAborted')).toMatchObject({ atMs: 20_000, canaryWeight: 30 });
    expect(result.states.map((s) => s.canaryWeight)).toEqual([30, 0]);
  });

  it('with passAnalysis needs no template: every run succeeds at once (what render uses)', async () => {
    const result = await simulateRollout({ spec, templates: [], passAnalysis: true });
    expect(result.outcome).toBe('Promoted');
    expect(result.states.map((s) => s.canaryWeight)).toEqual([30, 40, 60, 80, 90, 100, 0]);
  });

  it('promotes a pause with no duration itself, and says so in the timeline', async () => {
    const manual = parseRollout({
      kind: 'Rollout',
      metadata: { name: 'manual' },
      spec: {
        selector: { matchLabels: { a: 'b' } },
        template: { metadata: { labels: { a: 'b' } } },
        strategy: { canary: { steps: [{ setWeight: 20 }, { pause: {} }, { setWeight: 60 }] } },
      },
    });
    const result = await simulateRollout({ spec: manual, templates: [] });
    expect(result.outcome).toBe('Promoted');
    expect(result.rows.filter((row) => row.reason === 'SimulatedPromote')).toHaveLength(1);
    // After the last step the canary takes all traffic, then becomes stable (Argo's end of steps).
    expect(result.states.map((s) => s.canaryWeight)).toEqual([20, 60, 100, 0]);
  });
});
