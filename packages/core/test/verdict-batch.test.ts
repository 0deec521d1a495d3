import {
  applyIntentResult,
  heldIntentsStillWanted,
  type Intent,
  parseRollout,
  planRollout,
  type RolloutStatus,
  reconcile,
} from '@gradual/core';
import {
  createFakeClock,
  createMemoryRouter,
  createScriptedAnalysisRunner,
  type ScriptedRunOutcome,
} from '@gradual/core/testing';
import { describe, expect, it } from 'vitest';

// Step 1's pause ends at 10 s, just as the background run is due (polled every 10 s): the reconcile at 10 s gets
// a verdict batch (reconcile the run) with the step's traffic change held back behind it.
const spec = parseRollout({
  metadata: { name: 'demo' },
  kind: 'Rollout',
  spec: {
    template: { spec: { containers: [{ image: 'demo:2' }] } },
    strategy: {
      canary: {
        canaryService: 'c',
        stableService: 's',
        analysis: { templates: [{ templateName: 'success-rate' }] },
        steps: [{ setWeight: 20 }, { pause: { duration: '10s' } }, { setWeight: 40 }, { pause: {} }],
      },
    },
  },
});

async function atTenSeconds(outcome: ScriptedRunOutcome) {
  const clock = createFakeClock({ start: 0 });
  const router = createMemoryRouter();
  const analysis = createScriptedAnalysisRunner({ script: () => outcome });
  const first = await reconcile({ spec, router, clock, analysis, stableRevision: 'old' });
  expect(first.status.currentStepIndex).toBe(1);
  await clock.advance(10_000);
  const before = JSON.parse(JSON.stringify(first.status)) as RolloutStatus;
  const plan = planRollout({ spec, status: before, now: 10_000 });
  expect(plan.intents.map((intent) => intent.type)).toEqual(['reconcileAnalysis']);
  expect(plan.heldForVerdict?.map((intent) => intent.type)).toEqual(['applyTraffic']);
  return { clock, router, analysis, before, after: await reconcile({ spec, router, clock, analysis, status: before }) };
}

/** The same reconcile planned again after every batch: what the held intents must be equivalent to. */
async function replanningEveryBatch(status: RolloutStatus, outcome: ScriptedRunOutcome) {
  const clock = createFakeClock({ start: 10_000 });
  const router = createMemoryRouter();
  const analysis = createScriptedAnalysisRunner({ script: () => outcome });
  const options = { signal: new AbortController().signal, clock };
  let current = status;
  for (let pass = 0; pass < 10; pass++) {
    const plan = planRollout({ spec, status: current, now: 10_000 });
    current = plan.status;
    if (plan.intents.length === 0) return { status: current, router };
    for (const intent of plan.intents) {
      if (intent.type === 'applyTraffic') {
        const traffic = await router.apply(intent.state, options);
        current = applyIntentResult(current, intent, { ok: true, traffic }, 10_000).status;
      } else if (intent.type === 'reconcileAnalysis') {
        const run = await analysis.reconcile(intent.run, options);
        current = applyIntentResult(current, intent, { ok: true, run }, 10_000).status;
      } else throw new Error(`unexpected intent ${intent.type}`);
    }
  }
  throw new Error('did not settle');
}

