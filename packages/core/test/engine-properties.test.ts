import { type CanaryStep, parseRollout, type RolloutCommand, type RolloutStatus, reconcile } from '@gradual/core';
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
          const spec = parseRollout({
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
      { numRuns: 200 },
    );
  });
});
