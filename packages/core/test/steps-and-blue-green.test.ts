import {
  createRollout,
  parseRollout,
  type RolloutStatus,
  reconcile,
  type Workload,
  type WorkloadObservation,
  type WorkloadState,
} from '@gradual/core';
import { createFakeClock, createMemoryRouter, createScriptedAnalysisRunner } from '@gradual/core/testing';
import { describe, expect, it } from 'vitest';
import { seed } from './support.js';

const istio = { istio: { virtualService: { name: 'recommendation', routes: ['primary'] } } };

describe('experiment step (seed rollout-experiment.yaml)', () => {
  it('sends 5% to each template (stable 90%) for exactly one hour, then removes it', async () => {
    const clock = createFakeClock({ start: 0, auto: true });
    const router = createMemoryRouter();
    const spec = parseRollout(seed('rollout-experiment.yaml'));
    const timeline: [number, number[], number][] = [];
    const handle = createRollout({ spec, router, clock, stableRevision: 'blue' });
    handle.on((event) => {
      if (event.reason !== 'TrafficWeightUpdated') return;
      const state = router.current;
      timeline.push([clock.now(), state.experiments.map((e) => e.weight), state.canaryWeight]);
    });
    const result = await handle.run();
    expect(result.outcome).toBe('Promoted');
    expect(timeline).toEqual([
      [0, [5, 5], 0],
      [3_600_000, [], 100],
      [3_600_000, [], 0],
    ]);
    expect(router.history[0]?.experiments).toEqual([
      { name: 'experiment-baseline', weight: 5, revision: 'blue' },
      { name: 'experiment-canary', weight: 5, revision: spec.revision },
    ]);
  });

  it('aborts when an experiment analysis fails, and removes the experiment traffic', async () => {
    const spec = parseRollout({
      template: { spec: { image: 'green' } },
      strategy: {
        canary: {
          canaryService: 'c',
          stableService: 's',
          trafficRouting: istio,
          steps: [
            { setWeight: 10 },
            {
              experiment: {
                duration: '1h',
                templates: [{ name: 'canary', specRef: 'canary', weight: 5 }],
                analyses: [{ name: 'compare', templateName: 'kayenta-like' }],
              },
            },
          ],
        },
      },
    });
    const clock = createFakeClock({ start: 0, auto: true });
    const router = createMemoryRouter();
    const analysis = createScriptedAnalysisRunner({
      script: () => ({ phase: 'Failed', afterMs: 600_000, message: 'latency regressed' }),
    });
    const result = await createRollout({ spec, router, clock, analysis, stableRevision: 'blue' }).run();
    expect(result.outcome).toBe('Aborted');
    expect(result.status.abortMessage).toBe('Experiment analysis phase is failed: latency regressed');
    expect(clock.now()).toBe(600_000);
    expect(router.history.map((s) => [s.canaryWeight, s.experiments.length])).toEqual([
      [10, 0],
      [10, 1],
      [0, 0],
    ]);
    expect(analysis.started[0]?.kind).toBe('experiment');
  });
});

const managed = (steps: object[]) =>
  parseRollout({
    metadata: { name: 'recommendation' },
    template: { spec: { image: 'recommendation:v2' } },
    strategy: {
      canary: {
        canaryService: 'recommendation-v2',
        stableService: 'recommendation-v1',
        trafficRouting: { ...istio, managedRoutes: [{ name: 'dark' }, { name: 'shadow' }] },
        steps,
      },
    },
  });

