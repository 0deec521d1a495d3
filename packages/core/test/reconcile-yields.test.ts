import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseRollout, reconcile } from '@gradual/core';
import { createFakeClock, createMemoryRouter } from '@gradual/core/testing';
import { describe, expect, it } from 'vitest';

const seed = (name: string) =>
  readFileSync(fileURLToPath(new URL(`../../../examples/manifests/${name}`, import.meta.url)), 'utf8');

describe('many reconciles in one process', () => {
  it('give the event loop turns while thousands run at once with in-memory adapters', async () => {
    const spec = parseRollout(seed('rollout-canary.yaml'));
    const router = createMemoryRouter();
    const clock = createFakeClock({ start: 0 });
    let finished = 0;
    const all = Array.from({ length: 3_000 }, () =>
      reconcile({ spec, router, clock, stableRevision: 'stable' }).then((result) => {
        finished++;
        return result;
      }),
    );
    // Without yielding, every reconcile would finish in the current task, before any check-phase callback.
    const finishedAtFirstTurn = await new Promise<number>((resolve) => setImmediate(() => resolve(finished)));
    const results = await Promise.all(all);
    expect(finishedAtFirstTurn).toBeLessThan(3_000);
    expect(results.every((result) => result.status.currentStepIndex === 1)).toBe(true);
  });
});
