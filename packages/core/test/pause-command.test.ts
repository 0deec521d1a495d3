import { createRollout, parseRollout } from '@gradual/core';
import { createFakeClock, createMemoryRouter } from '@gradual/core/testing';
import { describe, expect, it } from 'vitest';

describe('the pause command', () => {
  it('holds the rollout where it is, timed pauses included, until promote; both are recorded in the status', async () => {
    const clock = createFakeClock();
    const router = createMemoryRouter();
    const spec = parseRollout({
      template: { spec: { image: 'v2' } },
      strategy: { canary: { steps: [{ setWeight: 20 }, { pause: { duration: '10s' } }, { setWeight: 60 }] } },
    });
    const handle = createRollout({ spec, router, clock, stableRevision: 'v1' });
    const paused = new Promise<void>((resolve) =>
      handle.on((event) => {
        if (event.reason === 'TrafficWeightUpdated' && router.current.canaryWeight === 20) handle.pause();
        if (event.reason === 'RolloutPaused' && event.message === 'Rollout paused by a command') resolve();
      }),
    );
    const running = handle.run();
    await paused;
    // Well past the 10 s pause: nothing is due, so run() waits for a command; still at 20%.
    await clock.advance(600_000);
    expect(clock.pending()).toBe(0);
    expect(router.current.canaryWeight).toBe(20);
    expect(handle.status?.phase).toBe('Paused');
    expect(handle.status?.message).toBe('manually paused');
    handle.promote();
    const result = await running;
    expect(result.outcome).toBe('Promoted');
    expect(router.history.map((state) => state.canaryWeight)).toEqual([20, 60, 100, 0]);
    expect(result.status.commands?.map((c) => [c.type, c.result])).toEqual([
      ['pause', 'applied'],
      ['promote', 'applied'],
    ]);
  });
});
