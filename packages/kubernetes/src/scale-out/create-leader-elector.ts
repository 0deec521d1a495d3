import { CancelledError, type Clock, type Logger, noopLogger, ValidationError } from '@gradual/core';
import type { KubeConfig } from '@kubernetes/client-node';
import { createInFlightTracker } from './in-flight-tracker.js';
import { createLeaseClient } from './lease-client.js';
import { createLeaseHolder, type LeaseAttempt } from './lease-holder.js';

/** Options of {@link createLeaderElector}; the durations are client-go's defaults. */
export interface LeaderElectorOptions {
  kubeConfig: KubeConfig;
  namespace: string;
  /** Name of the `coordination.k8s.io/v1` Lease. */
  name: string;
  /** This replica's identity (the pod name); unique among the candidates. */
  identity: string;
  /** How long a lease holds after the last renew another candidate saw; default 15 s. */
  leaseDurationMs?: number | undefined;
  /** The leader steps down when no renew succeeded for this long; default 10 s (less than the lease duration). */
  renewDeadlineMs?: number | undefined;
  /** Time between attempts to acquire or renew; default 2 s. */
  retryPeriodMs?: number | undefined;
  clock: Clock;
  /**
   * Called when this replica becomes leader. `signal` aborts when it stops
   * leading (renew deadline passed, lease lost, or `run`'s signal fired); the
   * returned promise should settle once the leader's work has stopped: only
   * then is the Lease released, so two leaders never work at once. A rejection
   * ends this term (the Lease is released and the replica campaigns again).
   */
  onStartedLeading(signal: AbortSignal): Promise<void> | void;
  /** Called after a term ended and its work settled. */
  onStoppedLeading(): void;
  /** Called whenever the observed holder changes to another identity (or to this one). */
  onNewLeader?: ((identity: string) => void) | undefined;
  logger?: Logger | undefined;
  /** Jitter source for the retry period (client-go's factor 1.2); default Math.random. */
  random?: (() => number) | undefined;
}

/** A candidate in a leader election on one Lease. */
export interface LeaderElector {
  /**
   * Campaigns, leads, renews, and campaigns again after losing, until `signal`
   * fires; then stops leading, waits for the leader's work, releases the Lease
   * (holder cleared, so a peer takes over at its next retry) and resolves.
   */
  run(signal: AbortSignal): Promise<void>;
  /** True while this replica leads (from acquiring until its term began to end). */
  isLeader(): boolean;
  /** The holder this replica last saw with a valid lease, or undefined. */
  leader(): string | undefined;
  /** Resolves when no API call or term hand-over is in progress (for tests on a fake clock: advance, then await this). */
  whenIdle(): Promise<void>;
}

/**
 * Leader election on a `coordination.k8s.io/v1` Lease with client-go's
 * behaviour: acquire when absent, released or expired (expiry measured from
 * when this process saw the record change), renew every retry period with the
 * resourceVersion read (a 409 is lost, never a second leader), step down when
 * renewing failed for the renew deadline, release on stop. Failover: at the
 * next retry after a clean stop; after a crash, once the lease expired in the
 * survivor's eyes (lease duration after it saw the last renew).
 */