describe('managed routes (seed slides 15 and 16)', () => {
  const dark = managed([
    { setHeaderRoute: { name: 'dark', match: [{ headerName: 'end-user', headerValue: { exact: 'Alexandra' } }] } },
    { pause: {} },
  ]);
  const shadow = managed([{ setMirrorRoute: { name: 'shadow', match: [{ path: { prefix: '/' } }] } }, { pause: {} }]);

  it('dark canary: the header route of slide 16 while the weight stays 0; gone after completion', async () => {
    const clock = createFakeClock({ start: 0 });
    const router = createMemoryRouter();
    let result = await reconcile({ spec: dark, router, clock, stableRevision: 'v1' });
    expect(router.current).toEqual({
      canaryWeight: 0,
      stableRevision: 'v1',
      canaryRevision: dark.revision,
      headerRoutes: [{ name: 'dark', match: [{ headerName: 'end-user', headerValue: { exact: 'Alexandra' } }] }],
      mirrorRoutes: [],
      experiments: [],
    });
    expect(result.status.phase).toBe('Paused');
    result = await reconcile({ spec: dark, router, clock, status: result.status, commands: [{ type: 'promote' }] });
    expect(router.current).toMatchObject({ canaryWeight: 0, stableRevision: dark.revision, headerRoutes: [], mirrorRoutes: [] });
    expect(router.history.some((s) => s.canaryWeight === 100 && s.headerRoutes.length === 0)).toBe(true);
  });

  it('shadow: the mirror of slide 15 (100%), users stay on stable; gone after abort', async () => {
    const clock = createFakeClock({ start: 0 });
    const router = createMemoryRouter();
    let result = await reconcile({ spec: shadow, router, clock, stableRevision: 'v1' });
    expect(router.current.canaryWeight).toBe(0);
    expect(router.current.mirrorRoutes).toEqual([{ name: 'shadow', percentage: 100, match: [{ path: { prefix: '/' } }] }]);
    result = await reconcile({ spec: shadow, router, clock, status: result.status, commands: [{ type: 'abort' }] });
    expect(router.current).toEqual({
      canaryWeight: 0,
      stableRevision: 'v1',
      canaryRevision: 'v1',
      headerRoutes: [],
      mirrorRoutes: [],
      experiments: [],
    });
  });

  it.each([
    ['dark', 'abort'],
    ['shadow', 'promote'],
  ] as const)('%s routes are gone after %s too', async (which, command) => {
    const spec = which === 'dark' ? dark : shadow;
    const clock = createFakeClock({ start: 0 });
    const router = createMemoryRouter();
    let result = await reconcile({ spec, router, clock, stableRevision: 'v1' });
    expect(router.current.headerRoutes.length + router.current.mirrorRoutes.length).toBe(1);
    result = await reconcile({ spec, router, clock, status: result.status, commands: [{ type: command }] });
    expect(router.current.headerRoutes).toEqual([]);
    expect(router.current.mirrorRoutes).toEqual([]);
    expect(router.current.canaryWeight).toBe(0);
    expect(result.status.phase).toBe(command === 'abort' ? 'Degraded' : 'Healthy');
  });

  it('promote full removes managed routes at once', async () => {
    const clock = createFakeClock({ start: 0 });
    const router = createMemoryRouter();
    let result = await reconcile({ spec: dark, router, clock, stableRevision: 'v1' });
    result = await reconcile({ spec: dark, router, clock, status: result.status, commands: [{ type: 'promote', full: true }] });
    expect(router.current.headerRoutes).toEqual([]);
    expect(result.status.phase).toBe('Healthy');
  });

  it('a step without match removes the route; order follows managedRoutes', async () => {
    const spec = managed([
      { setMirrorRoute: { name: 'shadow', percentage: 20, match: [{ method: { exact: 'GET' } }] } },
      { setHeaderRoute: { name: 'dark', match: [{ headerName: 'x', headerValue: { prefix: 'a' } }] } },
      { pause: {} },
      { setHeaderRoute: { name: 'dark' } },
      { pause: {} },
    ]);
    const clock = createFakeClock({ start: 0 });
    const router = createMemoryRouter();
    let result = await reconcile({ spec, router, clock, stableRevision: 'v1' });
    expect(router.current.headerRoutes.map((r) => r.name)).toEqual(['dark']);
    expect(router.current.mirrorRoutes.map((r) => r.percentage)).toEqual([20]);
    result = await reconcile({ spec, router, clock, status: result.status, commands: [{ type: 'promote' }] });
    expect(router.current.headerRoutes).toEqual([]);
    expect(router.current.mirrorRoutes).toHaveLength(1);
  });
});

