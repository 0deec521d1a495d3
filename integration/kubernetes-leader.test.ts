// Two replicas of the controller with leader election on a Lease; the leader is cut off from the API server
// mid-rollout (as a crashed or partitioned process: it can neither renew nor write). The other takes the
// Lease within the lease duration and resumes: no step twice (one VirtualService write per weight, one
// Event per step), no status lost (the pause keeps its start, the steps go on from where they were).
import { readFileSync } from 'node:fs';
import { createFakeClock, type FakeClock } from '@gradual/core/testing';
import { createIstioTrafficRouter, istioRoutingFromRollout, type VirtualService } from '@gradual/istio';
import { type KubeApiServer, startKubeApiServer } from '@gradual/kube-api-test-server';
import { createRolloutController, type RolloutController } from '@gradual/kubernetes';
import type { KubeConfig } from '@kubernetes/client-node';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import {
  argoStatus,
  eventually,
  passTime,
  rolloutEvents,
  seedTalkCanaryMesh,
  setImage,
  startCuttablePath,
  tick,
  untilPhase,
} from './kubernetes-scenario-kit.js';

const seed = parse(readFileSync(new URL('../examples/manifests/rollout-canary.yaml', import.meta.url), 'utf8'));
const ref = { namespace: 'default', name: 'rollouts-demo' };
// client-go's ratios (15 s / 10 s / 2 s) scaled x4, so that a request in flight on this shared machine never
// outlasts its lease timeout while the fake clock moves in steps.
const lease = { leaseDurationMs: 60_000, renewDeadlineMs: 40_000, retryPeriodMs: 8_000 };

let server: KubeApiServer;
let clock: FakeClock;
const controllers: RolloutController[] = [];
const paths: Awaited<ReturnType<typeof startCuttablePath>>[] = [];
beforeEach(async () => {
  server = await startKubeApiServer({ autoAvailable: true });
  seedTalkCanaryMesh(server);
  clock = createFakeClock({ start: Date.UTC(2026, 0, 1) });
});
afterEach(async () => {
  await Promise.all(controllers.splice(0).map((c) => c.stop()));
  await Promise.all(paths.splice(0).map((p) => p.close()));
  await server.close();
});

function replica(identity: string, kubeConfig: KubeConfig): RolloutController {
  const controller = createRolloutController({
    kubeConfig,
    namespaces: ['default'],
    clock,
    identity,
    leaderElection: { namespace: 'default', ...lease },
    routerFor: ({ spec, namespace, kubeConfig: config }) =>
      spec.strategy.canary?.trafficRouting?.istio
        ? createIstioTrafficRouter({ ...istioRoutingFromRollout(spec), namespace, kubeConfig: config })
        : undefined,
  });
  controllers.push(controller);
  return controller;
}
const holder = () =>
  (server.get('leases', 'default', 'gradual-controller')?.spec as { holderIdentity?: string } | undefined)?.holderIdentity;
const canaryWeight = () => {
  const vs = server.get('virtualservices', 'default', 'rollout-vsvc') as unknown as VirtualService;
  return vs.spec.http?.[0]?.route?.find((d) => d.destination.host === 'rollouts-demo-canary')?.weight ?? 0;
};

describe('leader killed mid-rollout', () => {
  it('another replica takes the Lease within its duration and finishes the rollout: no step twice, no status lost', async () => {
    const path = await startCuttablePath(server);
    paths.push(path);
    const a = replica('replica-a', path.kubeConfig());
    await a.start();
    await eventually(() => expect(holder()).toBe('replica-a'));
    const b = replica('replica-b', server.kubeConfig());
    await b.start();

    server.seed('rollouts', 'default', structuredClone(seed));
    const v1 = (await untilPhase(server, ref, 'Healthy', (s) => Boolean(s.stableRS))).stableRS;
    setImage(server, ref, 'argoproj/rollouts-demo:yellow');
    const paused = await untilPhase(server, ref, 'Paused', (s) => s.currentStepIndex === 1);
    expect(canaryWeight()).toBe(20);
    expect(holder()).toBe('replica-a');

    // Its Events of that step are out (Events follow the status write; a process that dies in between loses
    // them, as Argo's would).
    await eventually(async () => {
      expect((await rolloutEvents(server, 'rollouts-demo')).map((e) => e.reason)).toContain('RolloutPaused');
    });
    // 10 s into the 1 m pause, replica-a is gone.
    await passTime(server, clock, 10_000);
    const pauseStart = Date.UTC(2026, 0, 1);
    path.cut();
    const cutAt = clock.now();
    // Small steps, so fake time does not run ahead of the requests in flight.
    await eventually(async () => {
      await tick(server, clock, 500);
      expect(holder()).toBe('replica-b');
    }, 30_000);
    // client-go's bound: the lease expires leaseDuration after the candidate last saw it change (it looks once
    // per retry period, jittered x1.2), and it tries again within one more retry period.
    const failover = clock.now() - cutAt;
    expect(failover).toBeLessThanOrEqual(lease.leaseDurationMs + 2 * 1.2 * lease.retryPeriodMs + 1000);
    // Nothing moved while nobody led: still the first pause (its minute is over by now; its start is kept).
    expect(argoStatus(server, 'default', 'rollouts-demo')).toMatchObject({ phase: 'Paused', currentStepIndex: 1 });
    expect(clock.now() - pauseStart).toBeGreaterThan(60_000);
    expect(canaryWeight()).toBe(20);

    // The new leader ends the pause at once (it was due) and goes on from step 2, not from step 0.
    await untilPhase(server, ref, 'Paused', (s) => s.currentStepIndex === 3, { tick: clock });
    expect(canaryWeight()).toBe(50);
    const done = await untilPhase(server, ref, 'Healthy', (s) => s.stableRS === paused.currentPodHash, { tick: clock });
    expect(done.stableRS).not.toBe(v1);

    // No step twice: each weight written to the VirtualService once, each step completed once.
    const vsWrites = server.requests.filter((r) => r.name === 'rollout-vsvc' && r.verb === 'update' && r.status === 200);
    expect(vsWrites).toHaveLength(4); // 20, 50, 100, then all on the new stable
    // (Events follow the status write that records their step: wait for the last ones.)
    await eventually(async () => {
      const events = await rolloutEvents(server, 'rollouts-demo');
      expect(events.map((e) => e.reason)).toContain('RolloutCompleted');
      const steps = events.filter((e) => e.reason === 'RolloutStepCompleted');
      expect(steps.map((e) => [e.message.slice(0, 'Rollout step 1/4'.length), e.count])).toEqual([
        ['Rollout step 1/4', 1],
        ['Rollout step 2/4', 1],
        ['Rollout step 3/4', 1],
        ['Rollout step 4/4', 1],
      ]);
    });
  });
});
