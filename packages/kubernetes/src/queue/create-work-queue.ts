import { CancelledError, type Clock } from '@gradual/core';
import { createDefaultControllerRateLimiter } from './create-default-controller-rate-limiter.js';
import type { RateLimiter } from './rate-limiter.js';

/** Options of {@link createWorkQueue}. */
export interface WorkQueueOptions {
  /** Time of `addAfter` and of rate-limited requeues. */
  clock: Clock;
  /** Delay of `addRateLimited`; default {@link createDefaultControllerRateLimiter} on `clock`. */
  rateLimiter?: RateLimiter | undefined;
}

/** What a handler may ask for after it succeeded. */
export interface WorkResult {
  /** Handle the key again after this many ms (a pause ends, a measurement is due); its backoff is reset. */
  requeueAfterMs?: number | undefined;
}

/** Handles one key. Resolving forgets the key's failures; throwing requeues it with backoff. */
// biome-ignore lint/suspicious/noConfusingVoidType: lets an `async` handler that returns nothing type-check.
export type WorkHandler = (key: string, options: { signal: AbortSignal }) => Promise<WorkResult | undefined | void>;

/** Options of {@link WorkQueue.process}. */
export interface ProcessOptions {
  /** Workers handling distinct keys at once; default 1. */
  concurrency?: number | undefined;
  /** Stops taking keys when it fires; handlers in flight get it and are awaited. */
  signal: AbortSignal;
  /** Told about every handler failure (the key is already requeued with backoff). */
  onError?: ((error: unknown, key: string) => void) | undefined;
}

/** Options of {@link WorkQueue.shutdown}. */
export interface ShutdownOptions {
  /** Handle the keys already queued before stopping (client-go's `ShutDownWithDrain`); default false: drop them. */
  drain?: boolean | undefined;
}

/**
 * A controller's work queue with client-go's `workqueue` semantics: a key is
 * queued at most once (de-duplication), never handled by two workers at once
 * (an add while it is handled marks it dirty and it runs once more after),
 * handed out in FIFO order so a key requeued again and again does not starve
 * others, with delayed and rate-limited adds on the injected clock.
 */
export interface WorkQueue {
  /** Queues `key` unless it is already waiting; if it is being handled, it runs again afterwards. */
  add(key: string): void;
  /** Adds `key` after `ms`; of several pending delays for one key the earliest wins. */
  addAfter(key: string, ms: number): void;
  /** Adds `key` after the rate limiter's delay for it (5 ms, 10 ms, 20 ms, ... by default). */
  addRateLimited(key: string): void;
  /** Clears the key's failure history (the next `addRateLimited` waits the base delay). */
  forget(key: string): void;
  /** Rate-limited requeues of `key` since it was last forgotten. */
  numRequeues(key: string): number;
  /** Keys queued and not being handled. */
  readonly length: number;
  /** True once `shutdown` was called; adds are then ignored. */
  readonly shuttingDown: boolean;
  /**
   * Runs `concurrency` workers until `signal` fires or the queue shuts down, and
   * resolves when every one of them has finished its handler. A handler that
   * resolves has its failures forgotten (unless it called `addRateLimited` for
   * its key itself, as a client-go controller does), and one that returns
   * `requeueAfterMs` is added again after it; one that throws is requeued with
   * `addRateLimited` (a cancellation by `signal` is requeued without backoff
   * and not reported).
   */
  process(handler: WorkHandler, options: ProcessOptions): Promise<void>;
  /** Stops accepting keys, cancels delayed adds, and resolves once no handler is in flight. */
  shutdown(options?: ShutdownOptions): Promise<void>;
}

interface Waiter {
  signal: AbortSignal;
  take: (key: string | undefined) => void;
}

