import { describe, expect, it } from 'vitest';
import type { RolloutObject } from '../src/live/rollout-object.js';
import { promotePatches } from '../src/live/rollout-patches.js';
import { rolloutSummary } from '../src/live/rollout-summary.js';

const canary = (status: RolloutObject['status'], paused = false): RolloutObject => ({
  metadata: { name: 'checkout', namespace: 'default', generation: 2 },
  spec: {
    paused,
    replicas: 2,
    template: { spec: { containers: [{ name: 'c', image: 'example/checkout:2' }] } },
    strategy: { canary: { steps: [{ setWeight: 50 }, {}, { setWeight: 100 }] } },
  },
  status,
});

describe('promotePatches', () => {
  // Rows from kubectl-argo-rollouts cmd/promote/promote.go getPatches (argoproj/argo-rollouts 9f8d111d8).
  const rows: { name: string; rollout: RolloutObject; full?: boolean; expected: object }[] = [
    {
      name: 'paused at a pause step: clear the pause conditions',
      rollout: canary({ currentStepIndex: 1, pauseConditions: [{ reason: 'CanaryPauseStep', startTime: 't' }] }),
      expected: {
        status: { status: { pauseConditions: null } },
        unified: { spec: { paused: false }, status: { pauseConditions: null } },
      },
    },
    {
      name: 'spec.paused as well: unpause the spec too',
      rollout: canary({ currentStepIndex: 1, pauseConditions: [{ reason: 'CanaryPauseStep', startTime: 't' }] }, true),
      expected: {
        spec: { spec: { paused: false } },
        status: { status: { pauseConditions: null } },
        unified: { spec: { paused: false }, status: { pauseConditions: null } },
      },
    },
    {
      name: 'nothing paused (an analysis step running): the next step',
      rollout: canary({ currentStepIndex: 1 }),
      expected: {
        status: { status: { pauseConditions: null, currentStepIndex: 2 } },
        unified: { spec: { paused: false }, status: { pauseConditions: null, currentStepIndex: 2 } },
      },
    },
    {
      name: 'no index yet counts as 0 (GetCurrentCanaryStep)',
      rollout: canary({}),
      expected: {
        status: { status: { pauseConditions: null, currentStepIndex: 1 } },
        unified: { spec: { paused: false }, status: { pauseConditions: null, currentStepIndex: 1 } },
      },
    },
    {
      name: 'an inconclusive step analysis: clear the controller pause and move on',
      rollout: canary({
        currentStepIndex: 1,
        controllerPause: true,
        pauseConditions: [{ reason: 'InconclusiveAnalysisRun', startTime: 't' }],
        canary: { currentStepAnalysisRunStatus: { name: 'run', status: 'Inconclusive' } },
      }),
      expected: {
        status: { status: { pauseConditions: null, controllerPause: false, currentStepIndex: 2 } },
        unified: { spec: { paused: false }, status: { pauseConditions: null } },
      },
    },
    {
      name: '--full on an update not yet stable: promoteFull',
      rollout: canary({ currentPodHash: 'b', stableRS: 'a' }),
      full: true,
      expected: {
        status: { status: { promoteFull: true } },
        unified: { spec: { paused: false }, status: { promoteFull: true } },
      },
    },
    {
      name: '--full when already stable: nothing on the status',
      rollout: canary({ currentPodHash: 'a', stableRS: 'a' }),
      full: true,
      expected: { unified: { spec: { paused: false }, status: { promoteFull: true } } },
    },
  ];
  for (const row of rows) it(row.name, () => expect(promotePatches(row.rollout, { full: row.full })).toEqual(row.expected));
});

describe('rolloutSummary', () => {
  it("prints the plugin's fields from Argo's status", () => {
    const text = rolloutSummary(
      canary({
        phase: 'Paused',
        message: 'CanaryPauseStep',
        observedGeneration: '2',
        currentStepIndex: 1,
        pauseConditions: [{ reason: 'CanaryPauseStep', startTime: 't' }],
        replicas: 3,
        updatedReplicas: 1,
        readyReplicas: 3,
        availableReplicas: 3,
        canary: { weights: { canary: { weight: 50 }, stable: { weight: 50 } } },
      }),
    );
    expect(text).toBe(
      [
        'Name:            checkout',
        'Namespace:       default',
        'Status:          ॥ Paused',
        'Message:         CanaryPauseStep',
        'Strategy:        Canary',
        '  Step:          1/3',
        '  SetWeight:     50',
        '  ActualWeight:  50',
        'Images:          example/checkout:2',
        'Replicas:',
        '  Desired:       2',
        '  Current:       3',
        '  Updated:       1',
        '  Ready:         3',
        '  Available:     3',
        '',
      ].join('\n'),
    );
  });

  it('reads Progressing while the controller has not observed the spec (rolloututil.GetRolloutPhase)', () => {
    expect(rolloutSummary(canary({ phase: 'Healthy', observedGeneration: '1' }))).toContain(
      'Status:          ◌ Progressing\nMessage:         waiting for rollout spec update to be observed',
    );
  });

  it('reads set weight 0 when aborted and the max at the end of the steps', () => {
    expect(rolloutSummary(canary({ abort: true, currentStepIndex: 1 }))).toContain('  SetWeight:     0');
    expect(rolloutSummary(canary({ currentStepIndex: 3 }))).toContain('  SetWeight:     100\n  ActualWeight:  100');
  });
});
