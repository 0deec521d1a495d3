import { createFakeClock } from '@gradual/core/testing';
import {
  createBucketRateLimiter,
  createDefaultControllerRateLimiter,
  createExponentialRateLimiter,
  createWorkQueue,
} from '@gradual/kubernetes';
import { describe, expect, it } from 'vitest';

/** A promise with its resolve, to hold a handler in flight. */
function deferred() {
  let resolve!: () => void;
  const promise = new Promise<void>((done) => {
    resolve = done;
  });
  return { promise, resolve };
}

/** Lets promise chains and queued callbacks run (no time passes on the fake clock). */
const turn = () => new Promise<void>((resolve) => setImmediate(resolve));

/** Waits, a bounded number of event-loop turns, until `check` holds. */
async function until(check: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 500; i++) {
    if (check()) return;
    await turn();
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe('rate limiters', () => {
  // Rows: client-go util/workqueue default_rate_limiters.go, ItemExponentialFailureRateLimiter(5ms, 1000s):
  // base * 2^n, capped at max.
  it.each([
    [0, 5],
    [1, 10],
    [2, 20],
    [3, 40],
    [10, 5120],
    [17, 655_360],
    [18, 1_000_000],
    [40, 1_000_000],
    [2000, 1_000_000],
  ])('exponential: requeue #%i waits %i ms', (n, delay) => {
    const limiter = createExponentialRateLimiter();
    for (let i = 0; i < n; i++) limiter.when('default/a');
    expect(limiter.when('default/a')).toBe(delay);
    expect(limiter.numRequeues('default/a')).toBe(n + 1);
    expect(limiter.when('default/b')).toBe(5);
    limiter.forget('default/a');
    expect(limiter.numRequeues('default/a')).toBe(0);
    expect(limiter.when('default/a')).toBe(5);
  });

  it('bucket: a burst of 100 passes, then one per 100 ms (10 qps), refilled by time', async () => {
    const clock = createFakeClock({ start: 0 });
    const limiter = createBucketRateLimiter({ clock });
    for (let i = 0; i < 100; i++) expect(limiter.when(`default/k${i}`)).toBe(0);
    expect(limiter.when('default/x')).toBe(100);
    expect(limiter.when('default/y')).toBe(200);
    await clock.advance(10_000);
    // 10 s add 100 tokens, but the two reservations were owed: 98 free, the 99th waits.
    for (let i = 0; i < 98; i++) expect(limiter.when(`default/v${i}`)).toBe(0);
    expect(limiter.when('default/u')).toBe(100);
    await clock.advance(60_000);
    // The bucket holds at most the burst, however long it was idle.
    for (let i = 0; i < 100; i++) expect(limiter.when(`default/z${i}`)).toBe(0);
    expect(limiter.when('default/w')).toBe(100);
  });

  it('default controller limiter: the longer of the per-key backoff and the overall bucket', () => {
    const clock = createFakeClock({ start: 0 });
    const limiter = createDefaultControllerRateLimiter({ clock });
    expect([limiter.when('a'), limiter.when('a'), limiter.when('a')]).toEqual([5, 10, 20]);
    for (let i = 0; i < 97; i++) limiter.when(`k${i}`);
    // The bucket is empty: a fresh key waits for a token, not 5 ms.
    expect(limiter.when('fresh')).toBe(100);
    expect(limiter.numRequeues('a')).toBe(3);
  });
});

describe('createWorkQueue', () => {
  it('de-duplicates keys that are waiting', () => {
    const queue = createWorkQueue({ clock: createFakeClock({ start: 0 }) });
    queue.add('default/a');
    queue.add('default/a');
    queue.add('default/b');
    queue.add('default/a');
    expect(queue.length).toBe(2);
  });

  it('never hands one key to two workers; an add while it runs makes it run once more, after', async () => {
    const queue = createWorkQueue({ clock: createFakeClock({ start: 0 }) });
    const controller = new AbortController();
    const inFlight = new Map<string, number>();
    let most = 0;
    const runs: string[] = [];
    const gate = deferred();
    const processing = queue.process(
      async (key) => {
        const now = (inFlight.get(key) ?? 0) + 1;
        inFlight.set(key, now);
        most = Math.max(most, now);
        runs.push(key);
        if (runs.length === 1) await gate.promise;
        await turn();
        inFlight.set(key, now - 1);
      },
      { concurrency: 4, signal: controller.signal },
    );
    queue.add('default/a');
    await until(() => runs.length === 1, 'the first run');
    // Three adds while it runs: one more run, after this one, on whichever worker.
    queue.add('default/a');
    queue.add('default/a');
    queue.add('default/a');
    queue.add('default/b');
    await until(() => runs.includes('default/b'), 'b on another worker');
    expect(runs.filter((key) => key === 'default/a')).toHaveLength(1);
    gate.resolve();
    await until(() => runs.length === 3 && inFlight.get('default/a') === 0, 'the second run of a');
    await turn();
    expect(runs.filter((key) => key === 'default/a')).toHaveLength(2);
    expect(most).toBe(1);
    controller.abort();
    await processing;
  });

  it('is FIFO: a key requeued on every run does not starve the others', async () => {
    const queue = createWorkQueue({ clock: createFakeClock({ start: 0 }) });
    const controller = new AbortController();
    const runs: string[] = [];
    const processing = queue.process(
      async (key) => {
        runs.push(key);
        // A real handler does I/O; without a turn the loop would only run microtasks.
        await turn();
        if (key === 'default/hot') queue.add('default/hot');
      },
      { signal: controller.signal },
    );
    queue.add('default/hot');
    queue.add('default/b');
    queue.add('default/c');
    await until(() => runs.length >= 7, 'seven runs');
    controller.abort();
    await processing;
    expect(runs.slice(0, 5)).toEqual(['default/hot', 'default/b', 'default/c', 'default/hot', 'default/hot']);
  });

  it('addAfter: the key arrives at its time on the clock; the earliest of two delays wins; <= 0 is now', async () => {
    const clock = createFakeClock({ start: 0 });
    const queue = createWorkQueue({ clock });
    queue.addAfter('default/a', 1000);
    queue.addAfter('default/a', 300);
    queue.addAfter('default/a', 2000);
    queue.addAfter('default/now', 0);
    expect(queue.length).toBe(1);
    await clock.advance(299);
    expect(queue.length).toBe(1);
    await clock.advance(1);
    expect(queue.length).toBe(2);
    // The later timers were replaced, not left to add the key again.
    expect(clock.pending()).toBe(0);
  });

  it('a failing handler is requeued with exact backoff 5, 10, 20 ms; success forgets it; requeueAfterMs is honoured', async () => {
    const clock = createFakeClock({ start: 0 });
    const queue = createWorkQueue({ clock, rateLimiter: createExponentialRateLimiter() });
    const controller = new AbortController();
    const at: number[] = [];
    const errors: string[] = [];
    const processing = queue.process(
      async (_key) => {
        at.push(clock.now());
        if (at.length <= 3) throw new Error(`try ${at.length} failed`);
        if (at.length === 4) return { requeueAfterMs: 30_000 };
        return undefined;
      },
      { signal: controller.signal, onError: (error, key) => errors.push(`${key}: ${(error as Error).message}`) },
    );
    queue.add('default/a');
    await until(() => at.length === 1, 'the first try');
    for (const step of [4, 1, 9, 1, 19, 1]) {
      await clock.advance(step);
      await turn();
    }
    await until(() => at.length === 4, 'the fourth try');
    expect(at).toEqual([0, 5, 15, 35]);
    expect(errors).toEqual(['default/a: try 1 failed', 'default/a: try 2 failed', 'default/a: try 3 failed']);
    expect(queue.numRequeues('default/a')).toBe(0);
    await clock.advance(29_999);
    await turn();
    expect(at).toHaveLength(4);
    await clock.advance(1);
    await until(() => at.length === 5, 'the requeue after 30 s');
    expect(at[4]).toBe(30_035);
    controller.abort();
    await processing;
  });

  it('shutdown with drain handles what is queued and waits for handlers in flight; adds after it are ignored', async () => {
    const clock = createFakeClock({ start: 0 });
    const queue = createWorkQueue({ clock });
    const controller = new AbortController();
    const runs: string[] = [];
    const gate = deferred();
    const processing = queue.process(
      async (key) => {
        runs.push(key);
        if (key === 'default/a') await gate.promise;
      },
      { signal: controller.signal },
    );
    queue.add('default/a');
    queue.add('default/b');
    queue.addAfter('default/later', 10);
    await until(() => runs.length === 1, 'a in flight');
    let stopped = false;
    const stopping = queue.shutdown({ drain: true }).then(() => {
      stopped = true;
    });
    queue.add('default/c');
    await turn();
    expect(stopped).toBe(false);
    gate.resolve();
    await stopping;
    await processing;
    expect(runs).toEqual(['default/a', 'default/b']);
    expect(clock.pending()).toBe(0);
  });

  it('shutdown without drain drops what is queued but still waits for the handler in flight', async () => {
    const queue = createWorkQueue({ clock: createFakeClock({ start: 0 }) });
    const controller = new AbortController();
    const runs: string[] = [];
    const gate = deferred();
    let finished = false;
    const processing = queue.process(
      async (key) => {
        runs.push(key);
        await gate.promise;
        finished = true;
      },
      { signal: controller.signal },
    );
    queue.add('default/a');
    queue.add('default/b');
    await until(() => runs.length === 1, 'a in flight');
    queue.add('default/a');
    const stopping = queue.shutdown();
    await turn();
    expect(finished).toBe(false);
    gate.resolve();
    await stopping;
    await processing;
    expect(finished).toBe(true);
    expect(runs).toEqual(['default/a']);
    expect(queue.length).toBe(0);
  });

  it('an aborted signal stops the workers after their handler, which saw the signal; the key stays queued', async () => {
    const queue = createWorkQueue({ clock: createFakeClock({ start: 0 }) });
    const controller = new AbortController();
    const seen: boolean[] = [];
    const processing = queue.process(
      async (_key, { signal }) => {
        await new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
        seen.push(signal.aborted);
        signal.throwIfAborted();
      },
      { concurrency: 2, signal: controller.signal },
    );
    queue.add('default/a');
    await turn();
    controller.abort();
    await processing;
    expect(seen).toEqual([true]);
    expect(queue.length).toBe(1);
  });
});

describe('createWorkQueue with a client-go style handler', () => {
  it('a handler that catches its error and calls addRateLimited itself keeps its backoff growing', async () => {
    const clock = createFakeClock({ start: 0 });
    const queue = createWorkQueue({ clock, rateLimiter: createExponentialRateLimiter() });
    const controller = new AbortController();
    const at: number[] = [];
    const processing = queue.process(
      async (key) => {
        at.push(clock.now());
        if (at.length <= 3) queue.addRateLimited(key);
        else queue.forget(key);
      },
      { signal: controller.signal },
    );
    queue.add('default/a');
    await until(() => at.length === 1, 'the first try');
    for (const step of [5, 10, 20]) {
      await clock.advance(step);
      await until(() => at.length >= 2, 'a retry');
    }
    await until(() => at.length === 4, 'the fourth try');
    expect(at).toEqual([0, 5, 15, 35]);
    expect(queue.numRequeues('default/a')).toBe(0);
    controller.abort();
    await processing;
  });
});
