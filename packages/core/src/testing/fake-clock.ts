import { type Clock, systemClock } from '../clock/clock.js';
import { CancelledError } from '../errors/cancelled-error.js';

export interface FakeClockOptions {
  /**
   * Epoch ms the clock starts at; default: the real current time, so that a
   * fake clock paired with a real server (Prometheus, an API) asks about now,
   * not 1970. Pass `start: 0` for times that read the same in every run.
   */
  start?: number | undefined;
  /**
   * Jump to the next timer whenever the program is otherwise idle, so a long
   * rollout runs in milliseconds. Idle means: a timer is pending and the
   * event loop ran a full turn (microtasks and I/O callbacks) without anyone
   * registering another timer or advancing the clock.
   */
  auto?: boolean | undefined;
}

export interface FakeClock extends Clock {
  /** Moves time forward by `ms`, waking every sleeper whose time has come, in order. */
  advance(ms: number): Promise<void>;
  /** Moves time to the next pending timer; false if there is none. */
  next(): Promise<boolean>;
  /** Number of sleeps waiting. */
  pending(): number;
  setAuto(auto: boolean): void;
}

interface Timer {
  at: number;
  seq: number;
  resolve: () => void;
  reject: (error: unknown) => void;
  cleanup: () => void;
}

/** A clock for tests: time moves only when told to, or by itself when idle in auto mode. */
export function createFakeClock(options: FakeClockOptions = {}): FakeClock {
  let now = options.start ?? systemClock.now();
  let auto = options.auto ?? false;
  let seq = 0;
  let timers: Timer[] = [];
  let idleCheckScheduled = false;
  // Bumped on every sleep or advance; an idle check that sees it changed waits another turn.
  let activity = 0;

  const fire = (upTo: number) => {
    const due = timers.filter((timer) => timer.at <= upTo).sort((a, b) => a.at - b.at || a.seq - b.seq);
    timers = timers.filter((timer) => timer.at > upTo);
    for (const timer of due) {
      timer.cleanup();
      timer.resolve();
    }
  };

  const scheduleIdleCheck = () => {
    if (!auto || idleCheckScheduled) return;
    idleCheckScheduled = true;
    const seen = activity;
    // Two macrotask turns: lets promise chains and ready I/O callbacks run first.
    setImmediate(() =>
      setImmediate(() => {
        idleCheckScheduled = false;
        if (!auto || timers.length === 0) return;
        if (activity !== seen) {
          scheduleIdleCheck();
          return;
        }
        const earliest = Math.min(...timers.map((timer) => timer.at));
        now = Math.max(now, earliest);
        activity++;
        fire(now);
        if (timers.length > 0) scheduleIdleCheck();
      }),
    );
  };

  const clock: FakeClock = {
    now: () => now,
    sleep(ms, signal) {
      return new Promise<void>((resolve, reject) => {
        if (signal?.aborted) {
          reject(new CancelledError('sleep', signal.reason));
          return;
        }
        activity++;
        const onAbort = () => {
          timers = timers.filter((candidate) => candidate !== timer);
          reject(new CancelledError('sleep', signal?.reason));
        };
        const timer: Timer = {
          at: now + Math.max(0, ms),
          seq: seq++,
          resolve,
          reject,
          cleanup: () => signal?.removeEventListener('abort', onAbort),
        };
        signal?.addEventListener('abort', onAbort, { once: true });
        if (ms <= 0) {
          timer.cleanup();
          resolve();
          return;
        }
        timers.push(timer);
        scheduleIdleCheck();
      });
    },
    async advance(ms) {
      const target = now + ms;
      activity++;
      // Wake sleepers one instant at a time so that work they start sees the right time.
      for (;;) {
        const due = timers.filter((timer) => timer.at <= target);
        if (due.length === 0) break;
        const at = Math.min(...due.map((timer) => timer.at));
        now = Math.max(now, at);
        fire(at);
        await flush();
      }
      now = target;
    },
    async next() {
      if (timers.length === 0) return false;
      const at = Math.min(...timers.map((timer) => timer.at));
      await clock.advance(Math.max(0, at - now));
      return true;
    },
    pending: () => timers.length,
    setAuto(value) {
      auto = value;
      scheduleIdleCheck();
    },
  };
  return clock;
}

function flush(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
