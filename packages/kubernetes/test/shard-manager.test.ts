import { createFakeClock, type FakeClock } from '@gradual/core/testing';
import { type KubeApiServer, startKubeApiServer } from '@gradual/kube-api-test-server';
import { createShardManager, type ShardManager, shardOf } from '@gradual/kubernetes';
import type { KubeConfig } from '@kubernetes/client-node';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const namespace = 'gradual-system';
// client-go's leader-election defaults, used for the shard Leases too.
const leaseDurationMs = 15_000;
const renewDeadlineMs = 10_000;
const retryPeriodMs = 2_000;

let server: KubeApiServer;
beforeAll(async () => {
  server = await startKubeApiServer();
});
afterAll(async () => {
  await server.close();
});

/**
 * Who processes which shard, from the callbacks: `onAcquired` enters, `onReleased` leaves. Entering a
 * shard someone else is in is a double processing, recorded as a violation.
 */
function createProcessingLog(clock: FakeClock) {
  const inShard = new Map<number, string>();
  const violations: string[] = [];
  return {
    inShard,
    violations,
    enter(id: string, shard: number) {
      const other = inShard.get(shard);
      if (other !== undefined) violations.push(`${id} took shard ${shard} at ${clock.now()} while ${other} worked on it`);
      inShard.set(shard, id);
    },
    leave(id: string, shard: number) {
      if (inShard.get(shard) === id) inShard.delete(shard);
    },
  };
}

interface Replica {
  id: string;
  manager: ShardManager;
  stop: AbortController;
  running: Promise<void>;
  /** From now on every request of this replica fails before it is sent (the process died). */
  kill(): void;
  dead: boolean;
}

function startReplica(
  clock: FakeClock,
  prefix: string,
  id: string,
  shardCount: number,
  log: ReturnType<typeof createProcessingLog>,
  workMs = 0,
): Replica {
  const kubeConfig: KubeConfig = server.kubeConfig();
  const replica = { id, dead: false } as Replica;
  const authenticate = kubeConfig.applySecurityAuthentication.bind(kubeConfig);
  kubeConfig.applySecurityAuthentication = async (context) => {
    if (replica.dead) throw new Error(`replica ${id} is dead`);
    return authenticate(context);
  };
  replica.manager = createShardManager({
    kubeConfig,
    namespace,
    identity: id,
    shardCount,
    prefix,
    leaseDurationMs,
    renewDeadlineMs,
    retryPeriodMs,
    clock,
    onAcquired: (shard, signal) => {
      log.enter(id, shard);
      // Work in flight finishes `workMs` after the signal (the hand-over waits for it).
      return new Promise<void>((resolve) =>
        signal.addEventListener(
          'abort',
          () => {
            clock.sleep(workMs).then(resolve, resolve);
          },
          { once: true },
        ),
      );
    },
    onReleased: (shard) => log.leave(id, shard),
  });
  replica.stop = new AbortController();
  replica.running = replica.manager.run(replica.stop.signal);
  replica.kill = () => {
    replica.dead = true;
  };
  return replica;
}

/** Owners of each shard as the managers themselves say (ownedShards). */
function owners(replicas: Replica[], shardCount: number): string[][] {
  const result = Array.from({ length: shardCount }, () => [] as string[]);
  for (const replica of replicas) for (const shard of replica.manager.ownedShards()) result[shard]!.push(replica.id);
  return result;
}

/** Advances the fake clock in 250 ms steps; after each, every manager has finished its round, then `check` runs. */
async function step(clock: FakeClock, replicas: Replica[], ms: number, check: () => void) {
  for (let done = 0; done < ms; done += 250) {
    await clock.advance(Math.min(250, ms - done));
    await Promise.all(replicas.map((replica) => replica.manager.whenIdle()));
    check();
  }
}

/** Stops every replica; the fake clock moves on meanwhile, since work in flight finishes on it. */
async function stopAll(clock: FakeClock, replicas: Replica[]) {
  for (const replica of replicas) replica.stop.abort();
  let stopped = false;
  const all = Promise.all(replicas.map((replica) => replica.running)).then(() => {
    stopped = true;
  });
  for (let i = 0; i < 100 && !stopped; i++) await step(clock, replicas, 250, () => {});
  await all;
}

const atMostOne = (replicas: Replica[], shardCount: number) => () => {
  for (const [shard, who] of owners(replicas, shardCount).entries())
    if (who.length > 1) throw new Error(`shard ${shard} owned by ${who.join(' and ')} at once`);
};

const exactlyOne = (replicas: Replica[], shardCount: number) => () => {
  for (const [shard, who] of owners(replicas, shardCount).entries())
    if (who.length !== 1) throw new Error(`shard ${shard} owned by [${who.join(', ')}], not by exactly one`);
};

