// Cooperative scheduling for many rollouts in one process: reconcile never has to wait on I/O when its
// adapters are in memory, so 10,000 concurrent reconciles would run as one task and block the event
// loop for seconds. Each reconcile asks here between passes; once the current task has run for a
// slice, everyone waits for one turn of the event loop (timers, I/O, other work) before going on.
const sliceMs = 10;
let sliceStartedAt = performance.now();
let turn: Promise<void> | undefined;

/**
 * A promise to await when the event loop has been held for a slice (10 ms) by reconciles;
 * `undefined` when there is time left, so the common case costs no extra await. Ask again after
 * awaiting it, right before the work (a helper around the loop would add a hop after the check,
 * and every waiter would pass the check before any of them worked).
 */
export function yieldWhenBusy(): Promise<void> | undefined {
  if (turn) return turn;
  if (performance.now() - sliceStartedAt < sliceMs) return undefined;
  turn = new Promise<void>((resolve) =>
    setImmediate(() => {
      turn = undefined;
      sliceStartedAt = performance.now();
      resolve();
    }),
  );
  return turn;
}
