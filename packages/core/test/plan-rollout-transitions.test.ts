import {
  type Intent,
  initialStatus,
  type PlanInput,
  parseRollout,
  planRollout,
  type RolloutStatus,
  type TrafficState,
} from '@gradual/core';
import { describe, expect, it } from 'vitest';

// The transition itself, without a runner: (state, input) → intents, events, next state.
const spec = parseRollout({
  metadata: { name: 'demo' },
  template: { spec: { image: 'demo:2' } },
  strategy: {
    canary: {
      steps: [
        { setWeight: 20 },
        { pause: {} },
        { setWeight: 50 },
        { pause: { duration: '1m' } },
        { analysis: { templates: [{ templateName: 't' }] } },
      ],
    },
  },
});
const rev = spec.revision;
const at = (canaryWeight: number, stableRevision = 'v1', canaryRevision = rev): TrafficState => ({
  canaryWeight,
  stableRevision,
  canaryRevision,
  headerRoutes: [],
  mirrorRoutes: [],
  experiments: [],
});
const start = initialStatus(spec, { now: 0, stableRevision: 'v1' });
const status = (patch: Partial<RolloutStatus>): RolloutStatus => ({ ...start, ...patch });
const pausedAtStep1 = status({
  currentStepIndex: 1,
  traffic: at(20),
  controllerPause: true,
  pauseConditions: [{ reason: 'CanaryPauseStep', startTime: 0 }],
  phase: 'Paused',
  message: 'CanaryPauseStep',
});
const runAt4 = (phase: 'Running' | 'Successful' | 'Failed' | 'Inconclusive') =>
  status({
    currentStepIndex: 4,
    traffic: at(50),
    analysisRuns: [
      {
        kind: 'step',
        stepIndex: 4,
        state: { name: `${spec.name}-${rev}-0-step-4`, phase, nextReconcileAt: 5_000 },
        checkedAt: 0,
      },
    ],
  });

type Row = {
  name: string;
  input: Omit<PlanInput, 'spec'>;
  intents: (Partial<Intent> & { type: Intent['type'] })[];
  events: string[];
  next: Partial<RolloutStatus>;
  wakeAt?: number;
};

