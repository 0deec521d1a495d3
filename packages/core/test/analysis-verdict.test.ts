import type { AnalysisPhase } from '@gradual/core';
import { describe, expect, it } from 'vitest';
import { type AnalysisVerdict, analysisVerdict } from '../src/engine/analysis-verdict.js';

// One rule for step, background, experiment and blue/green pre/post-promotion analysis.
// Source: Argo Rollouts' rollout/analysis.go and experiments (reference/argo-rollouts.md, "analysis outcomes"):
// Successful lets the rollout go on, Failed and Error abort, Inconclusive pauses until a human promotes.
const rows: [AnalysisPhase | undefined, boolean, AnalysisVerdict][] = [
  [undefined, false, 'wait'], // not started yet
  ['Pending', false, 'wait'],
  ['Running', false, 'wait'],
  ['Running', true, 'wait'], // a promote does not end a run that has no verdict
  ['Successful', false, 'proceed'],
  ['Failed', false, 'abort'],
  ['Failed', true, 'abort'], // a promote never overrides a failure (promote --full does, before planning)
  ['Error', false, 'abort'],
  ['Error', true, 'abort'],
  ['Inconclusive', false, 'hold'],
  ['Inconclusive', true, 'proceed'], // a human promoted past the inconclusive verdict
];

describe('the analysis verdict', () => {
  it.each(rows)('phase %s, accepted by a human: %s → %s', (phase, accepted, verdict) => {
    expect(analysisVerdict(phase, accepted)).toBe(verdict);
  });
});
