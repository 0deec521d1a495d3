import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createRollout, parseRollout } from '@gradual/core';
import { createFakeClock, createMemoryRouter } from '@gradual/core/testing';
import { describe, expect, it } from 'vitest';

const seed = (name: string) =>
  readFileSync(fileURLToPath(new URL(`../../../examples/manifests/${name}`, import.meta.url)), 'utf8');

describe('seed rollout-canary.yaml', () => {
  it('applies 20, 50, 100 then all traffic on the new stable, pausing exactly 60 s and 120 s', async () => {
    const spec = parseRollout(seed('rollout-canary.yaml'));
    const clock = createFakeClock({ start: 0, auto: true });
    const router = createMemoryRouter();
    const appliedAt: [number, number, string | undefined][] = [];
    const rollout = createRollout({ spec, router, clock, stableRevision: 'v1' });
    rollout.on((event) => {
      if (event.reason === 'TrafficWeightUpdated') {
        const last = router.history.at(-1);
        appliedAt.push([clock.now(), last?.canaryWeight ?? -1, last?.stableRevision]);
      }
    });
    const result = await rollout.run();
    expect(result.outcome).toBe('Promoted');
    expect(router.history.map((state) => state.canaryWeight)).toEqual([20, 50, 100, 0]);
    expect(appliedAt).toEqual([
      [0, 20, 'v1'],
      [60_000, 50, 'v1'],
      [180_000, 100, 'v1'],
      [180_000, 0, spec.revision],
    ]);
    expect(router.current).toMatchObject({ canaryWeight: 0, stableRevision: spec.revision, canaryRevision: spec.revision });
    expect(result.status.phase).toBe('Healthy');
    expect(result.status.currentStepIndex).toBe(4);
  });
});
