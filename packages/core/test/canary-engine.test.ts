import { createRollout, parseRollout, type RolloutEvent, reconcile, TrafficRouterError, ValidationError } from '@gradual/core';
import { createFakeClock, createMemoryRouter, createScriptedAnalysisRunner } from '@gradual/core/testing';
import { describe, expect, it } from 'vitest';
import { seed } from './support.js';

const rollout = (steps: object[], extra: object = {}) =>
  parseRollout({
    metadata: { name: 'demo' },
    kind: 'Rollout',
    spec: {
      template: { spec: { containers: [{ image: 'demo:2' }] } },
      strategy: { canary: { canaryService: 'c', stableService: 's', steps, ...extra } },
    },
  });

describe('canary engine', () => {
  it('waits on a pause without duration until promoted', async () => {
    const clock = createFakeClock({ start: 0 });
    const router = createMemoryRouter();
    const spec = rollout([{ setWeight: 10 }, { pause: {} }, { setWeight: 60 }]);
    let result = await reconcile({ spec, router, clock, stableRevision: 'old' });
    expect(result.status.phase).toBe('Paused');
    expect(result.status.message).toBe('CanaryPauseStep');
    expect(result.requeueAfterMs).toBeUndefined();
    expect(result.status.pauseConditions).toEqual([{ reason: 'CanaryPauseStep', startTime: 0 }]);
    await clock.advance(3_600_000);
    result = await reconcile({ spec, router, clock, status: result.status });
    expect(result.status.currentStepIndex).toBe(1);
    result = await reconcile({ spec, router, clock, status: result.status, commands: [{ type: 'promote' }] });
    expect(router.history.map((s) => s.canaryWeight)).toEqual([10, 60, 100, 0]);
    expect(result.status.phase).toBe('Healthy');
  });

  it('promote skips a step that is not a pause; promote full skips the rest', async () => {
    const clock = createFakeClock({ start: 0 });
    const router = createMemoryRouter();
    const analysis = createScriptedAnalysisRunner({ script: () => ({}) }); // runs never end by themselves
    const spec = rollout([
      { setWeight: 10 },
      { analysis: { templates: [{ templateName: 't' }] } },
      { setWeight: 30 },
      { pause: {} },
      { setWeight: 60 },
    ]);
    let result = await reconcile({ spec, router, clock, analysis, stableRevision: 'old' });
    expect(result.status.currentStepIndex).toBe(1);
    expect(analysis.started).toHaveLength(1);
    result = await reconcile({ spec, router, clock, analysis, status: result.status, commands: [{ type: 'promote' }] });
    // The skipped step's run is terminated, the next weight applied, and the pause reached.
    expect(analysis.terminated).toEqual([analysis.started[0]?.name]);
    expect(result.status.currentStepIndex).toBe(3);
    expect(router.current.canaryWeight).toBe(30);
    result = await reconcile({
      spec,
      router,
      clock,
      analysis,
      status: result.status,
      commands: [{ type: 'promote', full: true }],
    });
    expect(router.history.map((s) => s.canaryWeight)).toEqual([10, 30, 0]);
    expect(router.current.stableRevision).toBe(spec.revision);
    expect(result.status.phase).toBe('Healthy');
  });

  it('aborts on a failed step analysis, naming the reason, and retry starts over with a fresh run', async () => {
    const clock = createFakeClock({ start: 0 });
    const router = createMemoryRouter();
    let fail = true;
    const analysis = createScriptedAnalysisRunner({
      script: () =>
        fail
          ? {
              phase: 'Failed',
              afterMs: 30_000,
              message: 'Metric "success-rate" assessed Failed due to failed (3) > failureLimit (2)',
            }
          : { phase: 'Successful' },
    });
    const spec = rollout(
      [{ setWeight: 20 }, { analysis: { templates: [{ templateName: 'success-rate' }] } }, { setWeight: 50 }],
      { trafficRouting: { istio: { virtualService: { name: 'vs' } }, managedRoutes: [{ name: 'hdr' }] } },
    );
    const handle = createRollout({
      spec,
      router,
      clock: createFakeClock({ start: 0, auto: true }),
      analysis,
      stableRevision: 'old',
    });
    const result = await handle.run();
    expect(result.outcome).toBe('Aborted');
    expect(result.status.phase).toBe('Degraded');
    expect(result.status.message).toContain('Step-based analysis phase failed: Metric "success-rate" assessed Failed');
    expect(router.current).toMatchObject({ canaryWeight: 0, stableRevision: 'old', headerRoutes: [], mirrorRoutes: [] });
    fail = false;
    handle.retry();
    const retried = await handle.run();
    expect(retried.outcome).toBe('Promoted');
    expect(analysis.started.map((r) => r.name)).toHaveLength(2);
    expect(new Set(analysis.started.map((r) => r.name)).size).toBe(2);
    expect(router.history.map((s) => s.canaryWeight)).toEqual([20, 0, 20, 50, 100, 0]);
    void clock;
  });

  it('pauses on an inconclusive analysis and moves on when promoted', async () => {
    const clock = createFakeClock({ start: 0 });
    const router = createMemoryRouter();
    const analysis = createScriptedAnalysisRunner({ script: () => ({ phase: 'Inconclusive' }) });
    const spec = rollout([{ setWeight: 20 }, { analysis: { templates: [{ templateName: 't' }] } }, { setWeight: 50 }]);
    let result = await reconcile({ spec, router, clock, analysis, stableRevision: 'old' });
    expect(result.status.phase).toBe('Paused');
    expect(result.status.message).toBe('InconclusiveAnalysisRun');
    result = await reconcile({ spec, router, clock, analysis, status: result.status, commands: [{ type: 'promote' }] });
    expect(router.history.map((s) => s.canaryWeight)).toEqual([20, 50, 100, 0]);
    expect(result.status.phase).toBe('Healthy');
  });

  it('runs background analysis from startingStep and aborts when it fails', async () => {
    const clock = createFakeClock({ start: 0, auto: true });
    const router = createMemoryRouter();
    const analysis = createScriptedAnalysisRunner({
      script: () => ({ phase: 'Error', afterMs: 45_000, message: 'consecutiveErrors (5) > consecutiveErrorLimit (4)' }),
    });
    const spec = rollout([{ setWeight: 20 }, { pause: { duration: '30s' } }, { setWeight: 40 }, { pause: { duration: '1m' } }], {
      analysis: { templates: [{ templateName: 't' }], startingStep: 2 },
    });
    const events: RolloutEvent[] = [];
    const handle = createRollout({ spec, router, clock, analysis, stableRevision: 'old' });
    handle.on((event) => events.push(event));
    const result = await handle.run();
    expect(result.outcome).toBe('Aborted');
    expect(analysis.started.map((r) => r.kind)).toEqual(['background']);
    // Started at step 2 (30 s in), failed 45 s later.
    expect(clock.now()).toBe(75_000);
    expect(result.status.abortMessage).toBe('Background analysis phase error: consecutiveErrors (5) > consecutiveErrorLimit (4)');
    expect(router.history.map((s) => s.canaryWeight)).toEqual([20, 40, 0]);
    expect(events.some((e) => e.reason === 'RolloutAborted' && e.type === 'Warning')).toBe(true);
  });

  it('terminates background analysis when the rollout completes', async () => {
    const analysis = createScriptedAnalysisRunner({ script: () => ({}) });
    const spec = parseRollout(seed('rollout-analysis.yaml'));
    const result = await createRollout({
      spec,
      router: createMemoryRouter(),
      clock: createFakeClock({ start: 0, auto: true }),
      analysis,
      stableRevision: 'old',
    }).run();
    expect(result.outcome).toBe('Promoted');
    expect(analysis.started).toHaveLength(1);
    expect(analysis.started[0]?.args).toEqual([{ name: 'service-name', value: 'rollouts-demo-canary.canary.svc.cluster.local' }]);
    expect(analysis.terminated).toEqual([analysis.started[0]?.name]);
    expect(result.status.analysisRuns).toEqual([]);
  });

  it('abort sends traffic back to stable, removes managed routes and keeps the reason', async () => {
    const clock = createFakeClock({ start: 0 });
    const router = createMemoryRouter();
    const spec = rollout(
      [
        { setWeight: 30 },
        { setHeaderRoute: { name: 'hdr', match: [{ headerName: 'end-user', headerValue: { exact: 'Alexandra' } }] } },
        { pause: {} },
      ],
      { trafficRouting: { istio: { virtualService: { name: 'vs' } }, managedRoutes: [{ name: 'hdr' }] } },
    );
    let result = await reconcile({ spec, router, clock, stableRevision: 'old' });
    expect(router.current.headerRoutes).toHaveLength(1);
    result = await reconcile({
      spec,
      router,
      clock,
      status: result.status,
      commands: [{ type: 'abort', reason: 'p99 latency regressed' }],
    });
    expect(router.current).toEqual({
      canaryWeight: 0,
      stableRevision: 'old',
      canaryRevision: 'old',
      headerRoutes: [],
      mirrorRoutes: [],
      experiments: [],
    });
    expect(result.status).toMatchObject({
      phase: 'Degraded',
      abort: true,
      abortMessage: 'p99 latency regressed',
      currentStepIndex: 0,
    });
    expect(result.status.message).toBe(
      `RolloutAborted: Rollout aborted update to revision ${spec.revision}: p99 latency regressed`,
    );
  });

  it('restarts at step 0 when the template or the steps change, and skips steps on a rollback to stable', async () => {
    const clock = createFakeClock({ start: 0 });
    const router = createMemoryRouter();
    const v2 = rollout([{ setWeight: 20 }, { pause: {} }, { setWeight: 50 }, { pause: {} }]);
    let result = await reconcile({ spec: v2, router, clock, stableRevision: 'old' });
    result = await reconcile({ spec: v2, router, clock, status: result.status, commands: [{ type: 'promote' }] });
    expect(result.status.currentStepIndex).toBe(3);
    const v2b = rollout([{ setWeight: 10 }, { pause: {} }, { setWeight: 50 }, { pause: {} }]);
    result = await reconcile({ spec: v2b, router, clock, status: result.status });
    expect(result.status.currentStepIndex).toBe(1);
    expect(router.current.canaryWeight).toBe(10);
    expect(result.events.map((e) => e.reason)).toContain('RolloutUpdated');
    // Back to the stable template: no steps, all on stable.
    const back = { ...v2b, revision: 'old' };
    result = await reconcile({ spec: back, router, clock, status: result.status });
    expect(result.events.map((e) => e.reason)).toContain('SkipSteps');
    expect(router.current).toMatchObject({ canaryWeight: 0, stableRevision: 'old', canaryRevision: 'old' });
    expect(result.status.phase).toBe('Healthy');
  });

  it('keeps the step when the router fails, reports it, and retries with backoff on the clock', async () => {
    const clock = createFakeClock({ start: 0 });
    const router = createMemoryRouter();
    router.failNext(new TrafficRouterError('memory', 'VirtualService default/vs: 503 from the API server'), 2);
    const spec = rollout([{ setWeight: 20 }, { setWeight: 40 }]);
    let result = await reconcile({ spec, router, clock, stableRevision: 'old' });
    expect(result.status.currentStepIndex).toBe(0);
    expect(result.status.trafficError).toMatchObject({ attempts: 1, retryAt: 1000 });
    expect(result.status.message).toBe('TrafficRoutingError: VirtualService default/vs: 503 from the API server');
    expect(result.events.find((e) => e.reason === 'TrafficRoutingError')?.type).toBe('Warning');
    expect(result.requeueAfterMs).toBe(1000);
    // Not yet due: nothing is tried.
    result = await reconcile({ spec, router, clock, status: result.status });
    expect(router.calls).toHaveLength(1);
    await clock.advance(1000);
    result = await reconcile({ spec, router, clock, status: result.status });
    expect(result.status.trafficError).toMatchObject({ attempts: 2, retryAt: 3000 });
    await clock.advance(2000);
    result = await reconcile({ spec, router, clock, status: result.status });
    expect(result.status.trafficError).toBeUndefined();
    expect(result.status.phase).toBe('Healthy');
    expect(router.history.map((s) => s.canaryWeight)).toEqual([20, 40, 100, 0]);
  });

  it('refuses a router without header routes before any traffic moves', async () => {
    const router = createMemoryRouter({ name: 'plain-service', capabilities: { headerRoutes: false } });
    const spec = rollout(
      [{ setWeight: 5 }, { setHeaderRoute: { name: 'hdr', match: [{ headerName: 'x', headerValue: { exact: '1' } }] } }],
      {
        trafficRouting: { istio: { virtualService: { name: 'vs' } }, managedRoutes: [{ name: 'hdr' }] },
      },
    );
    await expect(reconcile({ spec, router, clock: createFakeClock({ start: 0 }) })).rejects.toThrow(
      'spec.strategy.canary.steps[1].setHeaderRoute needs header routes, which traffic router "plain-service" does not support',
    );
    expect(router.calls).toHaveLength(0);
  });

  it('stops promptly on an aborted signal, leaving a status that resumes', async () => {
    const clock = createFakeClock({ start: 0, auto: true });
    const router = createMemoryRouter();
    const controller = new AbortController();
    const spec = parseRollout(seed('rollout-canary.yaml'));
    const handle = createRollout({ spec, router, clock, signal: controller.signal, stableRevision: 'old' });
    handle.on((event) => {
      if (event.reason === 'RolloutStepCompleted' && event.stepIndex === 1) controller.abort();
    });
    await expect(handle.run()).rejects.toThrow(/cancelled/);
    const saved = JSON.parse(JSON.stringify(handle.status));
    const resumed = await createRollout({ spec, router, clock, status: saved }).run();
    expect(resumed.outcome).toBe('Promoted');
    expect(router.history.map((s) => s.canaryWeight)).toEqual([20, 50, 100, 0]);
  });

  it('is idempotent: a second reconcile with the same inputs changes nothing and calls nothing', async () => {
    const clock = createFakeClock({ start: 0 });
    const router = createMemoryRouter();
    const analysis = createScriptedAnalysisRunner({ script: () => ({}) });
    const spec = parseRollout(seed('rollout-analysis.yaml'));
    const first = await reconcile({ spec, router, clock, analysis, stableRevision: 'old' });
    const calls = router.calls.length;
    const second = await reconcile({ spec, router, clock, analysis, status: JSON.parse(JSON.stringify(first.status)) });
    expect(second.status).toEqual(first.status);
    expect(second.events).toEqual([]);
    expect(router.calls.length).toBe(calls);
    expect(analysis.started).toHaveLength(1);
  });
});

