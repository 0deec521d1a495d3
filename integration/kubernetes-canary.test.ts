// The talk's canary (examples/manifests/rollout-canary.yaml: 20% 1m, 50% 2m through the Istio VirtualService
// rollout-vsvc) on the controller, from a Rollout CR to Healthy, against the HTTPS test API server with the
// real client; and an abort as `kubectl argo rollouts abort` writes it.
import { readFileSync } from 'node:fs';
import { createFakeClock, type FakeClock } from '@gradual/core/testing';
import { createIstioTrafficRouter, istioRoutingFromRollout, type VirtualService } from '@gradual/istio';
import { type KubeApiServer, startKubeApiServer } from '@gradual/kube-api-test-server';
import { createRolloutController, type RolloutController } from '@gradual/kubernetes';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import {
  argoStatus,
  eventually,
  pluginAbort,
  replicaSets,
  rolloutEvents,
  seedTalkCanaryMesh,
  setImage,
  untilPhase,
} from './kubernetes-scenario-kit.js';

const seed = parse(readFileSync(new URL('../examples/manifests/rollout-canary.yaml', import.meta.url), 'utf8'));
const ref = { namespace: 'default', name: 'rollouts-demo' };

let server: KubeApiServer;
let clock: FakeClock;
let controller: RolloutController;
beforeEach(async () => {
  server = await startKubeApiServer({ autoAvailable: true });
  seedTalkCanaryMesh(server);
  clock = createFakeClock({ start: Date.UTC(2026, 0, 1) });
  controller = createRolloutController({
    kubeConfig: server.kubeConfig(),
    namespaces: ['default'],
    clock,
    routerFor: ({ spec, namespace, kubeConfig }) =>
      spec.strategy.canary?.trafficRouting?.istio
        ? createIstioTrafficRouter({ ...istioRoutingFromRollout(spec), namespace, kubeConfig })
        : undefined,
  });
});
afterEach(async () => {
  await controller.stop();
  await server.close();
});

const canaryWeight = () => {
  const vs = server.get('virtualservices', 'default', 'rollout-vsvc') as unknown as VirtualService;
  return vs.spec.http?.[0]?.route?.find((d) => d.destination.host === 'rollouts-demo-canary')?.weight ?? 0;
};

describe('the talk canary on the controller', () => {
  it('goes from a Rollout CR to Healthy, then through 20% and 50% to the new revision, with ReplicaSets created and scaled', async () => {
    server.seed('rollouts', 'default', structuredClone(seed));
    await controller.start();
    // A new Rollout with no ReplicaSet is an initial deploy: straight to Healthy, all 5 pods on v1.
    const v1 = await untilPhase(server, ref, 'Healthy', (s) => Boolean(s.stableRS));
    expect(await replicaSets(server.kubeConfig(), 'default')).toEqual([
      { name: `rollouts-demo-${v1.stableRS}`, hash: v1.stableRS, replicas: 5, available: 5 },
    ]);
    expect(canaryWeight()).toBe(0);

    setImage(server, ref, 'argoproj/rollouts-demo:yellow');
    const paused = await untilPhase(server, ref, 'Paused', (s) => s.currentStepIndex === 1);
    const v2 = paused.currentPodHash!;
    expect(v2).not.toBe(v1.stableRS);
    expect(canaryWeight()).toBe(20);
    // The canary ReplicaSet is up (20% of 5 = 1 pod); the stable keeps its 5 under traffic routing.
    const during = await replicaSets(server.kubeConfig(), 'default');
    expect(during.find((rs) => rs.hash === v2)?.replicas).toBe(1);
    expect(during.find((rs) => rs.hash === v1.stableRS)?.replicas).toBe(5);

    await clock.advance(60_000);
    await untilPhase(server, ref, 'Paused', (s) => s.currentStepIndex === 3);
    expect(canaryWeight()).toBe(50);
    await clock.advance(120_000);
    const done = await untilPhase(server, ref, 'Healthy', (s) => s.stableRS === v2);
    expect(done.currentPodHash).toBe(v2);
    expect(canaryWeight()).toBe(0);
    const after = await replicaSets(server.kubeConfig(), 'default');
    expect(after.find((rs) => rs.hash === v2)).toMatchObject({ replicas: 5, available: 5 });
    // The old stable keeps its pods until Argo's scaleDownDelaySeconds (30 s under traffic routing) has passed...
    expect(after.find((rs) => rs.hash === v1.stableRS)?.replicas).toBe(5);
    await clock.advance(29_000);
    expect((await replicaSets(server.kubeConfig(), 'default')).find((rs) => rs.hash === v1.stableRS)?.replicas).toBe(5);
    // ...and goes to 0 after it.
    await clock.advance(1_000);
    await eventually(async () => {
      const now = await replicaSets(server.kubeConfig(), 'default');
      expect(now.find((rs) => rs.hash === v1.stableRS)?.replicas).toBe(0);
    });
  });

  it('aborts on the plugin write {"status":{"abort":true}}: traffic back to stable, Degraded, the canary scaled down', async () => {
    server.seed('rollouts', 'default', structuredClone(seed));
    await controller.start();
    const v1 = await untilPhase(server, ref, 'Healthy', (s) => Boolean(s.stableRS));
    setImage(server, ref, 'argoproj/rollouts-demo:yellow');
    await untilPhase(server, ref, 'Paused', (s) => s.currentStepIndex === 1);
    expect(canaryWeight()).toBe(20);

    await pluginAbort(server.kubeConfig(), ref);
    const aborted = await untilPhase(server, ref, 'Degraded', (s) => s.abort === true);
    expect(aborted.stableRS).toBe(v1.stableRS);
    expect(canaryWeight()).toBe(0);
    // The canary's pods stay until Argo's abortScaleDownDelaySeconds (30 s under traffic routing), then go.
    expect((await replicaSets(server.kubeConfig(), 'default')).find((rs) => rs.hash === aborted.currentPodHash)?.replicas).toBe(
      1,
    );
    await clock.advance(29_000);
    expect((await replicaSets(server.kubeConfig(), 'default')).find((rs) => rs.hash === aborted.currentPodHash)?.replicas).toBe(
      1,
    );
    await clock.advance(1_000);
    await eventually(async () => {
      const now = await replicaSets(server.kubeConfig(), 'default');
      expect(now.find((rs) => rs.hash === aborted.currentPodHash)?.replicas).toBe(0);
      expect(now.find((rs) => rs.hash === v1.stableRS)?.replicas).toBe(5);
    });
    // Exactly one abort: the command is taken once, however often the rollout is reconciled after.
    await clock.advance(60_000);
    const events = await rolloutEvents(server, 'rollouts-demo');
    expect(events.filter((e) => e.reason === 'RolloutAborted').map((e) => e.count)).toEqual([1]);
    expect(argoStatus(server, 'default', 'rollouts-demo').phase).toBe('Degraded');
  });
});
