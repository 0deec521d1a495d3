/**
 * How long a key waits before it is handled again after a failure, as
 * client-go's `workqueue.TypedRateLimiter`: `when` counts a requeue and
 * answers the delay, `forget` clears the key's history once it succeeded.
 */
export interface RateLimiter {
  /** Delay in ms before `key` may run again; counts one requeue of it. */
  when(key: string): number;
  /** The key succeeded: its failure history starts over. */
  forget(key: string): void;
  /** Requeues counted for `key` since it was last forgotten. */
  numRequeues(key: string): number;
}