describe('commands on an aborted rollout', () => {
  const spec = parseRollout({
    template: { spec: { image: 'v2' } },
    strategy: { canary: { canaryService: 'c', stableService: 's', steps: [{ setWeight: 20 }, { pause: {} }] } },
  });

  it('promote is refused with a warning; promote full clears the abort and promotes', async () => {
    const clock = createFakeClock({ start: 0 });
    const router = createMemoryRouter();
    let result = await reconcile({ spec, router, clock, stableRevision: 'v1', commands: [] });
    result = await reconcile({ spec, router, clock, status: result.status, commands: [{ type: 'abort' }] });
    result = await reconcile({ spec, router, clock, status: result.status, commands: [{ type: 'promote' }] });
    expect(result.events[0]).toMatchObject({ reason: 'PromoteRefused', type: 'Warning' });
    expect(result.status.abort).toBe(true);
    result = await reconcile({ spec, router, clock, status: result.status, commands: [{ type: 'promote', full: true }] });
    expect(result.status).toMatchObject({ abort: false, phase: 'Healthy', stableRevision: spec.revision });
    expect(result.status.abortMessage).toBeUndefined();
    expect(router.current.stableRevision).toBe(spec.revision);
  });

  it('a resumed inconclusive background run is replaced by a fresh one', async () => {
    const clock = createFakeClock({ start: 0 });
    const router = createMemoryRouter();
    const analysis = createScriptedAnalysisRunner({
      script: (_r, i) => (i === 0 ? { phase: 'Inconclusive', afterMs: 10_000 } : {}),
    });
    const withBackground = parseRollout({
      template: { spec: { image: 'v2' } },
      strategy: {
        canary: {
          canaryService: 'c',
          stableService: 's',
          steps: [{ setWeight: 20 }, { pause: {} }],
          analysis: { templates: [{ templateName: 'bg' }] },
        },
      },
    });
    let result = await reconcile({ spec: withBackground, router, clock, analysis, stableRevision: 'v1' });
    await clock.advance(10_000);
    result = await reconcile({ spec: withBackground, router, clock, analysis, status: result.status });
    expect(result.status.pauseConditions.map((c) => c.reason)).toContain('InconclusiveAnalysisRun');
    // One promote answers both: the inconclusive background run is replaced and the pause step ends.
    result = await reconcile({
      spec: withBackground,
      router,
      clock,
      analysis,
      status: result.status,
      commands: [{ type: 'promote' }],
    });
    expect(analysis.started).toHaveLength(2);
    expect(analysis.started[1]?.name).not.toBe(analysis.started[0]?.name);
    expect(result.status.phase).toBe('Healthy');
    expect(router.history.map((s) => s.canaryWeight)).toEqual([20, 100, 0]);
  });
});

