import { describe, expect, it } from 'vitest';
import { fillAbsent } from '../src/data/fill-absent.js';
import type { RolloutStatus } from '../src/engine/rollout-status.js';
import { statusWith } from '../src/engine/status-with.js';

// statusWith replaces `{ ...status, ...patch }` for V8's object layout; it must mean exactly what the spread meant.
const full = (): RolloutStatus => ({
  version: 2,
  phase: 'Paused',
  message: 'CanaryPauseStep',
  currentRevision: 'r2',
  stableRevision: null,
  currentStepIndex: 3,
  currentStepHash: 'h',
  previousStableRevisions: ['r0'],
  attempt: 1,
  abort: false,
  abortedAt: 5,
  abortMessage: 'earlier',
  promoteFull: false,
  controllerPause: true,
  pauseConditions: [{ reason: 'CanaryPauseStep', startTime: 1 }],
  resumeRequested: true,
  traffic: null,
  trafficError: { message: 'x', attempts: 1, retryable: true, since: 1, retryAt: 2, call: 'applyTraffic' },
  analysisRuns: [],
  backgroundRuns: 2,
  startedAt: 1,
  completedAt: 9,
});

describe('statusWith', () => {
  it('is the spread copy: every field, the patch over it, a new object, the input unchanged', () => {
    const status = full();
    const before = structuredClone(status);
    const patch: Partial<RolloutStatus> = { currentStepIndex: 4, pauseConditions: [], trafficError: undefined, stalled: 'why' };
    const copy = statusWith(status, patch);
    expect(copy).toStrictEqual({ ...before, ...patch });
    expect(Object.keys(copy).sort()).toEqual(Object.keys({ ...before, ...patch }).sort());
    expect(copy).not.toBe(status);
    expect(status).toStrictEqual(before);
    // Shared, not copied: only the top level is new.
    expect(copy.analysisRuns).toBe(status.analysisRuns);
  });

  it('adds no field the status does not have', () => {
    const { abortedAt: _a, abortMessage: _m, ...lean } = full();
    const copy = statusWith(lean, {});
    expect(copy).toStrictEqual(lean);
    expect('abortedAt' in copy).toBe(false);
  });
});

describe('fillAbsent', () => {
  it('copies own enumerable fields the target lacks and never overwrites one it has', () => {
    const target: Record<string, unknown> = { a: 1, b: undefined };
    fillAbsent(target, { a: 2, b: 3, c: 4 });
    expect(target).toStrictEqual({ a: 1, b: undefined, c: 4 });
  });

  it('ignores inherited fields and reads objects without a prototype', () => {
    const inherited = Object.create({ hidden: true }) as Record<string, unknown>;
    inherited['own'] = 1;
    expect(fillAbsent({}, inherited)).toStrictEqual({ own: 1 });
    const bare = Object.assign(Object.create(null) as object, { x: 1 });
    expect(fillAbsent({}, bare)).toStrictEqual({ x: 1 });
  });
});
