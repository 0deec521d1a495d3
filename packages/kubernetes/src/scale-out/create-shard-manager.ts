import { CancelledError, type Clock, type Logger, noopLogger, ValidationError } from '@gradual/core';
import type { KubeConfig, V1Lease } from '@kubernetes/client-node';
import { KubernetesApiError } from '../kube/kubernetes-api-error.js';
import { assignShards } from './assign-shards.js';
import { createInFlightTracker } from './in-flight-tracker.js';
import { createLeaseClient } from './lease-client.js';
import { createLeaseHolder, type LeaseHolder } from './lease-holder.js';
import { rendezvousWeight } from './rendezvous-weight.js';
import { shardOf } from './shard-of.js';

/** Options of {@link createShardManager}; the durations are client-go's leader-election defaults. */
export interface ShardManagerOptions {
  kubeConfig: KubeConfig;
  namespace: string;
  /** This replica's identity (the pod name), valid in a Lease name. */
  identity: string;
  /** Number of shards; the same on every replica. */
  shardCount: number;
  /** Lease names: `<prefix>-member-<identity>` and `<prefix>-shard-<n>`; default `gradual`. */
  prefix?: string | undefined;
  /** How long a member or shard lease holds after the last renew a peer saw; default 15 s. */
  leaseDurationMs?: number | undefined;
  /** A shard is given up when its lease was not renewed for this long; default 10 s. */
  renewDeadlineMs?: number | undefined;
  /** Time between rounds (list, renew, rebalance); default 2 s. */
  retryPeriodMs?: number | undefined;
  clock: Clock;
  /**
   * This replica now owns `shard`: start its work (e.g. resync its keys).
   * `signal` aborts when the shard is to be handed over or lost; from then on
   * `owns()` is false for its keys. The returned promise must settle once the
   * shard's work in flight has finished: the Lease is released only after it
   * settled and `onReleased` returned, so the next owner never overlaps.
   */
  onAcquired(shard: number, signal: AbortSignal): Promise<void> | void;
  /** The shard's work has stopped; called before its Lease is released. */
  onReleased(shard: number): Promise<void> | void;
  logger?: Logger | undefined;
}

/** One replica's part in sharding work across replicas with Leases. */
export interface ShardManager {
  /**
   * Joins (membership Lease), takes and renews the shards assigned to this
   * replica, hands over the ones a joiner now owns, until `signal` fires;
   * then stops every shard's work, releases their Leases, deletes the
   * membership Lease and resolves (peers take over at their next round).
   */
  run(signal: AbortSignal): Promise<void>;
  /** True if `key`'s shard is held by this replica and not being handed over: take new work only then. */
  owns(key: string): boolean;
  /** The signal of `key`'s shard while this replica owns it (fires at hand-over or loss); undefined otherwise. */
  signalFor(key: string): AbortSignal | undefined;
  /** Shards held and active, ascending. */
  ownedShards(): number[];
  /** Live members this replica saw at its last round (including itself), sorted. */
  members(): string[];
  /** Resolves when no round, API call or hand-over is in progress (for tests on a fake clock). */
  whenIdle(): Promise<void>;
}

type ShardState = 'active' | 'handing-over' | 'lost';

interface Held {
  state: ShardState;
  term: AbortController;
  work: Promise<void>;
  watchdog: AbortController;
  /** Set once the work stopped and the Lease is being released: rounds no longer renew it. */
  releasing?: boolean | undefined;
  /** Settles when the hand-over started by `stop` is complete (entry removed). */
  stopped?: Promise<void> | undefined;
}