describe('createRollout events', () => {
  it('are an async iterable that ends with the run, and listeners can unsubscribe', async () => {
    const spec = parseRollout(seed('rollout-canary.yaml'));
    const handle = createRollout({
      spec,
      router: createMemoryRouter(),
      clock: createFakeClock({ start: 0, auto: true }),
      stableRevision: 'v1',
    });
    const heard: string[] = [];
    const unsubscribe = handle.on((event) => heard.push(event.reason));
    const iterated: string[] = [];
    const consumer = (async () => {
      for await (const event of handle) iterated.push(event.reason);
    })();
    const result = await handle.run();
    await consumer;
    expect(result.outcome).toBe('Promoted');
    expect(iterated).toEqual(heard);
    expect(iterated.filter((reason) => reason === 'RolloutStepCompleted')).toHaveLength(4);
    // Completed, then the final traffic change that puts everything on the new stable.
    expect(iterated.slice(-2)).toEqual(['RolloutCompleted', 'TrafficWeightUpdated']);
    unsubscribe();
    expect(handle.status?.phase).toBe('Healthy');
  });

  it('refuses a second concurrent run', async () => {
    const spec = parseRollout(seed('rollout-canary.yaml'));
    const handle = createRollout({
      spec,
      router: createMemoryRouter(),
      clock: createFakeClock({ start: 0, auto: true }),
      stableRevision: 'v1',
    });
    const first = handle.run();
    await expect(handle.run()).rejects.toThrow(/already running/);
    await first;
  });
});

