import { createFakeClock, type FakeClock } from '@gradual/core/testing';
import { type KubeApiServer, startKubeApiServer } from '@gradual/kube-api-test-server';
import { createLeaderElector, type LeaderElector } from '@gradual/kubernetes';
import type { KubeConfig } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const namespace = 'gradual-system';
// client-go's defaults (tools/leaderelection): LeaseDuration 15 s, RenewDeadline 10 s, RetryPeriod 2 s.
const leaseDurationMs = 15_000;
const renewDeadlineMs = 10_000;
const retryPeriodMs = 2_000;
/** The longest wait between two attempts of a candidate: client-go's jitter factor 1.2 at its maximum. */
const longestRetryMs = retryPeriodMs * 2.2;

let server: KubeApiServer;
beforeAll(async () => {
  server = await startKubeApiServer();
});
afterAll(async () => {
  await server.close();
});

/** A replica: its elector, its process signal, a kubeConfig that can lose the API server (the process died). */
interface Replica {
  id: string;
  elector: LeaderElector;
  stop: AbortController;
  running: Promise<void>;
  /** From now on every request of this replica fails before it is sent: it cannot renew, nor release. */
  kill(): void;
}

/** Every term of every replica, in order, with a check that two never overlap. */
function createTermLog(clock: FakeClock) {
  const leading = new Set<string>();
  const terms: { id: string; from: number; to?: number }[] = [];
  const overlaps: string[] = [];
  return {
    terms,
    overlaps,
    started(id: string) {
      if (leading.size > 0) overlaps.push(`${id} started leading at ${clock.now()} while ${[...leading]} led`);
      leading.add(id);
      terms.push({ id, from: clock.now() });
    },
    stopped(id: string) {
      leading.delete(id);
      const term = terms.findLast((candidate) => candidate.id === id);
      if (term) term.to = clock.now();
    },
  };
}

function startReplicas(clock: FakeClock, name: string, ids: string[], log: ReturnType<typeof createTermLog>) {
  const newLeaders = new Map<string, string[]>();
  const replicas = ids.map((id, index): Replica => {
    const kubeConfig: KubeConfig = server.kubeConfig();
    let dead = false;
    const authenticate = kubeConfig.applySecurityAuthentication.bind(kubeConfig);
    kubeConfig.applySecurityAuthentication = async (context) => {
      if (dead) throw new Error(`replica ${id} is dead`);
      return authenticate(context);
    };
    newLeaders.set(id, []);
    const elector = createLeaderElector({
      kubeConfig,
      namespace,
      name,
      identity: id,
      leaseDurationMs,
      renewDeadlineMs,
      retryPeriodMs,
      clock,
      // Different, fixed jitters: the candidates do not retry in lock step, and runs repeat.
      random: () => (index + 1) / (ids.length + 1),
      onStartedLeading: (signal) => {
        log.started(id);
        return new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
      },
      onStoppedLeading: () => log.stopped(id),
      onNewLeader: (leader) => newLeaders.get(id)?.push(leader),
    });
    const stop = new AbortController();
    return {
      id,
      elector,
      stop,
      running: elector.run(stop.signal),
      kill: () => {
        dead = true;
      },
    };
  });
  return { replicas, newLeaders };
}

/** Advances the fake clock in small steps, letting every replica finish its API calls after each. */
async function step(clock: FakeClock, replicas: Replica[], ms: number, each?: () => void) {
  const slice = 250;
  for (let done = 0; done < ms; done += slice) {
    await clock.advance(Math.min(slice, ms - done));
    await Promise.all(replicas.map((replica) => replica.elector.whenIdle()));
    each?.();
  }
}

async function settleStart(clock: FakeClock, replicas: Replica[]) {
  await Promise.all(replicas.map((replica) => replica.elector.whenIdle()));
  await step(clock, replicas, 500);
}

const leaders = (replicas: Replica[]) => replicas.filter((replica) => replica.elector.isLeader());

/** Steps until `check` holds, up to `limitMs` of fake time; returns the fake time it took. */
async function stepUntil(clock: FakeClock, replicas: Replica[], limitMs: number, check: () => boolean) {
  const from = clock.now();
  while (!check()) {
    if (clock.now() - from > limitMs) throw new Error(`not within ${limitMs} ms of fake time`);
    await step(clock, replicas, 250);
  }
  return clock.now() - from;
}

async function stopAll(replicas: Replica[]) {
  for (const replica of replicas) replica.stop.abort();
  await Promise.all(replicas.map((replica) => replica.running));
}

const leaseOf = (name: string) => server.get('leases', namespace, name) as { spec: Record<string, unknown> };

