import { abortAfter } from '@gradual/core/adapter';
import { describe, expect, it } from 'vitest';

describe('abortAfter', () => {
  it('aborts with a TimeoutError once the delay has passed, as AbortSignal.timeout does', async () => {
    const { signal } = abortAfter(1);
    await new Promise<void>((resolve, reject) => {
      const bound = AbortSignal.timeout(5_000);
      bound.addEventListener('abort', () => reject(new Error('abortAfter(1) never aborted')), { once: true });
      signal.addEventListener('abort', () => resolve(), { once: true });
    });
    expect(signal.aborted).toBe(true);
    expect((signal.reason as DOMException).name).toBe('TimeoutError');
  });

  it('never aborts once released', async () => {
    const timeout = abortAfter(1);
    timeout.release();
    // Wait past the delay on a timer of our own: the released signal must still be live.
    await new Promise<void>((resolve) => AbortSignal.timeout(20).addEventListener('abort', () => resolve(), { once: true }));
    expect(timeout.signal.aborted).toBe(false);
  });
});

describe('abortAfter with a parent signal', () => {
  it("aborts with the parent's reason, and at once when the parent already aborted", () => {
    const parent = new AbortController();
    const timeout = abortAfter(60_000, parent.signal);
    parent.abort('stopped');
    expect(timeout.signal.reason).toBe('stopped');
    timeout.release();
    expect(abortAfter(60_000, parent.signal).signal.reason).toBe('stopped');
  });

  it('leaves no listener on the parent once released', () => {
    const parent = new AbortController();
    const timeout = abortAfter(60_000, parent.signal);
    timeout.release();
    parent.abort('late');
    expect(timeout.signal.aborted).toBe(false);
  });
});
