import {
  type CanaryStep,
  parseRollout,
  type RolloutCommand,
  type RolloutStatus,
  reconcile,
  ValidationError,
} from '@gradual/core';
import {
  createFakeClock,
  createMemoryRouter,
  createScriptedAnalysisRunner,
  type ScriptedRunOutcome,
} from '@gradual/core/testing';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

const stepArbitrary = fc.oneof(
  fc.integer({ min: 0, max: 100 }).map((setWeight) => ({ setWeight })),
  fc
    .option(fc.integer({ min: 0, max: 120 }), { nil: undefined })
    .map((seconds) => ({ pause: seconds === undefined ? {} : { duration: `${seconds}s` } })),
  fc.constant({ analysis: { templates: [{ templateName: 'success-rate' }] } }),
  fc.oneof(
    fc.integer({ min: 0, max: 10 }).map((replicas) => ({ setCanaryScale: { replicas } })),
    fc.integer({ min: 0, max: 100 }).map((weight) => ({ setCanaryScale: { weight } })),
    fc.constant({ setCanaryScale: { matchTrafficWeight: true } }),
  ),
  fc
    .record({ weight: fc.integer({ min: 0, max: 20 }), analysis: fc.boolean(), minutes: fc.integer({ min: 0, max: 5 }) })
    .map((e) => ({
      experiment: {
        ...(e.minutes ? { duration: `${e.minutes}m` } : {}),
        templates: [
          { name: 'baseline', specRef: 'stable', weight: e.weight },
          { name: 'canary', specRef: 'canary', weight: e.weight },
        ],
        ...(e.analysis || !e.minutes
          ? { analyses: [{ name: 'compare', templateName: 'compare', requiredForCompletion: true }] }
          : {}),
      },
    })),
  fc
    .constantFrom('hdr', 'mirror')
    .map((name) =>
      name === 'hdr'
        ? { setHeaderRoute: { name, match: [{ headerName: 'end-user', headerValue: { exact: 'Alexandra' } }] } }
        : { setMirrorRoute: { name, percentage: 50, match: [{ method: { exact: 'GET' } }] } },
    ),
) as fc.Arbitrary<CanaryStep>;

const outcomeArbitrary: fc.Arbitrary<ScriptedRunOutcome> = fc.record({
  phase: fc.constantFrom('Successful', 'Failed', 'Inconclusive', 'Error', undefined),
  afterMs: fc.integer({ min: 0, max: 60_000 }),
});

const actionArbitrary = fc.oneof(
  fc.record({ wait: fc.integer({ min: 0, max: 90_000 }) }),
  fc.constantFrom<RolloutCommand>(
    { type: 'promote' },
    { type: 'promote', full: true },
    { type: 'abort', reason: 'chaos' },
    { type: 'retry' },
  ),
);