/**
 * Shards on Kubernetes Leases. Each replica renews a membership Lease; live
 * members are those whose Lease this replica saw change within its duration
 * (observed time, as client-go). A replica holds one Lease per shard it owns,
 * taken only when absent, released or expired, so two replicas never hold a
 * shard at once. Each live member holds at most ceil(shards / members);
 * shards stay with their holder (sticky), and free ones go first to the
 * member that rendezvous hashing ({@link assignShards}) prefers: a join moves
 * only the shards the joiner takes (at most its share), a death only the dead
 * member's. Hand-over: stop new work (`owns` turns false), abort the shard's
 * signal, await `onAcquired`'s promise, `onReleased`, release the Lease. A
 * dead replica's shards are taken once their Leases expire (lease duration
 * after a peer saw the last renew); a replica that cannot renew a shard for
 * `renewDeadlineMs` stops its work before that. A dead member's Lease is
 * deleted by a peer once it has been expired for another lease duration.
 */
export function createShardManager(options: ShardManagerOptions): ShardManager {
  const clock = options.clock;
  const prefix = options.prefix ?? 'gradual';
  const leaseDurationMs = options.leaseDurationMs ?? 15_000;
  const renewDeadlineMs = options.renewDeadlineMs ?? 10_000;
  const retryPeriodMs = options.retryPeriodMs ?? 2_000;
  const logger = options.logger ?? noopLogger;
  const { identity, shardCount } = options;
  if (!Number.isInteger(shardCount) || shardCount < 1)
    throw new ValidationError(`shard manager options for '${prefix}'`, [
      { path: 'shardCount', message: `must be a positive integer, got ${shardCount}` },
    ]);
  if (!(renewDeadlineMs < leaseDurationMs))
    throw new ValidationError(`shard manager options for '${prefix}'`, [
      {
        path: 'renewDeadlineMs',
        message: `is ${renewDeadlineMs} and must be less than leaseDurationMs (${leaseDurationMs})`,
      },
    ]);
  // client-go's rule: a renew deadline must leave room for more than one (jittered) retry.
  if (!(renewDeadlineMs > retryPeriodMs * 1.2))
    throw new ValidationError(`shard manager options for '${prefix}'`, [
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
  const holderFor = (name: string) => createLeaseHolder({ client, name, identity, leaseDurationMs, clock });
  const memberPrefix = `${prefix}-member-`;
  const memberName = `${memberPrefix}${identity}`;
  const shardName = (shard: number) => `${prefix}-shard-${shard}`;
  const membership = holderFor(memberName);
  const peers = new Map<string, LeaseHolder>();
  const shardLeases = Array.from({ length: shardCount }, (_, shard) => holderFor(shardName(shard)));
  const held = new Map<number, Held>();
  let live: string[] = [identity];
  let rounds = 0;
  // Earliest time a shard assigned here but held by a silent peer expires: the next round starts then.
  let wakeAt = Number.POSITIVE_INFINITY;
  const inFlight = createInFlightTracker();
  const track = inFlight.track;

  const failed = (what: string, error: unknown, fields: Record<string, unknown> = {}) =>
    logger.warn(what, { identity, ...fields, error: String(error) });

  /** Ends a shard's term; once its work settled: onReleased, then (when `release`) the Lease is released. */
  const stop = (shard: number, state: Exclude<ShardState, 'active'>, release: boolean) => {
    const entry = held.get(shard);
    if (!entry || entry.state !== 'active') return;
    entry.state = state;
    entry.term.abort(new CancelledError(`shard ${shard} of '${prefix}' (${state})`));
    // Waiting for the work is not "busy": it may wait on the clock itself; the API calls after it are.
    entry.stopped = entry.work.then(() =>
      track(async () => {
        try {
          await options.onReleased(shard);
        } catch (error) {
          failed('onReleased failed', error, { shard });
        }
        entry.watchdog.abort();
        entry.releasing = true;
        if (release) {
          try {
            // Not the run's signal: a clean stop must still release. Bounded by the request timeout.
            await shardLeases[shard]!.release(new AbortController().signal);
          } catch (error) {
            failed('shard release failed; the next owner takes it once it expires', error, { shard });
          }
        }
        if (held.get(shard) === entry) held.delete(shard);
      }),
    );
  };

  const arm = (shard: number, renewedAt: number) => {
    const entry = held.get(shard);
    if (!entry) return;
    entry.watchdog.abort();
    const watchdog = new AbortController();
    entry.watchdog = watchdog;
    clock.sleep(Math.max(0, renewedAt + renewDeadlineMs - clock.now()), watchdog.signal).then(
      () => {
        const current = held.get(shard);
        if (!current || current.watchdog !== watchdog) return;
        logger.warn('shard lease not renewed within the renew deadline; stopping its work', { identity, shard });
        if (current.state === 'active') stop(shard, 'lost', false);
        else current.state = 'lost';
      },
      () => {},
    );
  };

  const start = (shard: number, acquiredAt: number) => {
    const term = new AbortController();
    const entry: Held = { state: 'active', term, work: Promise.resolve(), watchdog: new AbortController() };
    held.set(shard, entry);
    arm(shard, acquiredAt);
    entry.work = (async () => {
      try {
        await options.onAcquired(shard, term.signal);
      } catch (error) {
        if (term.signal.aborted) return;
        // Work that failed while active gives the shard up (released, so a peer or this replica retries).
        failed('shard work failed; handing the shard over', error, { shard });
        queueMicrotask(() => stop(shard, 'handing-over', true));
      }
    })();
  };

  /** Keeps a held shard's Lease renewed (also while handing over, until released). */
  const renew = async (shard: number, current: V1Lease | null, signal: AbortSignal) => {
    const lease = shardLeases[shard]!;
    const entry = held.get(shard);
    if (!entry || entry.state === 'lost' || entry.releasing) {
      lease.observe(current);
      return;
    }
    const started = clock.now();
    const result = await lease.tryAcquireOrRenew(signal, current);
    if (result === 'held') arm(shard, started);
    else if (result === 'taken') stop(shard, 'lost', false);
  };

  /** Takes a free shard (absent, released, expired); a peer racing for it gets the 409. */
  const acquire = async (shard: number, current: V1Lease | null, signal: AbortSignal) => {
    const started = clock.now();
    const result = await shardLeases[shard]!.tryAcquireOrRenew(signal, current);
    if (result === 'held' && !signal.aborted && !held.has(shard)) start(shard, started);
  };

  /**
   * The shards' part of a round. Each live member may hold up to ceil(shards / members). A member over
   * it hands over its least wanted shards (rendezvous weight); one under it takes free shards, first
   * those rendezvous assigns to it, then by weight. Shards stay where they are otherwise (sticky), so
   * a join moves only what the joiner takes (at most its cap) and a death only the dead member's.
   */
  const balance = async (byName: Map<string, V1Lease>, signal: AbortSignal, mayAcquire: boolean) => {
    const cap = Math.ceil(shardCount / live.length);
    const preferred = assignShards({ members: live, shardCount });
    const want = (shard: number) => [preferred[shard] === identity ? 1 : 0, rendezvousWeight(identity, shard)] as const;
    const byWant = (a: number, b: number) => {
      const [pa, wa] = want(a);
      const [pb, wb] = want(b);
      return pb - pa || wb - wa || a - b;
    };
    const current = (shard: number) => byName.get(shardName(shard)) ?? null;
    const active = [...held.entries()].filter(([, entry]) => entry.state === 'active').map(([shard]) => shard);
    for (const shard of active.sort(byWant).slice(cap)) stop(shard, 'handing-over', true);
    const room = mayAcquire ? cap - Math.min(active.length, cap) : 0;
    const free: number[] = [];
    for (let shard = 0; shard < shardCount; shard++) {
      if (held.has(shard)) continue;
      const lease = shardLeases[shard]!;
      lease.observe(current(shard));
      const holder = lease.holder();
      if (holder === undefined || holder === identity) free.push(shard);
      else if (room > 0) wakeAt = Math.min(wakeAt, lease.validUntil() ?? wakeAt);
    }
    const attempts = [
      ...[...held.keys()].map((shard) => renew(shard, current(shard), signal)),
      ...free
        .sort(byWant)
        .slice(0, room)
        .map((shard) => acquire(shard, current(shard), signal)),
    ];
    const results = await Promise.allSettled(attempts);
    for (const result of results)
      if (result.status === 'rejected' && !signal.aborted) failed('shard lease acquire or renew failed', result.reason);
  };

  const round = (signal: AbortSignal) =>
    track(async () => {
      // Reset first: a round that fails early must not leave a past wake-up (the loop would spin).
      wakeAt = Number.POSITIVE_INFINITY;
      let leases: V1Lease[];
      try {
        leases = await client.list(signal);
      } catch (error) {
        if (signal.aborted) return;
        failed('listing leases failed', error);
        return;
      }
      const byName = new Map(leases.map((lease) => [lease.metadata?.name ?? '', lease]));
      try {
        await membership.tryAcquireOrRenew(signal, byName.get(memberName) ?? null);
      } catch (error) {
        if (signal.aborted) return;
        failed('membership renew failed', error);
      }
      const seen = new Set<string>();
      for (const [name, lease] of byName) {
        if (!name.startsWith(memberPrefix) || name === memberName) continue;
        seen.add(name);
        let peer = peers.get(name);
        if (!peer) {
          peer = holderFor(name);
          peers.set(name, peer);
        }
        peer.observe(lease);
      }
      for (const name of peers.keys()) if (!seen.has(name)) peers.delete(name);
      // A crashed member's Lease (pod names change with every rollout) is deleted a lease duration after it
      // expired here; the resourceVersion precondition spares one that was renewed in between.
      const now = clock.now();
      const stale = [...peers].filter(([, peer]) => {
        const until = peer.validUntil();
        return until === undefined || until + leaseDurationMs <= now;
      });
      await Promise.allSettled(
        stale.map(async ([name]) => {
          try {
            await client.delete(name, byName.get(name)?.metadata?.resourceVersion, signal);
            peers.delete(name);
          } catch (error) {
            if (KubernetesApiError.isNotFound(error)) peers.delete(name);
            else if (!KubernetesApiError.isConflict(error) && !signal.aborted)
              failed('deleting a stale member lease failed', error);
          }
        }),
      );
      const alive = new Set([identity]);
      for (const [name, peer] of peers) {
        const holder = peer.holder();
        if (holder !== undefined && `${memberPrefix}${holder}` === name) alive.add(holder);
      }
      live = [...alive].sort();
      // The first round only announces this member: acquiring before seeing the peers would grab everything.
      await balance(byName, signal, rounds++ > 0);
    });

  return {
    async run(signal) {
      try {
        while (!signal.aborted) {
          await round(signal);
          await clock.sleep(Math.max(0, Math.min(retryPeriodMs, wakeAt - clock.now())), signal);
        }
      } catch (error) {
        if (!CancelledError.isCancellation(error)) throw error;
      }
      for (const shard of held.keys()) stop(shard, 'handing-over', true);
      // Not tracked as busy: the shards' work may itself wait on the clock; their releases are tracked.
      await Promise.all([...held.values()].map((entry) => entry.stopped));
      await track(async () => {
        try {
          await client.delete(memberName, undefined, new AbortController().signal);
        } catch (error) {
          if (!KubernetesApiError.isNotFound(error)) failed('deleting the membership lease failed', error);
        }
      });
    },
    owns: (key) => held.get(shardOf(key, shardCount))?.state === 'active',
    signalFor: (key) => {
      const entry = held.get(shardOf(key, shardCount));
      return entry?.state === 'active' ? entry.term.signal : undefined;
    },
    ownedShards: () =>
      [...held.entries()]
        .filter(([, entry]) => entry.state === 'active')
        .map(([shard]) => shard)
        .sort((a, b) => a - b),
    members: () => [...live],
    whenIdle: inFlight.whenIdle,
  };
}
