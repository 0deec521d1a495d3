/** A signal that aborts after a wall-clock delay, and a way to cancel that timer early. */
export interface ReleasableTimeout {
  /** Aborts with a `TimeoutError` DOMException (as `AbortSignal.timeout` does) once the delay has passed. */
  signal: AbortSignal;
  /** Clears the timer; call it when the guarded work has ended, so nothing of it stays for the full delay. */
  release(): void;
}

/**
 * `AbortSignal.timeout` that can be released: Node's own keeps its timer and
 * signal alive for the whole delay even after the work ended (about 2.4 KB
 * for 60 s per measurement). Wall time, like every network deadline; the
 * timer does not keep the process alive.
 */
export function abortAfter(ms: number): ReleasableTimeout {
  const controller = new AbortController();
  const timer = setTimeout(() => {
    controller.abort(new DOMException('The operation was aborted due to timeout', 'TimeoutError'));
  }, ms);
  timer.unref?.();
  return { signal: controller.signal, release: () => clearTimeout(timer) };
}