describe('a verdict batch and the actions held behind it', () => {
  it('applies the held traffic in the same reconcile when the run keeps its phase, as planning again would', async () => {
    const { router, before, after } = await atTenSeconds({});
    expect(router.history.map((state) => state.canaryWeight)).toEqual([20, 40]);
    expect(after.status.currentStepIndex).toBe(3);
    expect(after.status.phase).toBe('Paused');
    const reference = await replanningEveryBatch(before, {});
    expect(after.status).toEqual(reference.status);
  });

  it('never applies the held traffic when the verdict fails the run: the rollout aborts to stable', async () => {
    const outcome: ScriptedRunOutcome = { phase: 'Failed', afterMs: 10_000, message: 'success-rate failed' };
    const { router, before, after } = await atTenSeconds(outcome);
    // 20 at step 0, then straight back to 0: 40 was held for the verdict and is never sent.
    expect(router.history.map((state) => state.canaryWeight)).toEqual([20, 0]);
    expect(after.status.abort).toBe(true);
    expect(after.status.currentStepIndex).toBe(0);
    const reference = await replanningEveryBatch(before, outcome);
    expect(after.status).toEqual(reference.status);
  });

  it('reads a run that is due again at once before it moves traffic', async () => {
    // A runner whose run, after this measurement, is due again now (another metric's first measurement): its
    // next answer is a failure. Planning again reads it before the held weight; so must the runner.
    const clock = createFakeClock({ start: 0 });
    const router = createMemoryRouter();
    const scripted = createScriptedAnalysisRunner({ script: () => ({}) });
    let reconciles = 0;
    const analysis = {
      ...scripted,
      async reconcile(run: Parameters<typeof scripted.reconcile>[0], options: Parameters<typeof scripted.reconcile>[1]) {
        reconciles++;
        const next = await scripted.reconcile(run, options);
        if (reconciles === 1) return { ...next, nextReconcileAt: options.clock.now() };
        return { ...next, phase: 'Failed' as const, message: 'the second metric failed' };
      },
    };
    const first = await reconcile({ spec, router, clock, analysis, stableRevision: 'old' });
    await clock.advance(10_000);
    const after = await reconcile({ spec, router, clock, analysis, status: first.status });
    expect(reconciles).toBe(2);
    expect(router.history.map((state) => state.canaryWeight)).toEqual([20, 0]);
    expect(after.status.abort).toBe(true);
  });

  describe('heldIntentsStillWanted', () => {
    const run = (phase: string, nextReconcileAt?: number) => ({
      kind: 'background',
      state: { name: 'r', phase, ...(nextReconcileAt === undefined ? {} : { nextReconcileAt }) },
      checkedAt: 0,
    });
    const status = (phase: string, extra: Partial<RolloutStatus> = {}, nextReconcileAt = 20_000) =>
      ({ analysisRuns: [run(phase, nextReconcileAt)], ...extra }) as unknown as RolloutStatus;
    const reconcileRun: Intent = { type: 'reconcileAnalysis', name: 'r', run: { name: 'r', phase: 'Running' } };
    const traffic = { type: 'applyTraffic', state: {} } as unknown as Intent;
    const held = [traffic];
    const wanted = (over: Partial<Parameters<typeof heldIntentsStillWanted>[0]>) =>
      heldIntentsStillWanted({
        batch: [reconcileRun],
        held,
        before: status('Running'),
        after: status('Running'),
        now: 10_000,
        ...over,
      });

    it('holds when every reconciled run kept its phase, is not due again, and nothing else fell due', () => {
      expect(wanted({})).toBe(true);
      expect(wanted({ wakeAt: 10_001 })).toBe(true);
    });
    it('plans again on a verdict, a new run, a vanished run or a runner error', () => {
      expect(wanted({ after: status('Successful') })).toBe(false);
      expect(wanted({ batch: [{ type: 'startAnalysis', request: { name: 'r' } } as unknown as Intent] })).toBe(false);
      expect(wanted({ after: { analysisRuns: [] } as unknown as RolloutStatus })).toBe(false);
      const failure = { analysisError: { message: 'down', retryable: true, retryAt: 1, attempts: 1, since: 0 } };
      expect(wanted({ before: status('Running', failure as never) })).toBe(false);
      expect(wanted({ after: status('Running', failure as never) })).toBe(false);
    });
    it('plans again when the run is due again, something else fell due meanwhile, or traffic was drift', () => {
      expect(wanted({ after: status('Running', {}, 10_000) })).toBe(false);
      // No next time from the runner: polled 10 s after it was checked (at 0), so due at 10 s.
      expect(wanted({ after: { analysisRuns: [run('Running')] } as unknown as RolloutStatus })).toBe(false);
      expect(wanted({ wakeAt: 10_000 })).toBe(false);
      expect(wanted({ held: [{ ...traffic, drifted: true } as Intent] })).toBe(false);
    });
  });
});
