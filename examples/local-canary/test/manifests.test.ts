import { readFileSync } from 'node:fs';
import { parseRollout } from '@gradual/core';
import { describe, expect, it } from 'vitest';
import { loadManifests } from '../src/demo/load-manifests.js';

// The talk's manifests, as the repository keeps them.
const seedDir = new URL('../../manifests/', import.meta.url);

describe('the example manifests', () => {
  it('are verbatim copies of the seed (examples/manifests)', () => {
    for (const file of ['rollout-analysis.yaml', 'analysistemplate-success-rate.yaml']) {
      const copy = readFileSync(new URL(`../manifests/${file}`, import.meta.url), 'utf8');
      expect(copy, file).toBe(readFileSync(new URL(file, seedDir), 'utf8'));
    }
  });

  it('dark and shadow are the seed rollout with other steps (same template, analysis and routing)', () => {
    const seed = parseRollout(loadManifests('canary').rollout);
    for (const scenario of ['dark', 'shadow'] as const) {
      const spec = parseRollout(loadManifests(scenario).rollout);
      expect(spec.revision).toBe(seed.revision);
      expect(spec.strategy.canary?.analysis).toEqual(seed.strategy.canary?.analysis);
      expect(spec.strategy.canary?.trafficRouting?.istio).toEqual(seed.strategy.canary?.trafficRouting?.istio);
    }
    const dark = parseRollout(loadManifests('dark').rollout).strategy.canary!;
    expect(dark.steps[0]).toEqual({
      setHeaderRoute: {
        name: 'end-user-alexandra',
        match: [{ headerName: 'end-user', headerValue: { exact: 'Alexandra' } }],
      },
    });
    const shadow = parseRollout(loadManifests('shadow').rollout).strategy.canary!;
    expect(shadow.steps[0]).toMatchObject({ setMirrorRoute: { name: 'mirror-to-v2', percentage: 100 } });
  });
});