describe('review findings', () => {
  it('an inconclusive background analysis holds the steps until promoted', async () => {
    const clock = createFakeClock({ start: 0 });
    const router = createMemoryRouter();
    const analysis = createScriptedAnalysisRunner({ script: (_r, i) => (i === 0 ? { phase: 'Inconclusive' } : {}) });
    const spec = rollout([{ setWeight: 10 }, { setWeight: 50 }, { setWeight: 80 }], {
      analysis: { templates: [{ templateName: 't' }] },
    });
    let result = await reconcile({ spec, router, clock, analysis, stableRevision: 'old' });
    expect(router.history.map((s) => s.canaryWeight)).toEqual([10]);
    expect(result.status.phase).toBe('Paused');
    expect(result.status.message).toBe('InconclusiveAnalysisRun');
    result = await reconcile({ spec, router, clock, analysis, status: result.status, commands: [{ type: 'promote' }] });
    expect(router.history.map((s) => s.canaryWeight)).toEqual([10, 50, 80, 100, 0]);
    expect(analysis.started).toHaveLength(2);
  });

  it('does not raise traffic in the same batch as a failing verdict', async () => {
    const clock = createFakeClock({ start: 0 });
    const router = createMemoryRouter();
    const analysis = createScriptedAnalysisRunner({ script: () => ({ phase: 'Failed', afterMs: 60_000, message: 'bad' }) });
    const spec = rollout([{ setWeight: 20 }, { pause: { duration: 60 } }, { setWeight: 50 }, { pause: {} }], {
      analysis: { templates: [{ templateName: 't' }] },
    });
    let result = await reconcile({ spec, router, clock, analysis, stableRevision: 'old' });
    await clock.advance(60_000);
    result = await reconcile({ spec, router, clock, analysis, status: result.status });
    expect(router.history.map((s) => s.canaryWeight)).toEqual([20, 0]);
    expect(result.status.abort).toBe(true);
  });

  it('a manual pause keeps the step analysis running', async () => {
    const clock = createFakeClock({ start: 0 });
    const router = createMemoryRouter();
    const analysis = createScriptedAnalysisRunner({ script: () => ({}) });
    const spec = rollout([{ setWeight: 25 }, { analysis: { templates: [{ templateName: 't' }] } }]);
    let result = await reconcile({ spec, router, clock, analysis, stableRevision: 'old' });
    result = await reconcile({ spec: { ...spec, paused: true }, router, clock, analysis, status: result.status });
    expect(result.status.phase).toBe('Paused');
    result = await reconcile({ spec, router, clock, analysis, status: result.status });
    expect(analysis.started).toHaveLength(1);
    expect(analysis.terminated).toEqual([]);
  });

  it('an analysis runner that throws is retried with backoff, not taken as a failed analysis', async () => {
    const clock = createFakeClock({ start: 0 });
    const router = createMemoryRouter();
    const inner = createScriptedAnalysisRunner({ script: () => ({ phase: 'Successful', afterMs: 0 }) });
    let failures = 2;
    const analysis = {
      ...inner,
      start: async (...args: Parameters<typeof inner.start>) => {
        if (failures-- > 0) throw new Error('analysis API unavailable');
        return inner.start(...args);
      },
    };
    const spec = rollout([{ setWeight: 25 }, { analysis: { templates: [{ templateName: 't' }] } }, { setWeight: 50 }]);
    let result = await reconcile({ spec, router, clock, analysis, stableRevision: 'old' });
    expect(result.status.analysisError).toMatchObject({
      attempts: 1,
      message: expect.stringContaining('analysis API unavailable'),
    });
    expect(result.status.abort).toBe(false);
    expect(result.requeueAfterMs).toBe(1000);
    await clock.advance(1000);
    result = await reconcile({ spec, router, clock, analysis, status: result.status });
    expect(result.status.analysisError?.attempts).toBe(2);
    await clock.advance(2000);
    result = await reconcile({ spec, router, clock, analysis, status: result.status });
    expect(result.status.analysisError).toBeUndefined();
    expect(result.status.phase).toBe('Healthy');
  });

  it('a failing Workload.apply backs off instead of spinning', async () => {
    const clock = createFakeClock({ start: 0 });
    const router = createMemoryRouter();
    let applies = 0;
    const workload = {
      specificationVersion: 'v1' as const,
      apply: async () => {
        applies++;
        throw new Error('deployments.apps "demo" is forbidden');
      },
      observe: async () => ({ stable: { revision: 'old', replicas: 1, availableReplicas: 1 }, experiments: [] }),
    };
    const spec = rollout([{ setWeight: 25 }]);
    const result = await reconcile({ spec, router, clock, workload, stableRevision: 'old' });
    expect(applies).toBe(1);
    expect(result.status.workloadError).toMatchObject({ attempts: 1, retryAt: 1000 });
    expect(result.requeueAfterMs).toBe(1000);
  });
});