export function createLeaderElector(options: LeaderElectorOptions): LeaderElector {
  const clock = options.clock;
  const leaseDurationMs = options.leaseDurationMs ?? 15_000;
  const renewDeadlineMs = options.renewDeadlineMs ?? 10_000;
  const retryPeriodMs = options.retryPeriodMs ?? 2_000;
  const logger = options.logger ?? noopLogger;
  const random = options.random ?? Math.random;
  if (!(renewDeadlineMs < leaseDurationMs))
    throw new ValidationError(`leader election options for Lease '${options.name}'`, [
      {
        path: 'renewDeadlineMs',
        message: `is ${renewDeadlineMs} and must be less than leaseDurationMs (${leaseDurationMs})`,
      },
    ]);
  // client-go's rule: a renew deadline must leave room for more than one (jittered) retry.
  if (!(renewDeadlineMs > retryPeriodMs * 1.2))
    throw new ValidationError(`leader election options for Lease '${options.name}'`, [
      {
        path: 'renewDeadlineMs',
        message: `is ${renewDeadlineMs} and must be more than 1.2 x retryPeriodMs (${retryPeriodMs})`,
      },
    ]);
  const client = createLeaseClient({
    kubeConfig: options.kubeConfig,
    namespace: options.namespace,
    clock,
    requestTimeoutMs: retryPeriodMs,
  });
  const lease = createLeaseHolder({
    client,
    name: options.name,
    identity: options.identity,
    leaseDurationMs,
    clock,
  });
  let leading = false;
  let reported: string | undefined;
  const inFlight = createInFlightTracker();
  const track = inFlight.track;

  const report = () => {
    const holder = lease.holder();
    if (holder === undefined || holder === reported) return;
    reported = holder;
    options.onNewLeader?.(holder);
  };

  const attempt = (signal: AbortSignal): Promise<LeaseAttempt | 'failed'> =>
    track(async () => {
      try {
        return await lease.tryAcquireOrRenew(signal);
      } catch (error) {
        if (CancelledError.isCancellation(error) && signal.aborted) throw error;
        logger.warn('lease acquire or renew failed', { lease: options.name, error: String(error) });
        return 'failed';
      } finally {
        report();
      }
    });

  const jittered = () => retryPeriodMs * (1 + random() * 1.2);

  /** Returns once this replica holds the Lease; throws a CancelledError when `signal` fires. */
  const acquire = async (signal: AbortSignal): Promise<number> => {
    for (;;) {
      const started = clock.now();
      const result = await attempt(signal);
      if (result === 'held') return started;
      // Held by another: try again at the next jittered retry, or right when it expires if that comes first.
      const expires = result === 'taken' ? lease.validUntil() : undefined;
      const wait = expires === undefined ? jittered() : Math.min(jittered(), expires - clock.now());
      await clock.sleep(Math.max(0, wait), signal);
    }
  };

  /** One term: leads until the renew deadline passes without a renew, the lease is lost, or `signal` fires. */
  const lead = async (signal: AbortSignal, acquiredAt: number) => {
    const term = new AbortController();
    const endTerm = (reason: string) => {
      if (!term.signal.aborted) term.abort(new CancelledError(`leadership of '${options.name}' (${reason})`));
    };
    const onStop = () => endTerm('stopped');
    signal.addEventListener('abort', onStop, { once: true });
    // The watchdog: re-armed after each renew, it ends the term renewDeadline after the last one began.
    let watchdog = new AbortController();
    const arm = (renewedAt: number) => {
      watchdog.abort();
      watchdog = new AbortController();
      clock.sleep(Math.max(0, renewedAt + renewDeadlineMs - clock.now()), watchdog.signal).then(
        () => endTerm('renew deadline passed'),
        () => {},
      );
    };
    leading = true;
    arm(acquiredAt);
    let work: Promise<void>;
    try {
      work = Promise.resolve(options.onStartedLeading(term.signal)).then(
        () => {},
        (error: unknown) => {
          if (!term.signal.aborted) logger.error('leader work failed', { lease: options.name, error: String(error) });
          endTerm('leader work failed');
        },
      );
    } catch (error) {
      logger.error('leader work failed', { lease: options.name, error: String(error) });
      endTerm('leader work failed');
      work = Promise.resolve();
    }
    try {
      while (!term.signal.aborted) {
        await clock.sleep(retryPeriodMs, term.signal);
        const started = clock.now();
        const result = await attempt(term.signal);
        if (result === 'held') arm(started);
        else if (result === 'taken') endTerm('lease taken by another holder');
      }
    } catch (error) {
      if (!CancelledError.isCancellation(error)) throw error;
    } finally {
      signal.removeEventListener('abort', onStop);
      watchdog.abort();
      leading = false;
      await track(() => work);
      options.onStoppedLeading();
    }
  };

  return {
    async run(signal) {
      try {
        while (!signal.aborted) {
          const acquiredAt = await acquire(signal);
          await lead(signal, acquiredAt);
        }
      } catch (error) {
        if (!CancelledError.isCancellation(error)) throw error;
      }
      // Released only after the work settled (lead awaited it); bounded by the request timeout.
      await track(async () => {
        try {
          await lease.release(new AbortController().signal);
        } catch (error) {
          logger.warn('lease release failed; peers take over once it expires', {
            lease: options.name,
            error: String(error),
          });
        }
      });
    },
    isLeader: () => leading,
    leader: () => lease.holder(),
    whenIdle: inFlight.whenIdle,
  };
}
