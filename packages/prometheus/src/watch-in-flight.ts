/** How often in-flight queries are looked at for an abort or a passed deadline, in milliseconds. */
export const SWEEP_MS = 50;

/** What an in-flight query is watched for. */
export interface InFlightWatch {
  /** The caller's signal. */
  signal: AbortSignal;
  /** Wall-clock limit from now, in milliseconds. */
  timeoutMs: number;
  onAbort: () => void;
  onTimeout: () => void;
}

interface Watched {
  watch: InFlightWatch;
  /** `performance.now()` past which the query has timed out. */
  deadline: number;
}

const watching = new Set<Watched>();
let sweeper: ReturnType<typeof setInterval> | undefined;

function sweep(): void {
  // Stops at the first sweep with nothing in flight, so an idle process has no timer of ours.
  if (watching.size === 0) {
    clearInterval(sweeper);
    sweeper = undefined;
    return;
  }
  const now = performance.now();
  for (const watched of watching) {
    if (watched.watch.signal.aborted) {
      watching.delete(watched);
      watched.watch.onAbort();
    } else if (now >= watched.deadline) {
      watching.delete(watched);
      watched.watch.onTimeout();
    }
  }
}

/**
 * Calls `onAbort` within `SWEEP_MS` of the signal firing (at once if it has fired), or `onTimeout` within
 * `SWEEP_MS` after `timeoutMs` (wall time), until the returned function is called; at most one of them, once.
 *
 * One shared interval looks at every in-flight query, instead of an `abort` listener and a timer per
 * query: Node's EventTarget made adding and removing a listener cost a tenth of a query's CPU (about
 * 40 µs on a fresh signal, which is what every measurement gets), and a timer a few µs more, where a set
 * entry costs nothing measurable. The price is up to 50 ms between an abort or a deadline and the
 * socket's end; the caller's signal is still checked first wherever an outcome is read, so an answer
 * arriving in between is never taken for a success.
 */
export function watchInFlight(watch: InFlightWatch): () => void {
  if (watch.signal.aborted) {
    watch.onAbort();
    return () => {};
  }
  const watched = { watch, deadline: performance.now() + watch.timeoutMs };
  watching.add(watched);
  if (sweeper === undefined) {
    sweeper = setInterval(sweep, SWEEP_MS);
    // Watching must not keep the process alive on its own: the socket it guards does, while it is open.
    sweeper.unref();
  }
  return () => {
    watching.delete(watched);
  };
}
