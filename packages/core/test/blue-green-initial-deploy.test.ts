import { parseRollout, reconcile } from '@gradual/core';
import { createFakeClock, createMemoryRouter, createTestWorkload } from '@gradual/core/testing';
import { describe, expect, it } from 'vitest';

// Argo switches a Service selector only to an available ReplicaSet: on the first deploy the active
// Service waits for the new pods instead of pointing at none (a selector router refuses that, and
// every first deploy would log a TrafficRoutingError and retry).
describe('blue/green initial deploy with a Workload', () => {
  const spec = parseRollout({
    replicas: 3,
    template: { spec: { image: 'v1' } },
    strategy: { blueGreen: { activeService: 'active', previewService: 'preview' } },
  });

  it('points the active Service at the new version only once its pods are available, with one apply', async () => {
    const clock = createFakeClock({ start: 0 });
    const router = createMemoryRouter();
    const workload = createTestWorkload({ clock, readyAfterMs: 20_000 });
    let result = await reconcile({ spec, router, clock, workload, initialDeploy: true });
    expect(workload.asked.at(-1)).toMatchObject({ stable: { revision: spec.revision, replicas: 3 } });
    expect(router.calls).toEqual([]);
    expect(result.status.phase).toBe('Progressing');
    expect(result.requeueAfterMs).toBeGreaterThan(0);

    await clock.advance(10_000);
    result = await reconcile({ spec, router, clock, workload, status: result.status });
    expect(router.calls).toEqual([]);
    expect(result.events.map((event) => event.reason)).not.toContain('TrafficRoutingError');

    await clock.advance(10_000);
    result = await reconcile({ spec, router, clock, workload, status: result.status });
    expect(router.calls).toHaveLength(1);
    expect(router.calls[0]).toMatchObject({ stableRevision: spec.revision });
    expect(result.status.phase).toBe('Healthy');
  });

  it('a version that already serves keeps the active Service while its pods come and go', async () => {
    const clock = createFakeClock({ start: 0 });
    const router = createMemoryRouter();
    const workload = createTestWorkload({ clock });
    let result = await reconcile({ spec, router, clock, workload, initialDeploy: true });
    expect(router.calls).toHaveLength(1);
    workload.setAvailable(spec.revision, 1);
    result = await reconcile({ spec, router, clock, workload, status: result.status });
    expect(router.calls).toHaveLength(1);
    expect(result.status.phase).toBe('Healthy');
  });

  it('a first deploy whose pods never come is Degraded at the progress deadline, with traffic untouched', async () => {
    const clock = createFakeClock({ start: 0 });
    const router = createMemoryRouter();
    const workload = createTestWorkload({ clock, neverReady: [spec.revision] });
    let result = await reconcile({ spec, router, clock, workload, initialDeploy: true });
    await clock.advance(spec.progressDeadlineSeconds * 1000);
    result = await reconcile({ spec, router, clock, workload, status: result.status });
    expect(router.calls).toEqual([]);
    expect(result.status.phase).toBe('Degraded');
    expect(result.status.message).toContain('0/3 pods available');
  });
});