describe('checks before step 1', () => {
  const spec = rollout([
    { setWeight: 20 },
    { pause: { duration: 60 } },
    { analysis: { templates: [{ templateName: 'sucess-rate' }] } },
  ]);

  it('refuses a spec with analysis when no runner is given, before any traffic moves', async () => {
    const router = createMemoryRouter();
    await expect(reconcile({ spec, router, clock: createFakeClock({ start: 0 }), stableRevision: 'v1' })).rejects.toThrow(
      /spec\.strategy\.canary\.steps\[2\]\.analysis asks for analysis, but no analysis runner was given/,
    );
    expect(router.calls).toHaveLength(0);
  });

  it('refuses a run the runner could not start (a template typo), naming the step', async () => {
    const router = createMemoryRouter();
    const analysis = {
      ...createScriptedAnalysisRunner(),
      validate: async (request: { templates: { templateName: string }[] }) => {
        const unknown = request.templates.find((t) => t.templateName !== 'success-rate');
        if (unknown)
          throw new ValidationError('analysis', [
            { path: 'templates[0].templateName', message: `no AnalysisTemplate named "${unknown.templateName}"` },
          ]);
      },
    };
    const error = await reconcile({ spec, router, analysis, clock: createFakeClock({ start: 0 }), stableRevision: 'v1' }).catch(
      (e: unknown) => e,
    );
    expect(ValidationError.isValidationError(error)).toBe(true);
    expect((error as ValidationError).issues).toEqual([
      {
        path: 'spec.strategy.canary.steps[2].analysis: templates[0].templateName',
        message: 'no AnalysisTemplate named "sucess-rate"',
      },
    ]);
    expect(router.calls).toHaveLength(0);
  });
});