/** A workload whose pods become available `delayMs` after they are asked for, on the fake clock. */
function delayedWorkload(clock: { now(): number }, delayMs: number): Workload & { asked: WorkloadState[] } {
  const asked: WorkloadState[] = [];
  let target: WorkloadState | undefined;
  let since = 0;
  return {
    specificationVersion: 'v1',
    asked,
    async apply(desired) {
      asked.push(desired);
      target = desired;
      since = clock.now();
    },
    async observe(): Promise<WorkloadObservation> {
      const ready = clock.now() >= since + delayMs;
      const view = (t: { revision: string; replicas: number } | undefined) =>
        t ? { revision: t.revision, replicas: t.replicas, availableReplicas: ready ? t.replicas : 0 } : undefined;
      const stable = view(target?.stable);
      const canary = view(target?.canary);
      return { ...(stable ? { stable } : {}), ...(canary ? { canary } : {}), experiments: [] };
    },
  };
}

describe('setCanaryScale and readiness', () => {
  it('never sends traffic to a canary without available pods, and scales as setCanaryScale says', async () => {
    const clock = createFakeClock({ start: 0, auto: true });
    const router = createMemoryRouter();
    const workload = delayedWorkload(clock, 20_000);
    const spec = parseRollout({
      template: { spec: { image: 'v2' } },
      replicas: 10,
      strategy: {
        canary: {
          canaryService: 'c',
          stableService: 's',
          trafficRouting: istio,
          steps: [
            { setCanaryScale: { replicas: 3 } },
            { setWeight: 20 },
            { setCanaryScale: { matchTrafficWeight: true } },
            { setWeight: 50 },
          ],
        },
      },
    });
    const weightsAt: [number, number][] = [];
    const handle = createRollout({ spec, router, clock, workload, stableRevision: 'v1' });
    handle.on((event) => {
      if (event.reason === 'TrafficWeightUpdated') weightsAt.push([clock.now(), router.current.canaryWeight]);
    });
    const result = await handle.run();
    expect(result.outcome).toBe('Promoted');
    // matchTrafficWeight at 20% would want 2 pods, but 3 are up and the next step wants 5: no scale-down in between.
    // run() also waits out the 30 s scale-down delay of the old version, then scales it to 0.
    expect(workload.asked.map((w) => w.canary?.replicas)).toEqual([3, 5, 10, undefined, undefined]);
    expect(workload.asked.at(-1)?.retiring).toEqual([{ revision: 'v1', replicas: 0 }]);
    // No weight moved before pods were available; every weight is a setWeight reached or 100.
    for (const [, weight] of weightsAt) expect([0, 20, 50, 100]).toContain(weight);
    expect(weightsAt[0]).toEqual([0, 0]);
    expect(weightsAt.find(([, w]) => w === 20)?.[0]).toBeGreaterThanOrEqual(20_000);
  });
});

const blueGreen = (extra: object = {}) =>
  parseRollout({
    metadata: { name: 'mynode' },
    template: { spec: { image: 'quay.io/rhdevelopers/mynode:v2' } },
    strategy: { blueGreen: { activeService: 'my-service', previewService: 'my-service-preview', ...extra } },
  });

