// In-flight queries watch their caller's signal from one shared interval since issue 13 (an abort listener
// per query cost a tenth of its CPU): an abort must still reach the query within the sweep, a released
// watch must never fire, and nothing of ours may keep running once no query is in flight.
import { describe, expect, it, vi } from 'vitest';
import { ABORT_SWEEP_MS, watchAbort } from '../src/watch-abort.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('watchAbort', () => {
  it('calls back within a sweep of the abort, once', async () => {
    const controller = new AbortController();
    let calls = 0;
    watchAbort(controller.signal, () => calls++);
    await sleep(ABORT_SWEEP_MS * 2);
    expect(calls).toBe(0);
    controller.abort();
    await sleep(ABORT_SWEEP_MS * 3);
    expect(calls).toBe(1);
  });

  it('calls back at once for a signal that has already fired', () => {
    let calls = 0;
    watchAbort(AbortSignal.abort(), () => calls++);
    expect(calls).toBe(1);
  });

  it('never calls back once released', async () => {
    const controller = new AbortController();
    let calls = 0;
    const release = watchAbort(controller.signal, () => calls++);
    release();
    controller.abort();
    await sleep(ABORT_SWEEP_MS * 3);
    expect(calls).toBe(0);
  });

  it('stops its interval at the first sweep with nothing in flight', async () => {
    const cleared = vi.spyOn(globalThis, 'clearInterval');
    try {
      const release = watchAbort(new AbortController().signal, () => {});
      release();
      await sleep(ABORT_SWEEP_MS * 3);
      expect(cleared).toHaveBeenCalledTimes(1);
    } finally {
      cleared.mockRestore();
    }
  });
});