describe('traffic verification', () => {
  it('puts back a weight someone changed by hand, and says so', async () => {
    const clock = createFakeClock({ start: 0 });
    const router = createMemoryRouter();
    const spec = rollout([{ setWeight: 20 }, { pause: {} }]);
    let result = await reconcile({ spec, router, clock, stableRevision: 'v1' });
    // Someone edits the VirtualService by hand.
    await router.apply({ ...router.current, canaryWeight: 70 }, { signal: new AbortController().signal, clock });
    result = await reconcile({ spec, router, clock, status: result.status });
    expect(router.current.canaryWeight).toBe(70); // not asked to verify: one reconcile, no read
    result = await reconcile({ spec, router, clock, status: result.status, verifyTraffic: true });
    expect(router.current.canaryWeight).toBe(20);
    expect(result.events.find((e) => e.reason === 'TrafficDrift')).toMatchObject({
      type: 'Warning',
      message: 'traffic drifted: router "memory" has canary 70% and experiments 0%, the rollout set 20% and 0%; putting it back',
    });
    // Nothing drifted: verification reads and changes nothing.
    const calls = router.calls.length;
    const again = await reconcile({ spec, router, clock, status: result.status, verifyTraffic: true });
    expect(again.events).toEqual([]);
    expect(router.calls.length).toBe(calls);
  });
});

