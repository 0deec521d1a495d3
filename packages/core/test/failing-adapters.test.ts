import {
  type AnalysisRunner,
  createRollout,
  parseRollout,
  reconcile,
  type TrafficRouter,
  TrafficRouterError,
} from '@gradual/core';
import { createFakeClock, createMemoryRouter } from '@gradual/core/testing';
import { describe, expect, it } from 'vitest';

const canary = (extra: object = {}) =>
  parseRollout({
    template: { spec: { image: 'v2' } },
    ...extra,
    strategy: { canary: { steps: [{ setWeight: 20 }, { pause: { duration: '1m' } }, { setWeight: 50 }] } },
  });

/** A router whose every apply rejects with `error`, recording when it was called (virtual ms). */
function alwaysFailingRouter(error: () => Error, clock: { now(): number }) {
  const calls: number[] = [];
  const router: TrafficRouter = {
    specificationVersion: 'v1',
    name: 'broken',
    capabilities: { headerRoutes: true, mirrorRoutes: true, experiments: true, weightGranularity: 1 },
    apply: async () => {
      calls.push(clock.now());
      throw error();
    },
  };
  return { router, calls };
}

const failures = {
  'TrafficRouterError({ retryable: true })': () =>
    new TrafficRouterError('broken', 'VirtualService rollout-vsvc: 503 from the API server', { retryable: true }),
  'a plain Error': () => new Error('socket hang up'),
};

describe('a router that always fails', () => {
  it('non-retryable: run() ends Degraded at once, after one call, with the router message in the status', async () => {
    const clock = createFakeClock({ start: 0, auto: true });
    const { router, calls } = alwaysFailingRouter(
      () => new TrafficRouterError('broken', 'VirtualService rollout-vsvc not found', { retryable: false }),
      clock,
    );
    const result = await createRollout({ spec: canary(), router, clock, stableRevision: 'v1' }).run();
    expect(result.outcome).toBe('Degraded');
    expect(result.message).toBe('TrafficRoutingError: VirtualService rollout-vsvc not found');
    expect(result.status.phase).toBe('Degraded');
    expect(result.status.trafficError).toMatchObject({
      retryable: false,
      attempts: 1,
      message: 'VirtualService rollout-vsvc not found',
    });
    expect(calls).toEqual([0]);
    expect(clock.now()).toBe(0);
  });

  it('non-retryable with progressDeadlineAbort: aborts at once; run() ends Aborted, saying traffic could not go back', async () => {
    const clock = createFakeClock({ start: 0, auto: true });
    const { router, calls } = alwaysFailingRouter(
      () => new TrafficRouterError('broken', 'forbidden: cannot patch virtualservices', { retryable: false }),
      clock,
    );
    const result = await createRollout({
      spec: canary({ progressDeadlineAbort: true }),
      router,
      clock,
      stableRevision: 'v1',
    }).run();
    expect(result.outcome).toBe('Aborted');
    expect(result.status.abortMessage).toBe('TrafficRoutingError: forbidden: cannot patch virtualservices (not retryable)');
    expect(result.message).toMatch(/traffic could not be put back on stable: forbidden: cannot patch virtualservices$/);
    // The step's weight once, then traffic back to stable once: neither call is repeated.
    expect(calls).toEqual([0, 0]);
  });

  it.each(
    Object.entries(failures),
  )('%s: retried with capped backoff, run() ends Degraded at the progress deadline', async (_, error) => {
    const clock = createFakeClock({ start: 0, auto: true });
    const { router, calls } = alwaysFailingRouter(error, clock);
    const result = await createRollout({ spec: canary(), router, clock, stableRevision: 'v1' }).run();
    expect(result.outcome).toBe('Degraded');
    expect(result.message).toMatch(/^ProgressDeadlineExceeded: TrafficRoutingError: /);
    expect(result.message).toContain(error().message);
    // Default progressDeadlineSeconds: 600.
    expect(clock.now()).toBe(600_000);
    const gaps = calls.slice(1).map((at, i) => at - (calls[i] as number));
    expect(gaps.slice(0, 7)).toEqual([1000, 2000, 4000, 8000, 16000, 32000, 60000]);
    expect(Math.max(...gaps)).toBe(60_000);
    expect(calls.length).toBe(15);
  });

  it.each(Object.entries(failures))('%s with progressDeadlineAbort: run() ends Aborted at the deadline', async (_, error) => {
    const clock = createFakeClock({ start: 0, auto: true });
    const { router } = alwaysFailingRouter(error, clock);
    const spec = canary({ progressDeadlineSeconds: 120, progressDeadlineAbort: true });
    const result = await createRollout({ spec, router, clock, stableRevision: 'v1' }).run();
    expect(result.outcome).toBe('Aborted');
    expect(clock.now()).toBe(120_000);
    expect(result.status.abortMessage).toMatch(/^ProgressDeadlineExceeded: TrafficRoutingError: .*failing for 120s/);
    expect(result.status.abortMessage).toContain(error().message);
    expect(result.message).toContain('traffic could not be put back on stable');
  });

  it('a router that recovers before the deadline: the rollout carries on and promotes, the error cleared', async () => {
    const clock = createFakeClock({ start: 0, auto: true });
    const router = createMemoryRouter();
    router.failNext(new TrafficRouterError('memory', 'conflict', { retryable: true }), 5);
    const result = await createRollout({ spec: canary(), router, clock, stableRevision: 'v1' }).run();
    expect(result.outcome).toBe('Promoted');
    expect(result.status.trafficError).toBeUndefined();
    expect(router.calls.length).toBeGreaterThan(5);
  });
});