describe('blue/green', () => {
  it('previews, then switches the active revision in one traffic change', async () => {
    const router = createMemoryRouter();
    const spec = blueGreen();
    const result = await createRollout({
      spec,
      router,
      clock: createFakeClock({ start: 0, auto: true }),
      stableRevision: 'v1',
    }).run();
    expect(result.outcome).toBe('Promoted');
    expect(router.history.map((s) => [s.stableRevision, s.canaryRevision, s.canaryWeight])).toEqual([
      ['v1', spec.revision, 0],
      [spec.revision, spec.revision, 0],
    ]);
  });

  it('auto-promotes after exactly autoPromotionSeconds', async () => {
    const clock = createFakeClock({ start: 0, auto: true });
    const router = createMemoryRouter();
    const handle = createRollout({ spec: blueGreen({ autoPromotionSeconds: 90 }), router, clock, stableRevision: 'v1' });
    let switchedAt = -1;
    handle.on((event) => {
      if (event.reason === 'RolloutPromoted') switchedAt = clock.now();
    });
    await handle.run();
    expect(switchedAt).toBe(90_000);
  });

  it('waits for a human when autoPromotionEnabled is false', async () => {
    const clock = createFakeClock({ start: 0 });
    const router = createMemoryRouter();
    const spec = blueGreen({ autoPromotionEnabled: false });
    let result = await reconcile({ spec, router, clock, stableRevision: 'v1' });
    expect(result.status.message).toBe('BlueGreenPause');
    expect(result.requeueAfterMs).toBeUndefined();
    await clock.advance(86_400_000);
    result = await reconcile({ spec, router, clock, status: result.status });
    expect(router.current.stableRevision).toBe('v1');
    result = await reconcile({ spec, router, clock, status: result.status, commands: [{ type: 'promote' }] });
    expect(router.current.stableRevision).toBe(spec.revision);
    expect(result.status.phase).toBe('Healthy');
  });

  it('never switches when pre-promotion analysis fails', async () => {
    const router = createMemoryRouter();
    const analysis = createScriptedAnalysisRunner({
      script: () => ({ phase: 'Failed', afterMs: 30_000, message: 'smoke tests failed' }),
    });
    const spec = blueGreen({ prePromotionAnalysis: { templates: [{ templateName: 'smoke' }] } });
    const result = await createRollout({
      spec,
      router,
      analysis,
      clock: createFakeClock({ start: 0, auto: true }),
      stableRevision: 'v1',
    }).run();
    expect(result.outcome).toBe('Aborted');
    expect(result.status.abortMessage).toBe('Blue/green pre-promotion analysis phase failed: smoke tests failed');
    expect(router.history.every((s) => s.stableRevision === 'v1')).toBe(true);
    expect(analysis.started.map((r) => r.kind)).toEqual(['prePromotion']);
  });

  it('switches back when post-promotion analysis fails', async () => {
    const router = createMemoryRouter();
    const analysis = createScriptedAnalysisRunner({
      script: () => ({ phase: 'Failed', afterMs: 60_000, message: 'error rate 7%' }),
    });
    const spec = blueGreen({ postPromotionAnalysis: { templates: [{ templateName: 'success-rate' }] } });
    const result = await createRollout({
      spec,
      router,
      analysis,
      clock: createFakeClock({ start: 0, auto: true }),
      stableRevision: 'v1',
    }).run();
    expect(result.outcome).toBe('Aborted');
    expect(router.history.map((s) => s.stableRevision)).toEqual(['v1', spec.revision, 'v1']);
    expect((result.status as RolloutStatus).stableRevision).toBe('v1');
  });

  it('with previewReplicaCount, scales the preview to full size and then cuts over by itself', async () => {
    const clock = createFakeClock({ start: 0, auto: true });
    const router = createMemoryRouter();
    const workload = delayedWorkload(clock, 10_000);
    const spec = parseRollout({
      template: { spec: { image: 'v2' } },
      replicas: 4,
      strategy: { blueGreen: { activeService: 'active', previewService: 'preview', previewReplicaCount: 1 } },
    });
    const result = await createRollout({ spec, router, workload, clock, stableRevision: 'v1' }).run();
    expect(result.outcome).toBe('Promoted');
    expect(workload.asked.map((w) => w.canary?.replicas ?? w.stable?.replicas)).toContain(1);
    expect(workload.asked.some((w) => w.canary?.replicas === 4)).toBe(true);
    expect(router.current.stableRevision).toBe(spec.revision);
  });

  it('keeps the old version for scaleDownDelaySeconds after a successful post-promotion analysis', async () => {
    const clock = createFakeClock({ start: 0, auto: true });
    const router = createMemoryRouter();
    const workload = delayedWorkload(clock, 0);
    const analysis = createScriptedAnalysisRunner({ script: () => ({ phase: 'Successful', afterMs: 60_000 }) });
    const spec = blueGreen({
      postPromotionAnalysis: { templates: [{ templateName: 'success-rate' }] },
      scaleDownDelaySeconds: 120,
      previewReplicaCount: 1,
    });
    let completedAt = -1;
    const handle = createRollout({ spec, router, analysis, workload, clock, stableRevision: 'v1' });
    handle.on((event) => {
      if (event.reason === 'RolloutCompleted') completedAt = clock.now();
    });
    const result = await handle.run();
    expect(result.outcome).toBe('Promoted');
    expect(workload.asked[0]?.canary).toEqual({ revision: spec.revision, replicas: 1 });
    // The old version stays at full size for 120 s after post-promotion analysis passed, then goes.
    expect(workload.asked.some((w) => JSON.stringify(w.retiring) === JSON.stringify([{ revision: 'v1', replicas: 1 }]))).toBe(
      true,
    );
    expect(workload.asked.at(-1)?.retiring).toEqual([{ revision: 'v1', replicas: 0 }]);
    expect(clock.now() - completedAt).toBe(120_000);
  });
});

