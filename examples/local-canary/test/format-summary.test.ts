import type { TrafficState } from '@gradual/core';
import { describe, expect, it } from 'vitest';
import type { DemoReport } from '../src/demo/demo-report.js';
import { splitOf } from '../src/demo/split-of.js';
import type { GenerationTally } from '../src/proxy/served-tally.js';
import { formatSummary } from '../src/view/format-summary.js';

const state = (canaryWeight: number, stableRevision: string): TrafficState => ({
  canaryWeight,
  stableRevision,
  canaryRevision: 'new',
  headerRoutes: [],
  mirrorRoutes: [],
  experiments: [],
});
const served = (weighted: number) => ({ weighted, header: 0, mirrored: 0, failed: 0 });
const generations: GenerationTally[] = [
  { generation: 0, state: state(0, 'old'), stableVersion: 'v1', served: { v1: served(100) } },
  // Installed and replaced before any request came: no observed split.
  { generation: 1, state: state(30, 'old'), stableVersion: 'v1', canaryVersion: 'v2', served: {} },
  // Promotion: weight 0 with the new revision as stable.
  { generation: 2, state: state(0, 'new'), stableVersion: 'v2', served: { v2: served(50) } },
];
const report = (overrides: Partial<DemoReport>): DemoReport => ({
  outcome: 'Promoted',
  message: 'revision new is stable',
  scenario: 'canary',
  speed: 20,
  metricsSource: 'localProxy',
  setupMs: 4_200,
  durationMs: 7_000,
  stableRevision: 'old',
  canaryRevision: 'new',
  splits: generations.map(splitOf),
  generations,
  services: {},
  load: { sent: 150, answers: {} },
  measurements: [],
  events: [],
  ...overrides,
});

describe('the summary', () => {
  it('names the promoted state "all on new stable" and shows – for a state that served nothing', () => {
    const lines = formatSummary(report({})).split('\n');
    expect(lines.find((line) => line.startsWith('  #2'))).toMatch(/all on new stable \(v2\) +50 +0\.0\/100\.0/);
    expect(lines.find((line) => line.startsWith('  #1'))).toMatch(/weight 30 +0 +– +70\.0\/30\.0/);
    expect(lines.find((line) => line.startsWith('  #0'))).toMatch(/weight 0 +100 +100\.0\/0\.0/);
  });

  it('counts "after N s" from the rollout, with the start-up apart; an interruption says so', () => {
    expect(formatSummary(report({}))).toContain('after 7.0 s at speed 20 (after 4.2 s of start-up)');
    expect(formatSummary(report({ outcome: 'Interrupted', message: 'interrupted by SIGINT at step 2 of 12' }))).toContain(
      'INTERRUPTED: the rollout did not finish; what happened until then (interrupted by SIGINT at step 2 of 12)',
    );
  });
});