describe('failures seen by a controller (reconcile)', () => {
  it('non-retryable: no wake-up, no second call; retry after the cause is fixed tries again at once', async () => {
    const clock = createFakeClock({ start: 0 });
    let broken = true;
    const calls: number[] = [];
    const inner = createMemoryRouter();
    const router: TrafficRouter = {
      ...inner,
      apply: async (desired, options) => {
        calls.push(clock.now());
        if (broken) throw new TrafficRouterError('memory', 'VirtualService not found', { retryable: false });
        return inner.apply(desired, options);
      },
    };
    const spec = canary();
    let result = await reconcile({ spec, router, clock, stableRevision: 'v1' });
    expect(result.status.phase).toBe('Degraded');
    expect(result.requeueAfterMs).toBeUndefined();
    await clock.advance(3_600_000);
    result = await reconcile({ spec, router, clock, status: result.status });
    expect(calls).toHaveLength(1);
    broken = false;
    result = await reconcile({ spec, router, clock, status: result.status, commands: [{ type: 'retry' }] });
    expect(calls).toHaveLength(2);
    expect(result.status.trafficError).toBeUndefined();
    expect(result.status.phase).toBe('Paused');
    expect(inner.current.canaryWeight).toBe(20);
  });

  it('an analysis runner that always throws ends the run Degraded at the deadline, traffic where it was', async () => {
    const clock = createFakeClock({ start: 0, auto: true });
    const router = createMemoryRouter();
    const analysis: AnalysisRunner = {
      specificationVersion: 'v1',
      start: async () => {
        throw new Error('connection refused');
      },
      reconcile: async (run) => run,
      terminate: async (run) => run,
    };
    const spec = parseRollout({
      template: { spec: { image: 'v2' } },
      progressDeadlineSeconds: 60,
      strategy: { canary: { steps: [{ setWeight: 20 }, { analysis: { templates: [{ templateName: 'x' }] } }] } },
    });
    const result = await createRollout({ spec, router, analysis, clock, stableRevision: 'v1' }).run();
    expect(result.outcome).toBe('Degraded');
    expect(result.message).toMatch(/^ProgressDeadlineExceeded: AnalysisRunnerError: startAnalysis .*connection refused/);
    expect(clock.now()).toBe(60_000);
    expect(router.current.canaryWeight).toBe(20);
  });

  it.each([
    ['promoted', {}],
    ['aborted', { commands: [{ type: 'abort' as const }] }],
  ])('no wake-up is asked for once %s without a Workload', async (_, extra) => {
    const clock = createFakeClock({ start: 0 });
    const router = createMemoryRouter();
    const spec = parseRollout({ template: { spec: { image: 'v2' } }, strategy: { canary: { steps: [{ setWeight: 20 }] } } });
    let result = await reconcile({ spec, router, clock, stableRevision: 'v1', ...extra });
    result = await reconcile({ spec, router, clock, status: result.status });
    expect(result.status.phase).toBe('commands' in extra ? 'Degraded' : 'Healthy');
    expect(result.requeueAfterMs).toBeUndefined();
  });
});