describe('second review findings', () => {
  it('a command sent with a new spec acts on the new revision', async () => {
    const clock = createFakeClock({ start: 0 });
    const router = createMemoryRouter();
    const v2 = rollout([{ setWeight: 20 }, { pause: {} }]);
    let result = await reconcile({ spec: v2, router, clock, stableRevision: 'v1' });
    const v3 = parseRollout({ template: { spec: { containers: [{ image: 'demo:3' }] } }, strategy: v2.strategy });
    result = await reconcile({ spec: v3, router, clock, status: result.status, commands: [{ type: 'abort', reason: 'stop' }] });
    expect(result.status).toMatchObject({ abort: true, abortMessage: 'stop', currentRevision: v3.revision, phase: 'Degraded' });
    expect(router.current.canaryWeight).toBe(0);
  });

  it('reports the status a command left before any adapter is called, so a cancellation cannot lose it', async () => {
    const clock = createFakeClock({ start: 0 });
    const router = createMemoryRouter();
    const spec = rollout([{ setWeight: 20 }, { pause: {} }]);
    const first = await reconcile({ spec, router, clock, stableRevision: 'v1' });
    const controller = new AbortController();
    const seen: boolean[] = [];
    await expect(
      reconcile({
        spec,
        router,
        clock,
        status: first.status,
        signal: controller.signal,
        commands: [{ type: 'abort', reason: 'bad canary' }],
        onProgress: ({ intent, status }) => {
          seen.push(status.abort);
          if (!intent) controller.abort(); // dies right after the command, before traffic moves
        },
      }),
    ).rejects.toThrow(/cancelled/);
    expect(seen).toEqual([true]);
  });
});

describe('analysis args from the Rollout (valueFrom.fieldRef)', () => {
  it('resolves metadata and spec paths as Argo does', async () => {
    const spec = parseRollout({
      kind: 'Rollout',
      metadata: {
        name: 'guestbook',
        namespace: 'shop',
        labels: { region: 'us-east-1' },
        annotations: { 'team.io/owner': 'payments' },
      },
      spec: {
        template: { metadata: { labels: { version: 'v2' } }, spec: {} },
        strategy: {
          canary: {
            steps: [
              {
                analysis: {
                  templates: [{ templateName: 'web-check' }],
                  args: [
                    { name: 'region', valueFrom: { fieldRef: { fieldPath: "metadata.labels['region']" } } },
                    { name: 'owner', valueFrom: { fieldRef: { fieldPath: "metadata.annotations['team.io/owner']" } } },
                    { name: 'ns', valueFrom: { fieldRef: { fieldPath: 'metadata.namespace' } } },
                    { name: 'version', valueFrom: { fieldRef: { fieldPath: 'spec.template.metadata.labels.version' } } },
                    { name: 'missing', valueFrom: { fieldRef: { fieldPath: 'status.alb.canaryTargetGroup.name' } } },
                  ],
                },
              },
            ],
          },
        },
      },
    });
    const analysis = createScriptedAnalysisRunner({ script: () => ({}) });
    await reconcile({ spec, router: createMemoryRouter(), analysis, clock: createFakeClock({ start: 0 }), stableRevision: 'v1' });
    expect(analysis.started[0]?.args).toEqual([
      { name: 'region', value: 'us-east-1' },
      { name: 'owner', value: 'payments' },
      { name: 'ns', value: 'shop' },
      { name: 'version', value: 'v2' },
      // Not something a library can see: left for the runner to report as unresolved, by name.
      { name: 'missing', valueFrom: { fieldRef: { fieldPath: 'status.alb.canaryTargetGroup.name' } } },
    ]);
  });
});
