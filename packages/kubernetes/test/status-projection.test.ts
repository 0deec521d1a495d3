import { toArgoRolloutStatus } from '@gradual/kubernetes';
import { describe, expect, it } from 'vitest';
import { blueGreenSpec, canarySpec, statusOf } from './status-fixtures.js';

const now = Date.UTC(2026, 11, 6, 20, 0, 0);
const rev = canarySpec.revision;
const conditionOf = (status: ReturnType<typeof toArgoRolloutStatus>, type: string) =>
  status.conditions?.find((condition) => condition.type === type);

describe('toArgoRolloutStatus: Argo fields from gradual status', () => {
  // Each row: gradual's status -> the Argo fields as Argo's controller would write them for that state.
  const rows = [
    {
      // reference §1.3: a pause step adds CanaryPauseStep, controllerPause; §3.1 phase Paused, message = reason;
      // rollout/sync.go calculateRolloutConditions: Progressing Unknown/RolloutPaused, Paused True.
      name: 'canary paused at a pause step',
      spec: canarySpec,
      status: statusOf(canarySpec, {
        phase: 'Paused',
        message: 'CanaryPauseStep',
        currentStepIndex: 1,
        controllerPause: true,
        pauseConditions: [{ reason: 'CanaryPauseStep', startTime: now - 90_500 }],
        traffic: {
          canaryWeight: 20,
          canaryRevision: rev,
          stableRevision: 'old',
          headerRoutes: [],
          mirrorRoutes: [],
          experiments: [],
        },
      }),
      expected: {
        phase: 'Paused',
        message: 'CanaryPauseStep',
        currentStepIndex: 1,
        currentPodHash: rev,
        stableRS: 'old',
        controllerPause: true,
        pauseConditions: [{ reason: 'CanaryPauseStep', startTime: '2026-12-06T19:58:29Z' }],
        canary: {
          weights: {
            canary: { weight: 20, podTemplateHash: rev, serviceName: 'web-canary' },
            stable: { weight: 80, podTemplateHash: 'old', serviceName: 'web-stable' },
          },
        },
      },
      conditions: {
        Progressing: ['Unknown', 'RolloutPaused'],
        Paused: ['True', 'RolloutPaused'],
        Completed: ['False', 'RolloutCompleted'],
      },
    },
    {
      // reference §1.7 abort: abortedAt, Progressing False/RolloutAborted "Rollout aborted update to revision N: msg",
      // phase Degraded; pause conditions and controllerPause cleared; currentStepIndex 0.
      name: 'aborted by an analysis',
      spec: canarySpec,
      status: statusOf(canarySpec, {
        phase: 'Degraded',
        message: `RolloutAborted: Rollout aborted update to revision ${rev}: metric "errors" assessed Failed`,
        abort: true,
        abortedAt: now,
        abortMessage: 'metric "errors" assessed Failed',
        analysisRuns: [
          { kind: 'step', stepIndex: 0, state: { name: 'web-1-0', phase: 'Failed', message: 'metric "errors" assessed Failed' } },
        ],
      }),
      expected: {
        phase: 'Degraded',
        abort: true,
        abortedAt: '2026-12-06T20:00:00Z',
        currentStepIndex: 0,
        canary: {
          currentStepAnalysisRunStatus: { name: 'web-1-0', status: 'Failed', message: 'metric "errors" assessed Failed' },
        },
      },
      conditions: {
        Progressing: ['False', 'RolloutAborted', `Rollout aborted update to revision ${rev}: metric "errors" assessed Failed`],
      },
    },
    {
      // reference §3.1 Healthy; sync.go: Progressing True/NewReplicaSetAvailable, Completed True, Healthy True;
      // §1.4: currentStepIndex == len(steps) when all steps are done.
      name: 'canary completed',
      spec: canarySpec,
      status: statusOf(canarySpec, {
        phase: 'Healthy',
        message: '',
        stableRevision: rev,
        currentStepIndex: 4,
        traffic: {
          canaryWeight: 0,
          canaryRevision: rev,
          stableRevision: rev,
          headerRoutes: [],
          mirrorRoutes: [],
          experiments: [],
        },
      }),
      expected: { phase: 'Healthy', stableRS: rev, currentPodHash: rev, currentStepIndex: 4 },
      conditions: {
        Progressing: ['True', 'NewReplicaSetAvailable', `ReplicaSet "web-${rev}" has successfully progressed.`],
        Completed: ['True', 'RolloutCompleted'],
        Healthy: ['True', 'RolloutHealthy', 'Rollout is healthy'],
        Available: ['True', 'AvailableReason'],
      },
    },
    {
      // reference §1.7 promote --full: status.promoteFull true until the new RS is stable.
      name: 'promote --full in progress',
      spec: canarySpec,
      status: statusOf(canarySpec, { promoteFull: true, currentStepIndex: 4 }),
      expected: { promoteFull: true, currentStepIndex: 4, phase: 'Progressing' },
      conditions: { Progressing: ['True', 'ReplicaSetUpdated', `ReplicaSet "web-${rev}" is progressing.`] },
    },
    {
      // reference §2 status: blueGreen.activeSelector / previewSelector; §1.4: no step index without canary steps.
      name: 'blue/green waiting for promotion',
      spec: blueGreenSpec,
      status: statusOf(blueGreenSpec, {
        phase: 'Paused',
        message: 'BlueGreenPause',
        controllerPause: true,
        pauseConditions: [{ reason: 'BlueGreenPause', startTime: now }],
        traffic: {
          canaryWeight: 0,
          stableRevision: 'old',
          canaryRevision: blueGreenSpec.revision,
          headerRoutes: [],
          mirrorRoutes: [],
          experiments: [],
        },
      }),
      expected: {
        currentStepIndex: undefined,
        currentStepHash: undefined,
        canary: {},
        blueGreen: { activeSelector: 'old', previewSelector: blueGreenSpec.revision },
      },
      conditions: { Paused: ['True', 'RolloutPaused'] },
    },
  ];

  it.each(rows)('$name', ({ spec, status, expected, conditions }) => {
    const argo = toArgoRolloutStatus({ spec, status, generation: 3, now });
    const present = Object.fromEntries(Object.entries(expected).filter(([, value]) => value !== undefined));
    expect(argo).toMatchObject({ observedGeneration: '3', ...present });
    for (const [key, value] of Object.entries(expected)) if (value === undefined) expect(argo).not.toHaveProperty(key);
    for (const [type, [state, reason, message]] of Object.entries(conditions)) {
      expect(conditionOf(argo, type), type).toMatchObject({ status: state, reason, ...(message ? { message } : {}) });
    }
  });

  it('leaves out what Argo leaves out (omitempty): no abort, promoteFull, pauseConditions, weights without traffic', () => {
    const argo = toArgoRolloutStatus({ spec: canarySpec, status: statusOf(canarySpec), generation: 1, now });
    for (const key of ['abort', 'abortedAt', 'promoteFull', 'pauseConditions', 'controllerPause', 'replicas']) {
      expect(argo).not.toHaveProperty(key);
    }
    expect(argo.canary).toEqual({});
    expect(argo.blueGreen).toEqual({});
  });

  it('takes replica counts and availability from the workload observation', () => {
    const status = statusOf(canarySpec);
    const workload = { replicas: 5, updatedReplicas: 1, readyReplicas: 4, availableReplicas: 2, selector: 'app=web' };
    const argo = toArgoRolloutStatus({ spec: canarySpec, status, generation: 1, workload, now });
    expect(argo).toMatchObject({ replicas: 5, updatedReplicas: 1, readyReplicas: 4, availableReplicas: 2, selector: 'app=web' });
    expect(conditionOf(argo, 'Available')).toMatchObject({
      status: 'False',
      message: 'Rollout does not have minimum availability',
    });
    const full = toArgoRolloutStatus({
      spec: canarySpec,
      status,
      generation: 1,
      workload: { ...workload, availableReplicas: 3 },
      now,
    });
    // Argo's minimum availability: replicas - maxUnavailable (25% of 4 = 1), not every pod.
    expect(conditionOf(full, 'Available')).toMatchObject({ status: 'True', message: 'Rollout has minimum availability' });
  });

  it("keeps condition times as Argo's SetRolloutCondition does", () => {
    const paused = statusOf(canarySpec, {
      phase: 'Paused',
      message: 'CanaryPauseStep',
      currentStepIndex: 1,
      controllerPause: true,
      pauseConditions: [{ reason: 'CanaryPauseStep', startTime: now }],
    });
    const first = toArgoRolloutStatus({ spec: canarySpec, status: paused, generation: 1, now });
    // Unchanged status, reason and message: the whole condition is kept.
    const again = toArgoRolloutStatus({ spec: canarySpec, status: paused, generation: 1, previous: first, now: now + 60_000 });
    expect(again.conditions).toEqual(first.conditions);
    // Resumed: Paused goes False (not away) with a new transition time; Progressing Unknown -> True is a transition.
    const resumed = statusOf(canarySpec, { currentStepIndex: 2 });
    const after = toArgoRolloutStatus({ spec: canarySpec, status: resumed, generation: 1, previous: first, now: now + 60_000 });
    expect(conditionOf(after, 'Paused')).toMatchObject({ status: 'False', lastTransitionTime: '2026-12-06T20:01:00Z' });
    expect(conditionOf(after, 'Progressing')).toMatchObject({ status: 'True', lastTransitionTime: '2026-12-06T20:01:00Z' });
    // Same status (False), same reason: Completed keeps both times.
    expect(conditionOf(after, 'Completed')).toEqual(conditionOf(first, 'Completed'));
    // Same status, other message (e.g. Progressing True: updated -> available): lastTransitionTime kept, lastUpdateTime now.
    const done = statusOf(canarySpec, { phase: 'Healthy', message: '', stableRevision: rev, currentStepIndex: 4 });
    const later = toArgoRolloutStatus({ spec: canarySpec, status: done, generation: 1, previous: after, now: now + 120_000 });
    expect(conditionOf(later, 'Progressing')).toMatchObject({
      reason: 'NewReplicaSetAvailable',
      lastTransitionTime: '2026-12-06T20:01:00Z',
      lastUpdateTime: '2026-12-06T20:02:00Z',
    });
  });
});