describe('engine properties', () => {
  it('weights stay legal, abort clears traffic, and an unchanged reconcile is a no-op', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(stepArbitrary, { minLength: 1, maxLength: 8 }),
        fc.array(outcomeArbitrary, { minLength: 1, maxLength: 6 }),
        fc.array(actionArbitrary, { minLength: 1, maxLength: 25 }),
        fc.boolean(),
        async (steps, outcomes, actions, background) => {
          let spec: ReturnType<typeof parseRollout>;
          try {
            spec = parseRollout({
              template: { spec: { image: 'demo:2' } },
              strategy: {
                canary: {
                  canaryService: 'canary',
                  stableService: 'stable',
                  steps,
                  trafficRouting: {
                    istio: { virtualService: { name: 'vs' } },
                    managedRoutes: [{ name: 'hdr' }, { name: 'mirror' }],
                  },
                  ...(background ? { analysis: { templates: [{ templateName: 'bg' }] } } : {}),
                },
              },
            });
          } catch (error) {
            // Experiment weights that overflow 100% are refused up front; that is tested in parse-rollout.
            if (ValidationError.isValidationError(error)) return;
            throw error;
          }
          const clock = createFakeClock();
          const router = createMemoryRouter();
          const analysis = createScriptedAnalysisRunner({
            script: (_request, i) => outcomes[i % outcomes.length] as ScriptedRunOutcome,
          });
          const legal = new Set([0, 100]);
          let status: RolloutStatus | undefined;
          let reached = 0;
          const step = async (commands: RolloutCommand[]) => {
            const result = await reconcile({
              spec,
              router,
              analysis,
              clock,
              commands,
              ...(status ? { status } : { stableRevision: 'old' }),
            });
            status = result.status;
            // Reached: the current step, and the one after every step that completed (even if an abort followed).
            for (const event of result.events) {
              if (event.reason === 'RolloutStepCompleted' && event.stepIndex !== undefined)
                reached = Math.max(reached, event.stepIndex + 1);
            }
            reached = Math.max(reached, status.currentStepIndex);
            for (let i = 0; i <= Math.min(reached, steps.length - 1); i++) {
              const s = steps[i] as CanaryStep;
              if ('setWeight' in s) legal.add(s.setWeight);
            }
            return result;
          };
          await step([]);
          for (const action of actions) {
            if ('wait' in action) await clock.advance(action.wait);
            const result = await step('wait' in action ? [] : [action]);
            for (const state of router.history) {
              const experiments = state.experiments.reduce((sum, e) => sum + e.weight, 0);
              expect(state.canaryWeight + experiments).toBeLessThanOrEqual(100);
              expect(state.canaryWeight).toBeGreaterThanOrEqual(0);
              expect(state.canaryWeight).toBeLessThanOrEqual(100);
              expect(legal.has(state.canaryWeight), `weight ${state.canaryWeight} was never asked for`).toBe(true);
            }
            const current = status as RolloutStatus;
            if (current.abort && !current.trafficError) {
              expect(router.current.canaryWeight).toBe(0);
              expect(router.current.headerRoutes).toEqual([]);
              expect(router.current.mirrorRoutes).toEqual([]);
              expect(router.current.experiments).toEqual([]);
              expect(current.phase).toBe('Degraded');
            }
            // Unchanged inputs: nothing changes, nothing is called.
            const calls = router.calls.length;
            const started = analysis.started.length;
            const again = await reconcile({ spec, router, analysis, clock, status: JSON.parse(JSON.stringify(current)) });
            expect(again.status).toEqual(current);
            expect(again.events).toEqual([]);
            expect(router.calls.length).toBe(calls);
            expect(analysis.started.length).toBe(started);
            void result;
          }
        },
      ),
      { numRuns: Number(process.env.GRADUAL_PROPERTY_RUNS ?? 200) },
    );
  });

  it('blue/green: active is always the stable or the new revision, abort restores stable, unchanged reconcile is a no-op', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.record({
          autoPromotionEnabled: fc.boolean(),
          autoPromotionSeconds: fc.integer({ min: 0, max: 120 }),
          pre: fc.boolean(),
          post: fc.boolean(),
        }),
        fc.array(outcomeArbitrary, { minLength: 1, maxLength: 4 }),
        fc.array(actionArbitrary, { minLength: 1, maxLength: 20 }),
        async (options, outcomes, actions) => {
          const spec = parseRollout({
            template: { spec: { image: 'demo:2' } },
            strategy: {
              blueGreen: {
                activeService: 'active',
                previewService: 'preview',
                autoPromotionEnabled: options.autoPromotionEnabled,
                autoPromotionSeconds: options.autoPromotionSeconds,
                ...(options.pre ? { prePromotionAnalysis: { templates: [{ templateName: 'pre' }] } } : {}),
                ...(options.post ? { postPromotionAnalysis: { templates: [{ templateName: 'post' }] } } : {}),
              },
            },
          });
          const clock = createFakeClock();
          const router = createMemoryRouter();
          const analysis = createScriptedAnalysisRunner({
            script: (_request, i) => outcomes[i % outcomes.length] as ScriptedRunOutcome,
          });
          let status: RolloutStatus | undefined;
          for (const action of [{ wait: 0 }, ...actions]) {
            if ('wait' in action) await clock.advance(action.wait);
            const commands = 'wait' in action ? [] : [action];
            status = (
              await reconcile({ spec, router, analysis, clock, commands, ...(status ? { status } : { stableRevision: 'old' }) })
            ).status;
            for (const state of router.history) {
              expect(state.canaryWeight).toBe(0);
              expect(['old', spec.revision]).toContain(state.stableRevision);
            }
            if (status.abort && !status.trafficError) expect(router.current.stableRevision).toBe(status.stableRevision);
            if (status.phase === 'Healthy') expect(router.current.stableRevision).toBe(spec.revision);
            const calls = router.calls.length;
            const again = await reconcile({ spec, router, analysis, clock, status: JSON.parse(JSON.stringify(status)) });
            expect(again.status).toEqual(status);
            expect(again.events).toEqual([]);
            expect(router.calls.length).toBe(calls);
          }
        },
      ),
      { numRuns: Number(process.env.GRADUAL_PROPERTY_RUNS ?? 150) },
    );
  });
});
