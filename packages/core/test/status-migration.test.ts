import { readFileSync } from 'node:fs';
import {
  createRollout,
  migrateStatus,
  parseRollout,
  type RolloutStatus,
  reconcile,
  type TrafficState,
  ValidationError,
} from '@gradual/core';
import { createFakeClock, createMemoryRouter, createScriptedAnalysisRunner } from '@gradual/core/testing';
import { describe, expect, it } from 'vitest';

interface Fixture {
  manifest: object;
  now: number;
  traffic: TrafficState;
  status: Record<string, unknown>;
  expected: { outcome: string; endedAt: number; message: string; stableRevision: string; traffic: TrafficState[] };
}

const fixture = (name: string): Fixture =>
  JSON.parse(readFileSync(new URL(`./fixtures/status-0.1.0-${name}.json`, import.meta.url), 'utf8'));

// How each status was left by 0.1.0, and what a person does next (fixtures/README.md).
const points = [
  { name: 'mid-pause', promote: false, analysis: false },
  { name: 'mid-analysis', promote: false, analysis: true },
  { name: 'aborted', promote: false, analysis: false },
  { name: 'blue-green-awaiting-promotion', promote: true, analysis: false },
];

describe('statuses persisted by 0.1.0', () => {
  it.each(points)('$name: resumes to the outcome 0.1.0 reached, at the same time, through the same traffic', async (point) => {
    const { manifest, now, traffic, status, expected } = fixture(point.name);
    const spec = parseRollout(manifest);
    // The same manifest hashes to the same revision: resuming is not a spec change.
    expect(spec.revision).toBe(status.currentRevision);
    const router = createMemoryRouter({ initial: traffic });
    const clock = createFakeClock({ start: now, auto: true });
    const analysis = point.analysis
      ? createScriptedAnalysisRunner({
          script: () => ({ phase: 'Failed', afterMs: 45_000, message: 'success rate 0.81 < 0.95' }),
        })
      : undefined;
    const handle = createRollout({ spec, router, clock, status: status as never, ...(analysis ? { analysis } : {}) });
    if (point.promote) handle.promote();
    const result = await handle.run();
    expect(result.outcome).toBe(expected.outcome);
    expect(clock.now()).toBe(expected.endedAt);
    expect(result.message).toBe(expected.message);
    expect(result.status.stableRevision).toBe(expected.stableRevision);
    expect(router.history).toEqual(expected.traffic);
    expect(result.status.version).toBe(2);
    // A run already started by 0.1.0 is carried on, never started again.
    expect(analysis?.started ?? []).toEqual([]);
  });

  it.each(points)('$name: is migrated to format 2 with every time in epoch milliseconds', ({ name }) => {
    const { status } = fixture(name);
    const migrated = migrateStatus(status);
    expect(migrated.version).toBe(2);
    expect(migrated.startedAt).toBe(Date.parse(status.startedAt as string));
    for (const [i, condition] of migrated.pauseConditions.entries()) {
      expect(condition.startTime).toBe(Date.parse((status.pauseConditions as { startTime: string }[])[i]?.startTime as string));
    }
    if (status.abortedAt) expect(migrated.abortedAt).toBe(Date.parse(status.abortedAt as string));
    // The input is left as it was.
    expect(status.version).toBeUndefined();
  });

  it('a 0.1.0 status a human had promoted, not yet acted on, keeps the promote', async () => {
    const { manifest, now, traffic, status } = fixture('mid-pause');
    const spec = parseRollout({ ...manifest, spec: { ...(manifest as { spec: object }).spec } });
    // 0.1.0's encoding of "resumed": conditions cleared, controllerPause still set.
    const promoted = { ...status, pauseConditions: [] };
    expect(migrateStatus(promoted).resumeRequested).toBe(true);
    const router = createMemoryRouter({ initial: traffic });
    const clock = createFakeClock({ start: now });
    const result = await reconcile({ spec, router, clock, status: promoted as never });
    // The 1m pause ended at once: the next step (setWeight 50) is applied without waiting.
    expect(router.current.canaryWeight).toBe(50);
    expect(result.status.resumeRequested).toBeUndefined();
  });

  it('a status from a newer gradual is refused, naming the version, not guessed at', () => {
    const { status } = fixture('mid-pause');
    const future = { ...migrateStatus(status), version: 3 } as unknown as RolloutStatus;
    expect(() => migrateStatus(future)).toThrow(/status\.version: format 3 was written by a newer gradual/);
    expect(ValidationError.isValidationError(catchError(() => migrateStatus(future)))).toBe(true);
    expect(() => migrateStatus({ ...future, version: 'two' })).toThrow(/status\.version: must be 2, or absent/);
  });

  it('a 0.1.0 status with a time that is not ISO 8601 names the field', () => {
    const { status } = fixture('mid-pause');
    const broken = { ...status, pauseConditions: [{ reason: 'CanaryPauseStep', startTime: 'yesterday' }] };
    expect(() => migrateStatus(broken)).toThrow(/status\.pauseConditions\[0\]\.startTime: must be an ISO 8601 time/);
  });
});

function catchError(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    return error;
  }
  return undefined;
}
