import { createHook } from 'node:async_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { joinMeasurementGuard } from '../src/run/measurement-guard.js';

// Live timers created while `watching` (unref'd ones too, which getActiveResourcesInfo leaves out).
const liveTimers = new Set<number>();
let watching = false;
createHook({
  init: (id, type) => {
    if (watching && type === 'Timeout') liveTimers.add(id);
  },
  destroy: (id) => {
    liveTimers.delete(id);
  },
}).enable();
// Destroy hooks run a little later than clearTimeout.
const timers = async () => {
  await new Promise((resolve) => setImmediate(resolve));
  return liveTimers.size;
};
const cutAt = (times: Map<string, number>, name: string) => () => times.set(name, performance.now());

describe('joinMeasurementGuard', () => {
  it('cuts a measurement off at its own deadline, not before, and then aborts the signal', async () => {
    const parent = new AbortController().signal;
    const times = new Map<string, number>();
    const joinedA = performance.now();
    const a = joinMeasurementGuard(640, parent, cutAt(times, 'a'));
    // Within the same 10 ms window even on a loaded machine: no sleep in between.
    await Promise.resolve();
    const joinedB = performance.now();
    const b = joinMeasurementGuard(640, parent, cutAt(times, 'b'));
    // Both joined within the 10 ms window: one shared signal.
    expect(b.signal).toBe(a.signal);
    await sleep(1_500);
    expect((times.get('a') as number) - joinedA).toBeGreaterThanOrEqual(640);
    expect((times.get('b') as number) - joinedB).toBeGreaterThanOrEqual(640);
    expect(a.signal.aborted).toBe(true);
    expect((a.signal.reason as DOMException).name).toBe('TimeoutError');
  });

  it('never cuts a released measurement; the others are still cut', async () => {
    const parent = new AbortController().signal;
    const times = new Map<string, number>();
    const a = joinMeasurementGuard(200, parent, cutAt(times, 'a'));
    joinMeasurementGuard(200, parent, cutAt(times, 'b'));
    a.release();
    await sleep(300);
    expect([...times.keys()]).toEqual(['b']);
  });

  it('cuts every measurement when the parent aborts, with its reason on the signal', async () => {
    const parent = new AbortController();
    const times = new Map<string, number>();
    const a = joinMeasurementGuard(60_000, parent.signal, cutAt(times, 'a'));
    const b = joinMeasurementGuard(60_000, parent.signal, cutAt(times, 'b'));
    parent.abort('stopped');
    expect([...times.keys()].sort()).toEqual(['a', 'b']);
    expect(a.signal.reason).toBe('stopped');
    expect(b.signal.aborted).toBe(true);
    a.release();
    const late = joinMeasurementGuard(60_000, parent.signal, cutAt(times, 'late'));
    expect(late.signal.aborted).toBe(true);
    await sleep(0);
    expect(times.has('late')).toBe(true);
  });

  it('shares one signal among at most 32 measurements, and leaves no timer once all are released', async () => {
    const parent = new AbortController().signal;
    watching = true;
    const guards = Array.from({ length: 40 }, () => joinMeasurementGuard(60_000, parent, () => {}));
    watching = false;
    expect(new Set(guards.map((guard) => guard.signal)).size).toBe(2);
    expect(await timers()).toBe(2);
    for (const guard of guards) guard.release();
    // The full bucket ends at once; the open one when its window closes (60 s / 64, at most 1 s).
    expect(await timers()).toBe(1);
    await sleep(1_050);
    expect(await timers()).toBe(0);
    expect(guards.some((guard) => guard.signal.aborted)).toBe(false);
  });

  it('a bucket whose window has closed is not joined: a late measurement gets a full timeout', async () => {
    const parent = new AbortController().signal;
    const a = joinMeasurementGuard(640, parent, () => {});
    await sleep(20);
    const b = joinMeasurementGuard(640, parent, () => {});
    expect(b.signal).not.toBe(a.signal);
    a.release();
    b.release();
  });
});