/** Creates a {@link WorkQueue}. */
export function createWorkQueue(options: WorkQueueOptions): WorkQueue {
  const clock = options.clock;
  const rateLimiter = options.rateLimiter ?? createDefaultControllerRateLimiter({ clock });
  // FIFO as an array with a moving head: shift() is O(n) on large queues.
  let queue: string[] = [];
  let head = 0;
  const dirty = new Set<string>();
  const processing = new Set<string>();
  const delayed = new Map<string, { at: number; cancel: AbortController }>();
  // Keys whose handler itself asked for a rate-limited requeue (client-go style): not forgotten when it resolves.
  const requeuedByHandler = new Set<string>();
  let waiters: Waiter[] = [];
  let shuttingDown = false;
  let draining = false;
  let workers = 0;
  let idle: (() => void)[] = [];

  const queued = () => queue.length - head;

  const pop = (): string => {
    const key = queue[head++]!;
    if (head > 1024 && head * 2 > queue.length) {
      queue = queue.slice(head);
      head = 0;
    }
    return key;
  };

  const settleShutdown = () => {
    if (!shuttingDown || processing.size > 0) return;
    if (queued() > 0 && workers > 0) return;
    // Nobody left to drain what is queued: it is dropped, as in client-go when no worker runs.
    queue = [];
    head = 0;
    dirty.clear();
    for (const waiter of waiters) waiter.take(undefined);
    waiters = [];
    const done = idle;
    idle = [];
    for (const resolve of done) resolve();
  };

  const pump = () => {
    while (waiters.length > 0 && queued() > 0) {
      const waiter = waiters.shift()!;
      const key = pop();
      dirty.delete(key);
      processing.add(key);
      waiter.take(key);
    }
    if (shuttingDown && queued() === 0) {
      for (const waiter of waiters) waiter.take(undefined);
      waiters = [];
    }
  };

  const add = (key: string) => {
    if (shuttingDown || dirty.has(key)) return;
    dirty.add(key);
    // Being handled: it goes back to the queue when its handler is done.
    if (processing.has(key)) return;
    queue.push(key);
    pump();
  };

  const done = (key: string) => {
    processing.delete(key);
    if (dirty.has(key)) {
      queue.push(key);
      pump();
    }
    settleShutdown();
  };

  const next = (signal: AbortSignal): Promise<string | undefined> =>
    new Promise((resolve) => {
      if (signal.aborted || (shuttingDown && queued() === 0)) {
        resolve(undefined);
        return;
      }
      const onAbort = () => {
        waiters = waiters.filter((candidate) => candidate !== waiter);
        resolve(undefined);
      };
      const waiter: Waiter = {
        signal,
        take: (key) => {
          signal.removeEventListener('abort', onAbort);
          resolve(key);
        },
      };
      signal.addEventListener('abort', onAbort, { once: true });
      waiters.push(waiter);
      pump();
    });

  const addAfter = (key: string, ms: number) => {
    if (shuttingDown) return;
    if (!(ms > 0)) {
      add(key);
      return;
    }
    const at = clock.now() + ms;
    const pending = delayed.get(key);
    if (pending && pending.at <= at) return;
    pending?.cancel.abort();
    const cancel = new AbortController();
    delayed.set(key, { at, cancel });
    clock.sleep(ms, cancel.signal).then(
      () => {
        if (delayed.get(key)?.cancel === cancel) delayed.delete(key);
        add(key);
      },
      () => {},
    );
  };

  return {
    add,
    addAfter,
    addRateLimited: (key) => {
      if (processing.has(key)) requeuedByHandler.add(key);
      addAfter(key, rateLimiter.when(key));
    },
    forget: (key) => rateLimiter.forget(key),
    numRequeues: (key) => rateLimiter.numRequeues(key),
    get length() {
      return queued();
    },
    get shuttingDown() {
      return shuttingDown;
    },
    async process(handler, processOptions) {
      const { signal } = processOptions;
      const work = async () => {
        workers++;
        try {
          for (;;) {
            const key = await next(signal);
            if (key === undefined) return;
            try {
              requeuedByHandler.delete(key);
              const result = await handler(key, { signal });
              if (!requeuedByHandler.delete(key)) rateLimiter.forget(key);
              if (result?.requeueAfterMs !== undefined) addAfter(key, result.requeueAfterMs);
            } catch (error) {
              if (signal.aborted && CancelledError.isCancellation(error)) add(key);
              else {
                addAfter(key, rateLimiter.when(key));
                processOptions.onError?.(error, key);
              }
            } finally {
              done(key);
            }
          }
        } finally {
          workers--;
          settleShutdown();
        }
      };
      const count = Math.max(1, Math.floor(processOptions.concurrency ?? 1));
      await Promise.all(Array.from({ length: count }, work));
    },
    shutdown(shutdownOptions = {}) {
      shuttingDown = true;
      draining = shutdownOptions.drain === true;
      for (const { cancel } of delayed.values()) cancel.abort();
      delayed.clear();
      if (!draining) {
        queue = [];
        head = 0;
        // Keys in flight that were re-added are not run again either.
        dirty.clear();
      }
      const finished = new Promise<void>((resolve) => idle.push(resolve));
      pump();
      settleShutdown();
      return finished;
    },
  };
}
