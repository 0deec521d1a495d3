// Cooperative scheduling for many rollouts in one process: reconcile never has to wait on I/O when its
// adapters are in memory, so 10,000 concurrent reconciles would run as one task and block the event
// loop for seconds. Each reconcile asks here between passes; once the current task has run for a
// slice, callers queue up and the event loop gets a turn (timers, I/O, other work) before they go on.
//
// The queue is first in, first out, and a turn resumes waiters one at a time only while its slice lasts:
// waking every waiter at each turn (one shared promise) costs a wake-up per waiter per turn, which with
// 10,000 waiters is itself a stall, and lets whoever wakes first starve the rest.
const sliceMs = 10;
let sliceStartedAt = performance.now();
const waiting: (() => void)[] = [];
let head = 0;
let turnScheduled = false;

/**
 * A promise to await when the event loop has been held for a slice (10 ms) by reconciles, or when others
 * are already waiting for their turn; `undefined` when there is time left, so the common case costs no
 * extra await. Once it resolves, it is the caller's turn: work at once, without asking again (asking
 * again would queue behind everyone still waiting).
 */
export function yieldWhenBusy(): Promise<void> | undefined {
  if (head === waiting.length && performance.now() - sliceStartedAt < sliceMs) return undefined;
  return new Promise<void>((resolve) => {
    waiting.push(resolve);
    scheduleTurn();
  });
}

function scheduleTurn(): void {
  if (turnScheduled) return;
  turnScheduled = true;
  setImmediate(startTurn);
}

function startTurn(): void {
  turnScheduled = false;
  sliceStartedAt = performance.now();
  resumeNext();
}

// Resumes the next waiter, then queues itself behind that waiter's continuation: the slice is checked
// again after each one has run up to its next await.
function resumeNext(): void {
  if (head === waiting.length) {
    waiting.length = 0;
    head = 0;
    return;
  }
  if (performance.now() - sliceStartedAt >= sliceMs) {
    // Drop the resumed ones so the array does not keep growing while waiters keep coming.
    waiting.splice(0, head);
    head = 0;
    scheduleTurn();
    return;
  }
  const resolve = waiting[head] as () => void;
  waiting[head++] = noop;
  resolve();
  // A reaction on a settled promise, not `queueMicrotask`: Node wraps each queued microtask in an async resource
  // and a bound function, and this runs once per waiting reconcile. resumeNext cannot throw.
  void settled.then(resumeNext);
}

const settled = Promise.resolve();

function noop(): void {}
