import type { Clock } from '../clock/clock.js';
import type { Logger } from './logger.js';

/**
 * Passed with every contract call. Implementations pass `signal` on to all
 * I/O they do and reject promptly when it fires; they wait only through
 * `clock`, never through timers of their own.
 */
export interface CallOptions {
  signal: AbortSignal;
  clock: Clock;
  logger?: Logger | undefined;
}
