import { systemClock } from '@gradual/core';
import { afterEach, describe, expect, it, vi } from 'vitest';

const day = 86_400_000;

describe('systemClock.sleep', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  // Node's timers hold at most 2^31-1 ms (24.8 days); a longer delay fired after 1 ms, every time,
  // with a TimeoutOverflowWarning: a `pause: {duration: 600h}` spun instead of sleeping.
  it('sleeps longer than a Node timer can hold (600h) in chunks, firing once at the end', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    const warnings: string[] = [];
    const onWarning = (warning: Error) => warnings.push(warning.name);
    process.on('warning', onWarning);
    try {
      let woke = false;
      const sleeping = systemClock.sleep(600 * 3_600_000).then(() => {
        woke = true;
      });
      await vi.advanceTimersByTimeAsync(1_000);
      expect(woke).toBe(false);
      await vi.advanceTimersByTimeAsync(24 * day);
      expect(woke).toBe(false);
      await vi.advanceTimersByTimeAsync(600 * 3_600_000 - 24 * day - 1_000 - 1);
      expect(woke).toBe(false);
      await vi.advanceTimersByTimeAsync(1);
      await sleeping;
      expect(woke).toBe(true);
      expect(vi.getTimerCount()).toBe(0);
      expect(warnings).not.toContain('TimeoutOverflowWarning');
    } finally {
      process.off('warning', onWarning);
    }
  });

  it('is cancelled in any chunk by its signal', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    const controller = new AbortController();
    const sleeping = systemClock.sleep(60 * day, controller.signal).then(
      () => 'woke',
      (error: Error) => error.name,
    );
    await vi.advanceTimersByTimeAsync(30 * day);
    controller.abort();
    expect(await sleeping).toBe('CancelledError');
    expect(vi.getTimerCount()).toBe(0);
  });

  it('waits for ever on an infinite delay, until cancelled', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    const controller = new AbortController();
    let settled = false;
    const sleeping = systemClock.sleep(Number.POSITIVE_INFINITY, controller.signal).catch(() => {
      settled = true;
    });
    await vi.advanceTimersByTimeAsync(100 * day);
    expect(settled).toBe(false);
    controller.abort();
    await sleeping;
    expect(settled).toBe(true);
  });
});