describe('progress deadline', () => {
  const stuck = (extra: object) =>
    parseRollout({
      template: { spec: { image: 'v2-with-a-typo' } },
      replicas: 4,
      ...extra,
      strategy: {
        canary: { canaryService: 'c', stableService: 's', trafficRouting: istio, steps: [{ setWeight: 25 }, { pause: {} }] },
      },
    });
  // Pods of the new revision never become available (an image that cannot be pulled).
  const neverReady: Workload = {
    specificationVersion: 'v1',
    apply: async () => {},
    observe: async () => ({ stable: { revision: 'v1', replicas: 4, availableReplicas: 4 }, experiments: [] }),
  };

  it('marks the rollout Degraded once pods have not come for progressDeadlineSeconds, traffic still on stable', async () => {
    const clock = createFakeClock({ start: 0 });
    const router = createMemoryRouter();
    const spec = stuck({ progressDeadlineSeconds: 120 });
    let result = await reconcile({ spec, router, clock, workload: neverReady, stableRevision: 'v1' });
    expect(result.status.phase).toBe('Progressing');
    expect(result.requeueAfterMs).toBe(5000);
    await clock.advance(119_000);
    result = await reconcile({ spec, router, clock, workload: neverReady, status: result.status });
    expect(result.status.phase).toBe('Progressing');
    await clock.advance(1000);
    result = await reconcile({ spec, router, clock, workload: neverReady, status: result.status });
    expect(result.status.phase).toBe('Degraded');
    expect(result.status.message).toBe(
      `ProgressDeadlineExceeded: canary revision ${spec.revision} has 0/1 pods available after 120s (progressDeadlineSeconds)`,
    );
    expect(result.events.map((e) => e.reason)).toEqual(['ProgressDeadlineExceeded']);
    expect(router.current.canaryWeight).toBe(0);
    expect(result.status.abort).toBe(false);
  });

  it('aborts with progressDeadlineAbort', async () => {
    const clock = createFakeClock({ start: 0, auto: true });
    const router = createMemoryRouter();
    const spec = stuck({ progressDeadlineSeconds: 300, progressDeadlineAbort: true });
    const result = await createRollout({ spec, router, clock, workload: neverReady, stableRevision: 'v1' }).run();
    expect(result.outcome).toBe('Aborted');
    expect(result.status.abortedAt).toBe(300_000);
    // run() also waits out abortScaleDownDelaySeconds (30 s) so the canary is scaled down.
    expect(clock.now()).toBe(330_000);
    expect(result.status.abortMessage).toMatch(
      /^ProgressDeadlineExceeded: canary revision \w+ has 0\/1 pods available after 300s/,
    );
  });
});

describe('rollbackWindow', () => {
  const version = (image: string, revisions?: number) =>
    parseRollout({
      template: { spec: { image } },
      ...(revisions === undefined ? {} : { rollbackWindow: { revisions } }),
      strategy: { canary: { canaryService: 'c', stableService: 's', steps: [{ setWeight: 20 }, { pause: {} }] } },
    });

  it('skips the steps when rolling back to one of the last N stable versions, and only then', async () => {
    const clock = createFakeClock({ start: 0 });
    const router = createMemoryRouter();
    const v2 = version('v2', 2);
    const v3 = version('v3', 2);
    let result = await reconcile({ spec: v2, router, clock, initialDeploy: true });
    result = await reconcile({ spec: v3, router, clock, status: result.status });
    result = await reconcile({ spec: v3, router, clock, status: result.status, commands: [{ type: 'promote' }] });
    expect(result.status.stableRevision).toBe(v3.revision);
    expect(result.status.previousStableRevisions).toEqual([v2.revision]);
    // Back to v2: within the window, no steps.
    result = await reconcile({ spec: version('v2', 2), router, clock, status: result.status });
    expect(result.events.map((e) => e.reason)).toContain('SkipSteps');
    expect(result.status).toMatchObject({ phase: 'Healthy', stableRevision: v2.revision });
    // Without a window the same rollback runs the steps.
    const noWindow = await reconcile({ spec: version('v3'), router, clock, status: result.status });
    expect(noWindow.status.phase).toBe('Paused');
  });
});