describe('createLeaderElector (client-go leader election on a coordination.k8s.io/v1 Lease)', () => {
  it('elects exactly one leader among 3; everyone sees it; the Lease names it', async () => {
    const clock = createFakeClock({ start: 0 });
    const log = createTermLog(clock);
    const { replicas, newLeaders } = startReplicas(clock, 'one-of-three', ['a', 'b', 'c'], log);
    await settleStart(clock, replicas);
    await step(clock, replicas, 10_000, () => expect(leaders(replicas)).toHaveLength(1));
    const [leader] = leaders(replicas);
    expect(leader).toBeDefined();
    for (const replica of replicas) expect(replica.elector.leader()).toBe(leader!.id);
    for (const seen of newLeaders.values()) expect(seen).toEqual([leader!.id]);
    expect(leaseOf('one-of-three').spec).toMatchObject({
      holderIdentity: leader!.id,
      leaseDurationSeconds: 15,
      leaseTransitions: 0,
    });
    expect(log.terms).toHaveLength(1);
    await stopAll(replicas);
  });

  it("the leader's death (no renew, no release): it steps down at its renew deadline, another leads after the lease expired", async () => {
    const clock = createFakeClock({ start: 0 });
    const log = createTermLog(clock);
    const { replicas } = startReplicas(clock, 'death', ['a', 'b', 'c'], log);
    await settleStart(clock, replicas);
    await step(clock, replicas, 5_000);
    const [old] = leaders(replicas);
    if (!old) throw new Error('no leader');
    old.kill();
    const diedAt = clock.now();
    const lastRenew = Date.parse(String(leaseOf('death').spec.renewTime));
    const others = replicas.filter((replica) => replica !== old);
    const failover = await stepUntil(clock, replicas, 2 * leaseDurationMs, () => leaders(others).length === 1);
    const takeover = diedAt + failover;
    // Safety: the old leader stopped by its renew deadline, and nobody took over before the lease expired.
    const oldTerm = log.terms.find((term) => term.id === old.id)!;
    expect(oldTerm.to).toBeDefined();
    expect(oldTerm.to! - lastRenew).toBeLessThanOrEqual(renewDeadlineMs);
    expect(takeover - lastRenew).toBeGreaterThanOrEqual(leaseDurationMs);
    // Liveness: expiry is judged from when a survivor saw the last renew (at its next retry, at most one
    // jittered retry period later) and it tries again right at expiry: lease duration + one retry at most.
    expect(takeover - lastRenew).toBeLessThanOrEqual(leaseDurationMs + longestRetryMs);
    expect(failover).toBeLessThanOrEqual(leaseDurationMs + longestRetryMs);
    expect(log.overlaps).toEqual([]);
    expect(leaseOf('death').spec).toMatchObject({ holderIdentity: leaders(others)[0]!.id, leaseTransitions: 1 });
    console.info(
      `failover after a crash: ${failover} ms of fake time after the death, ${takeover - lastRenew} ms after the last renew`,
    );
    await stopAll(replicas);
  });

  it('a clean stop releases the Lease (no holder): another leads at its next retry, long before the lease duration', async () => {
    const clock = createFakeClock({ start: 0 });
    const log = createTermLog(clock);
    const { replicas } = startReplicas(clock, 'clean', ['a', 'b', 'c'], log);
    await settleStart(clock, replicas);
    await step(clock, replicas, 5_000);
    const [old] = leaders(replicas);
    if (!old) throw new Error('no leader');
    old.stop.abort();
    await old.running;
    expect(old.elector.isLeader()).toBe(false);
    expect(leaseOf('clean').spec.holderIdentity).toBeUndefined();
    const others = replicas.filter((replica) => replica !== old);
    const failover = await stepUntil(clock, others, leaseDurationMs, () => leaders(others).length === 1);
    expect(failover).toBeLessThanOrEqual(longestRetryMs);
    console.info(`failover after a clean stop: ${failover} ms of fake time`);
    expect(log.overlaps).toEqual([]);
    expect(leaseOf('clean').spec).toMatchObject({ holderIdentity: leaders(others)[0]!.id, leaseTransitions: 1 });
    await stopAll(others);
  });

  it('a 409 storm on the Lease never gives two leaders, and a leader remains once it passes', async () => {
    const clock = createFakeClock({ start: 0 });
    const log = createTermLog(clock);
    const { replicas } = startReplicas(clock, 'storm', ['a', 'b', 'c'], log);
    await settleStart(clock, replicas);
    await step(clock, replicas, 4_000);
    // Every write of the Lease answered 409 (a concurrent writer bumped it) for a while: renews fail.
    server.inject({ fault: { kind: 'conflict' }, name: 'storm', times: 12 });
    let most = 0;
    await step(clock, replicas, 40_000, () => {
      most = Math.max(most, leaders(replicas).length);
    });
    expect(server.requests.filter((request) => request.name === 'storm' && request.status === 409)).toHaveLength(12);
    expect(most).toBe(1);
    expect(log.overlaps).toEqual([]);
    expect(leaders(replicas)).toHaveLength(1);
    await stopAll(replicas);
  });

  it('a leader whose renewals keep failing steps down within the renew deadline and campaigns again', async () => {
    const clock = createFakeClock({ start: 0 });
    const log = createTermLog(clock);
    const { replicas } = startReplicas(clock, 'flaky', ['solo'], log);
    await settleStart(clock, replicas);
    expect(leaders(replicas)).toHaveLength(1);
    server.inject({ fault: { kind: 'status', code: 500 }, name: 'flaky', times: 40 });
    await step(clock, replicas, renewDeadlineMs + retryPeriodMs);
    expect(log.terms[0]!.to).toBeDefined();
    expect(log.terms[0]!.to! - log.terms[0]!.from).toBeLessThanOrEqual(renewDeadlineMs);
    await stepUntil(clock, replicas, 120_000, () => leaders(replicas).length === 1);
    expect(log.terms.length).toBeGreaterThanOrEqual(2);
    await stopAll(replicas);
  });

  it('refuses a renew deadline that is not less than the lease duration', () => {
    expect(() =>
      createLeaderElector({
        kubeConfig: server.kubeConfig(),
        namespace,
        name: 'bad',
        identity: 'a',
        leaseDurationMs: 10_000,
        renewDeadlineMs: 10_000,
        clock: createFakeClock({ start: 0 }),
        onStartedLeading: () => {},
        onStoppedLeading: () => {},
      }),
    ).toThrow(/renewDeadlineMs: is 10000 and must be less than leaseDurationMs \(10000\)/);
  });
});
