// In-flight queries are watched from one shared interval since issue 13 (an abort listener and a timer per
// query cost a tenth of its CPU): an abort or a deadline must still reach the query within a sweep, once,
// a released watch must never fire, and nothing of ours may keep running once no query is in flight.
import { describe, expect, it, vi } from 'vitest';
import { SWEEP_MS, watchInFlight } from '../src/watch-in-flight.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const counting = (signal: AbortSignal, timeoutMs = 60_000) => {
  const calls = { abort: 0, timeout: 0 };
  const release = watchInFlight({ signal, timeoutMs, onAbort: () => calls.abort++, onTimeout: () => calls.timeout++ });
  return { calls, release };
};

describe('watchInFlight', () => {
  it('calls onAbort within a sweep of the abort, once', async () => {
    const controller = new AbortController();
    const { calls } = counting(controller.signal);
    await sleep(SWEEP_MS * 2);
    expect(calls).toEqual({ abort: 0, timeout: 0 });
    controller.abort();
    await sleep(SWEEP_MS * 3);
    expect(calls).toEqual({ abort: 1, timeout: 0 });
  });

  it('calls onAbort at once for a signal that has already fired', () => {
    expect(counting(AbortSignal.abort()).calls).toEqual({ abort: 1, timeout: 0 });
  });

  it('calls onTimeout once the deadline has passed (wall time), once, and not before', async () => {
    const started = performance.now();
    const { calls } = counting(new AbortController().signal, 200);
    await sleep(150);
    expect(calls).toEqual({ abort: 0, timeout: 0 });
    while (calls.timeout === 0 && performance.now() - started < 2_000) await sleep(10);
    expect(performance.now() - started).toBeGreaterThanOrEqual(200);
    await sleep(SWEEP_MS * 3);
    expect(calls).toEqual({ abort: 0, timeout: 1 });
  });

  it('never calls back once released', async () => {
    const controller = new AbortController();
    const { calls, release } = counting(controller.signal, 100);
    release();
    controller.abort();
    await sleep(SWEEP_MS * 4);
    expect(calls).toEqual({ abort: 0, timeout: 0 });
  });

  it('stops its interval at the first sweep with nothing in flight', async () => {
    const cleared = vi.spyOn(globalThis, 'clearInterval');
    try {
      counting(new AbortController().signal).release();
      await sleep(SWEEP_MS * 3);
      expect(cleared).toHaveBeenCalledTimes(1);
    } finally {
      cleared.mockRestore();
    }
  });
});