describe('createShardManager (membership Leases, one Lease per shard)', () => {
  it('3 managers, 16 shards: every shard owned by exactly one at every observation once started; owns() follows shardOf', async () => {
    const clock = createFakeClock({ start: 0 });
    const log = createProcessingLog(clock);
    const replicas = ['a', 'b', 'c'].map((id) => startReplica(clock, 'steady', id, 16, log));
    await step(clock, replicas, 3 * retryPeriodMs, atMostOne(replicas, 16));
    await step(clock, replicas, 30_000, exactlyOne(replicas, 16));
    for (const replica of replicas) {
      expect(replica.manager.members()).toEqual(['a', 'b', 'c']);
      // Balanced: ceil(16/3) at most each.
      expect(replica.manager.ownedShards().length).toBeLessThanOrEqual(6);
    }
    for (const key of ['default/checkout', 'payments/api', 'team-3/web']) {
      const holders = replicas.filter((replica) => replica.manager.owns(key));
      expect(holders).toHaveLength(1);
      expect(holders[0]!.manager.ownedShards()).toContain(shardOf(key, 16));
      expect(holders[0]!.manager.signalFor(key)?.aborted).toBe(false);
      expect(replicas.filter((replica) => replica.manager.signalFor(key) !== undefined)).toHaveLength(1);
    }
    const lease = server.get('leases', namespace, 'steady-shard-0') as { spec: { holderIdentity: string } };
    expect(replicas.find((replica) => replica.id === lease.spec.holderIdentity)?.manager.ownedShards()).toContain(0);
    expect(log.violations).toEqual([]);
    await stopAll(clock, replicas);
    expect(log.inShard.size).toBe(0);
  });

  it('a join moves at most ceil(16/3)+1 shards, all to the joiner, each handed over after its work finished', async () => {
    const clock = createFakeClock({ start: 0 });
    const log = createProcessingLog(clock);
    const replicas = ['a', 'b'].map((id) => startReplica(clock, 'join', id, 16, log, 700));
    await step(clock, replicas, 10_000, atMostOne(replicas, 16));
    exactlyOne(replicas, 16)();
    const before = owners(replicas, 16).map((who) => who[0]);
    replicas.push(startReplica(clock, 'join', 'c', 16, log, 700));
    await step(clock, replicas, 20_000, atMostOne(replicas, 16));
    exactlyOne(replicas, 16)();
    const after = owners(replicas, 16).map((who) => who[0]);
    const moved = after.filter((owner, shard) => owner !== before[shard]);
    expect(moved.length).toBeGreaterThanOrEqual(4);
    expect(moved.length).toBeLessThanOrEqual(Math.ceil(16 / 3) + 1);
    expect(new Set(moved)).toEqual(new Set(['c']));
    console.info(`a join moved ${moved.length} of 16 shards`);
    expect(log.violations).toEqual([]);
    await stopAll(clock, replicas);
  });

  it('a death (no renew, no release) reassigns all its shards within the lease duration and a round, never overlapping', async () => {
    const clock = createFakeClock({ start: 0 });
    const log = createProcessingLog(clock);
    const replicas = ['a', 'b', 'c'].map((id) => startReplica(clock, 'death', id, 16, log));
    await step(clock, replicas, 12_000, atMostOne(replicas, 16));
    exactlyOne(replicas, 16)();
    const victim = replicas[1]!;
    const orphaned = victim.manager.ownedShards();
    expect(orphaned.length).toBeGreaterThan(0);
    victim.kill();
    const diedAt = clock.now();
    const survivors = replicas.filter((replica) => replica !== victim);
    let reassignedAt: number | undefined;
    let victimStoppedAt: number | undefined;
    await step(clock, replicas, 2 * leaseDurationMs, () => {
      atMostOne(replicas, 16)();
      if (victimStoppedAt === undefined && victim.manager.ownedShards().length === 0) victimStoppedAt = clock.now();
      const all = owners(survivors, 16);
      if (reassignedAt === undefined && orphaned.every((shard) => all[shard]!.length === 1)) reassignedAt = clock.now();
    });
    expect(victimStoppedAt).toBeDefined();
    expect(reassignedAt).toBeDefined();
    // The dead replica gave its shards up by its renew deadline, before anyone could take them.
    expect(victimStoppedAt! - diedAt).toBeLessThanOrEqual(renewDeadlineMs);
    expect(victimStoppedAt!).toBeLessThan(reassignedAt!);
    // Expiry is judged from when a survivor saw the last renew (its next round): lease duration + one round.
    expect(reassignedAt! - diedAt).toBeLessThanOrEqual(leaseDurationMs + retryPeriodMs);
    console.info(`shards of a dead replica reassigned ${reassignedAt! - diedAt} ms (fake time) after its death`);
    for (const survivor of survivors) expect(survivor.manager.members()).toEqual(['a', 'c']);
    // Its membership Lease is garbage once expired for another lease duration: a survivor deletes it.
    expect(server.get('leases', namespace, 'death-member-b')).toBeDefined();
    await step(clock, replicas, leaseDurationMs, atMostOne(replicas, 16));
    expect(server.get('leases', namespace, 'death-member-b')).toBeUndefined();
    exactlyOne(survivors, 16)();
    expect(log.violations).toEqual([]);
    await stopAll(clock, replicas);
  });

  it('a clean stop hands every shard over within two rounds', async () => {
    const clock = createFakeClock({ start: 0 });
    const log = createProcessingLog(clock);
    const replicas = ['a', 'b', 'c'].map((id) => startReplica(clock, 'clean', id, 16, log));
    await step(clock, replicas, 10_000, atMostOne(replicas, 16));
    const leaving = replicas[0]!;
    await stopAll(clock, [leaving]);
    expect(leaving.manager.ownedShards()).toEqual([]);
    expect(server.get('leases', namespace, 'clean-member-a')).toBeUndefined();
    const stayed = replicas.slice(1);
    await step(clock, stayed, 2 * retryPeriodMs, atMostOne(replicas, 16));
    exactlyOne(stayed, 16)();
    expect(log.violations).toEqual([]);
    await stopAll(clock, stayed);
  });
});

