import { createRollout, parseRollout, systemClock } from '@gradual/core';
import { createFakeClock, createMemoryRouter, createTestWorkload } from '@gradual/core/testing';
import { describe, expect, it } from 'vitest';

const signal = new AbortController().signal;

describe('createFakeClock', () => {
  it('starts at the real current time unless a start is given', () => {
    const before = systemClock.now();
    const clock = createFakeClock();
    expect(clock.now()).toBeGreaterThanOrEqual(before);
    expect(clock.now()).toBeLessThanOrEqual(systemClock.now());
    expect(createFakeClock({ start: 0 }).now()).toBe(0);
    expect(createFakeClock({ start: 1_700_000_000_000 }).now()).toBe(1_700_000_000_000);
  });
});

describe('createTestWorkload', () => {
  it('makes asked-for replicas available after readyAfterMs on the clock, and fewer at once', async () => {
    const clock = createFakeClock({ start: 0 });
    const workload = createTestWorkload({ clock, readyAfterMs: 10_000 });
    const options = { signal, clock };
    await workload.apply({ stable: { revision: 'v1', replicas: 4 }, experiments: [] }, options);
    expect((await workload.observe(options)).stable).toEqual({ revision: 'v1', replicas: 4, availableReplicas: 0 });
    await clock.advance(10_000);
    expect((await workload.observe(options)).stable?.availableReplicas).toBe(4);

    await workload.apply(
      { stable: { revision: 'v1', replicas: 2 }, canary: { revision: 'v2', replicas: 2 }, experiments: [] },
      options,
    );
    const observed = await workload.observe(options);
    expect(observed.stable?.availableReplicas).toBe(2);
    expect(observed.canary?.availableReplicas).toBe(0);
    await clock.advance(10_000);
    expect((await workload.observe(options)).canary?.availableReplicas).toBe(2);
    expect(workload.asked).toHaveLength(2);
    expect(workload.replicaSets()).toEqual([
      { revision: 'v1', replicas: 2, availableReplicas: 2 },
      { revision: 'v2', replicas: 2, availableReplicas: 2 },
    ]);
  });

  it('keeps a never-ready revision at 0 available, and setAvailable overrides until rescaled', async () => {
    const clock = createFakeClock({ start: 0 });
    const workload = createTestWorkload({ clock, neverReady: ['bad'] });
    const options = { signal, clock };
    await workload.apply({ canary: { revision: 'bad', replicas: 3 }, experiments: [] }, options);
    await clock.advance(60_000);
    expect((await workload.observe(options)).canary?.availableReplicas).toBe(0);
    workload.setAvailable('bad', 1);
    expect((await workload.observe(options)).canary?.availableReplicas).toBe(1);
  });

  it('fails the next apply when told to, and rejects an aborted signal', async () => {
    const clock = createFakeClock({ start: 0 });
    const workload = createTestWorkload({ clock });
    workload.failNext(new Error('quota exceeded'));
    await expect(workload.apply({ experiments: [] }, { signal, clock })).rejects.toThrow('quota exceeded');
    const aborted = new AbortController();
    aborted.abort();
    await expect(workload.apply({ experiments: [] }, { signal: aborted.signal, clock })).rejects.toThrow();
  });

  it('drives a rollout: no weight moves before the canary pods are available', async () => {
    const clock = createFakeClock({ start: 0, auto: true });
    const router = createMemoryRouter();
    const workload = createTestWorkload({ clock, readyAfterMs: 30_000 });
    const spec = parseRollout({
      template: { spec: { image: 'v2' } },
      replicas: 4,
      strategy: { canary: { steps: [{ setWeight: 25 }, { pause: { duration: '1m' } }] } },
    });
    const handle = createRollout({ spec, router, clock, workload, stableRevision: 'v1' });
    const firstWeightAt: number[] = [];
    handle.on((event) => {
      if (event.reason === 'TrafficWeightUpdated' && router.current.canaryWeight > 0) firstWeightAt.push(clock.now());
    });
    const result = await handle.run();
    expect(result.outcome).toBe('Promoted');
    expect(firstWeightAt[0]).toBeGreaterThanOrEqual(30_000);
    expect(workload.asked[0]?.canary?.revision).toBe(spec.revision);
  });
});