const rows: Row[] = [
  {
    name: 'first pass: the first weight is wanted',
    input: { status: start, now: 0 },
    intents: [{ type: 'applyTraffic', state: at(20) }],
    events: [],
    next: { currentStepIndex: 0, phase: 'Progressing' },
  },
  {
    name: 'weight confirmed: step 1 completes, the indefinite pause begins, nothing to do, no wake-up',
    input: { status: status({ traffic: at(20) }), now: 1_000 },
    intents: [],
    events: ['RolloutStepCompleted', 'RolloutPaused'],
    next: { currentStepIndex: 1, phase: 'Paused', pauseConditions: [{ reason: 'CanaryPauseStep', startTime: 1_000 }] },
  },
  {
    name: 'promote while paused: the pause ends and the next weight is wanted; the command is recorded',
    input: { status: pausedAtStep1, now: 60_000, commands: [{ type: 'promote' }] },
    intents: [{ type: 'applyTraffic', state: at(50) }],
    events: ['RolloutResumed', 'RolloutStepCompleted'],
    next: {
      currentStepIndex: 2,
      pauseConditions: [],
      commands: [{ type: 'promote', at: 60_000, result: 'applied', message: 'Rollout resumed from CanaryPauseStep' }],
    },
  },
  {
    name: 'pause command: nothing moves until a promote, which only unpauses',
    input: { status: status({ traffic: at(20) }), now: 0, commands: [{ type: 'pause' }] },
    intents: [],
    events: ['RolloutPaused'],
    next: { currentStepIndex: 0, phase: 'Paused', message: 'manually paused', pausedByCommand: true },
  },
  {
    name: 'abort: traffic back to stable at once, the reason kept',
    input: { status: pausedAtStep1, now: 5_000, commands: [{ type: 'abort', reason: 'error budget' }] },
    intents: [{ type: 'applyTraffic', state: at(0, 'v1', 'v1') }],
    events: ['RolloutAborted'],
    next: { abort: true, abortedAt: 5_000, abortMessage: 'error budget', phase: 'Degraded', currentStepIndex: 0 },
  },
  {
    name: 'retry on a rollout that is not aborted is ignored, and recorded as such',
    input: { status: pausedAtStep1, now: 5_000, commands: [{ type: 'retry' }] },
    intents: [],
    events: ['RetryIgnored'],
    next: { commands: [{ type: 'retry', at: 5_000, result: 'ignored', message: 'Rollout is not aborted; nothing to retry' }] },
  },
  {
    name: 'a timed pause asks to be woken when it ends',
    input: {
      status: status({
        currentStepIndex: 3,
        traffic: at(50),
        controllerPause: true,
        pauseConditions: [{ reason: 'CanaryPauseStep', startTime: 10_000 }],
      }),
      now: 30_000,
    },
    intents: [],
    events: [],
    next: { currentStepIndex: 3 },
    wakeAt: 70_000,
  },
  {
    name: 'analysis due: its reconcile comes alone, carrying the run',
    input: { status: runAt4('Running'), now: 5_000 },
    intents: [{ type: 'reconcileAnalysis', name: `${spec.name}-${rev}-0-step-4` }],
    events: [],
    next: { currentStepIndex: 4 },
  },
  {
    name: 'analysis Successful: the last step completes and all traffic goes to the canary',
    input: { status: runAt4('Successful'), now: 5_000 },
    intents: [{ type: 'applyTraffic', state: at(100) }],
    events: ['RolloutStepCompleted'],
    next: { currentStepIndex: 5 },
  },
  {
    name: 'analysis Failed: abort, traffic back to stable',
    input: { status: runAt4('Failed'), now: 5_000 },
    intents: [{ type: 'applyTraffic', state: at(0, 'v1', 'v1') }],
    events: ['RolloutAborted'],
    next: { abort: true },
  },
  {
    name: 'analysis Inconclusive: hold for a human, nothing applied',
    input: { status: runAt4('Inconclusive'), now: 5_000 },
    intents: [],
    events: ['RolloutPaused'],
    next: { phase: 'Paused', message: 'InconclusiveAnalysisRun' },
  },
  {
    name: 'observed drift: the rollout weight is put back, marked drifted',
    input: { status: pausedAtStep1, now: 5_000, observed: { traffic: at(70) } },
    intents: [{ type: 'applyTraffic', state: at(20), drifted: true }],
    events: ['TrafficDrift'],
    next: { traffic: null },
  },
  {
    name: 'a failed apply fed back: no call until the backoff passes',
    input: {
      status: start,
      now: 0,
      observed: {
        results: [{ intent: { type: 'applyTraffic', state: at(20) }, result: { ok: false, error: { message: 'conflict' } } }],
      },
    },
    intents: [],
    events: ['TrafficRoutingError'],
    next: {
      trafficError: { message: 'conflict', attempts: 1, retryable: true, since: 0, retryAt: 1_000, call: expect.any(String) },
    },
    wakeAt: 1_000,
  },
  {
    name: 'a new spec revision (status of another revision): restart at step 0',
    input: {
      status: { ...pausedAtStep1, currentRevision: 'older', currentStepIndex: 3, traffic: at(50, 'v1', 'older') },
      now: 9_000,
    },
    intents: [{ type: 'applyTraffic', state: at(20) }],
    events: ['RolloutUpdated'],
    next: { currentStepIndex: 0, attempt: 1, startedAt: 9_000, pauseConditions: [] },
  },
];

describe('planRollout', () => {
  it.each(rows)('$name', ({ input, intents, events, next, wakeAt }) => {
    const before = structuredClone(input.status);
    const plan = planRollout({ spec, ...input });
    expect(plan.intents).toEqual(intents.map((intent) => expect.objectContaining(intent)));
    expect(plan.events.map((event) => event.reason)).toEqual(events);
    expect(plan.status).toMatchObject(next);
    expect(plan.wakeAt).toBe(wakeAt);
    // Pure: the input status is untouched.
    expect(input.status).toEqual(before);
  });
});