describe('property: never two owners of a shard while both hold a valid lease', () => {
  type Action =
    | { kind: 'advance'; ms: number }
    | { kind: 'join' }
    | { kind: 'crash'; which: number }
    | { kind: 'stop'; which: number }
    | { kind: 'conflicts'; shard: number; times: number }
    | { kind: 'errors'; shard: number; times: number };
  const action: fc.Arbitrary<Action> = fc.oneof(
    fc.record({ kind: fc.constant('advance' as const), ms: fc.integer({ min: 250, max: 8_000 }) }),
    fc.record({ kind: fc.constant('join' as const) }),
    fc.record({ kind: fc.constant('crash' as const), which: fc.nat(5) }),
    fc.record({ kind: fc.constant('stop' as const), which: fc.nat(5) }),
    fc.record({
      kind: fc.constant('conflicts' as const),
      shard: fc.nat(7),
      times: fc.integer({ min: 1, max: 8 }),
    }),
    fc.record({
      kind: fc.constant('errors' as const),
      shard: fc.nat(7),
      times: fc.integer({ min: 1, max: 12 }),
    }),
  );
  let run = 0;

  it('holds for random joins, crashes, clean stops, 409 storms and 500s (8 shards, bounded runs)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(action, { minLength: 3, maxLength: 10 }), async (actions) => {
        const prefix = `prop-${run++}`;
        const clock = createFakeClock({ start: 0 });
        const log = createProcessingLog(clock);
        let next = 0;
        const replicas = [0, 1].map(() => startReplica(clock, prefix, `r${next++}`, 8, log, 300));
        const living = () => replicas.filter((replica) => !replica.dead && !replica.stop.signal.aborted);
        const check = atMostOne(replicas, 8);
        const firstRequest = server.requests.length;
        let injected = 0;
        // Faults are named after this run's Leases, so none is left over for the next run.
        const answeredByFaults = () =>
          server.requests
            .slice(firstRequest)
            .filter((request) => request.name?.startsWith(prefix) && (request.status === 409 || request.status === 500)).length;
        try {
          for (const act of actions) {
            if (act.kind === 'advance') await step(clock, replicas, act.ms, check);
            else if (act.kind === 'join') replicas.push(startReplica(clock, prefix, `r${next++}`, 8, log, 300));
            else if (act.kind === 'crash') living()[act.which % Math.max(1, living().length)]?.kill();
            else if (act.kind === 'stop') living()[act.which % Math.max(1, living().length)]?.stop.abort();
            else if (act.kind === 'conflicts') {
              server.inject({ fault: { kind: 'conflict' }, name: `${prefix}-shard-${act.shard}`, times: act.times });
              injected += act.times;
            } else {
              server.inject({ fault: { kind: 'status', code: 500 }, name: `${prefix}-shard-${act.shard}`, times: act.times });
              injected += act.times;
            }
            await step(clock, replicas, 250, check);
          }
          // Liveness once the faults are gone: every shard has exactly one owner among the living. A member
          // lease left by a crash, or by a stop whose delete failed, counts as live for a lease duration after a
          // peer first saw it (observed time), which may be a lease duration after the actions ended.
          if (living().length > 0) {
            for (let i = 0; i < 400 && answeredByFaults() < injected; i++) await step(clock, replicas, 250, check);
            expect(answeredByFaults()).toBeGreaterThanOrEqual(injected);
          }
          await step(clock, replicas, 2 * leaseDurationMs + 3 * retryPeriodMs, check);
          const state = () =>
            JSON.stringify({
              prefix,
              now: clock.now(),
              replicas: replicas.map((r) => [r.id, r.dead, r.stop.signal.aborted, r.manager.members(), r.manager.ownedShards()]),
              leases: Array.from({ length: 8 }, (_, i) => server.get('leases', namespace, `${prefix}-shard-${i}`)?.spec),
            });
          try {
            if (living().length > 0) exactlyOne(living(), 8)();
          } catch (error) {
            throw new Error(`${(error as Error).message}: ${state()}`);
          }
          expect(log.violations).toEqual([]);
        } finally {
          await stopAll(clock, replicas);
        }
      }),
      { numRuns: 6, endOnFailure: true },
    );
  });
});
