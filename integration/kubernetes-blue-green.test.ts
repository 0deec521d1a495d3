// The talk's blue/green (examples/manifests/blue-green.yaml: a Service whose selector moves to the new pods) as
// a Rollout on the controller, with the package's default Service selector router: from a Rollout CR to
// Healthy, the preview Service on the new ReplicaSet first, the cut-over of the active Service on the
// plugin's promote, the old ReplicaSet scaled down after scaleDownDelaySeconds.
import { createFakeClock, type FakeClock } from '@gradual/core/testing';
import { type KubeApiServer, startKubeApiServer } from '@gradual/kube-api-test-server';
import { createRolloutController, type RolloutController } from '@gradual/kubernetes';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { eventually, pluginPromote, replicaSets, rolloutEvents, setImage, untilPhase } from './kubernetes-scenario-kit.js';

// The seed's Deployment `mynode-deployment` (pod template, 1 replica) and Service `my-service` as Argo's
// blueGreen strategy: activeService my-service, a preview Service beside it, promotion by hand.
const rollout = {
  apiVersion: 'argoproj.io/v1alpha1',
  kind: 'Rollout',
  metadata: { name: 'mynode' },
  spec: {
    replicas: 1,
    selector: { matchLabels: { app: 'mynode' } },
    template: {
      metadata: { labels: { app: 'mynode' } },
      spec: { containers: [{ name: 'mynode', image: 'quay.io/rhdevelopers/mynode:v1', ports: [{ containerPort: 8000 }] }] },
    },
    strategy: { blueGreen: { activeService: 'my-service', previewService: 'my-service-preview', autoPromotionEnabled: false } },
  },
};
const ref = { namespace: 'default', name: 'mynode' };
const service = (name: string) => ({
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name, labels: { app: 'mystuff' } },
  spec: { ports: [{ name: 'http', port: 8000 }], selector: { app: 'mynode' }, type: 'LoadBalancer' },
});
const selectorOf = (server: KubeApiServer, name: string) =>
  (server.get('services', 'default', name)?.spec as { selector?: Record<string, string> }).selector?.[
    'rollouts-pod-template-hash'
  ];

let server: KubeApiServer;
let clock: FakeClock;
let controller: RolloutController;
beforeEach(async () => {
  server = await startKubeApiServer({ autoAvailable: true });
  server.seed('services', 'default', service('my-service'));
  server.seed('services', 'default', service('my-service-preview'));
  clock = createFakeClock({ start: Date.UTC(2026, 0, 1) });
  controller = createRolloutController({ kubeConfig: server.kubeConfig(), namespaces: ['default'], clock });
});
afterEach(async () => {
  await controller.stop();
  await server.close();
});

describe('the talk blue/green on the controller, Service selectors by default', () => {
  it('deploys v1, previews v2, cuts over on the plugin promote, scales v1 down after the delay', async () => {
    server.seed('rollouts', 'default', structuredClone(rollout));
    await controller.start();
    const v1 = (await untilPhase(server, ref, 'Healthy', (s) => Boolean(s.stableRS), { tick: clock })).stableRS!;
    expect(selectorOf(server, 'my-service')).toBe(v1);
    expect((await replicaSets(server.kubeConfig(), 'default')).map((rs) => [rs.hash, rs.replicas])).toEqual([[v1, 1]]);

    setImage(server, ref, 'quay.io/rhdevelopers/mynode:v2');
    const paused = await untilPhase(server, ref, 'Paused', (s) => Boolean(s.currentPodHash && s.currentPodHash !== v1), {
      tick: clock,
    });
    const v2 = paused.currentPodHash!;
    // Testers reach v2 on the preview Service; users stay on v1.
    expect(selectorOf(server, 'my-service-preview')).toBe(v2);
    expect(selectorOf(server, 'my-service')).toBe(v1);
    const both = await replicaSets(server.kubeConfig(), 'default');
    expect(both.map((rs) => rs.replicas)).toEqual([1, 1]);

    await pluginPromote(server.kubeConfig(), ref);
    await untilPhase(server, ref, 'Healthy', (s) => s.stableRS === v2, { tick: clock });
    expect(selectorOf(server, 'my-service')).toBe(v2);
    // v1 keeps its pod for Argo's scaleDownDelaySeconds (30 s), then goes to 0.
    expect((await replicaSets(server.kubeConfig(), 'default')).find((rs) => rs.hash === v1)?.replicas).toBe(1);
    await clock.advance(29_000);
    expect((await replicaSets(server.kubeConfig(), 'default')).find((rs) => rs.hash === v1)?.replicas).toBe(1);
    await clock.advance(1_000);
    await eventually(async () => {
      expect((await replicaSets(server.kubeConfig(), 'default')).find((rs) => rs.hash === v1)?.replicas).toBe(0);
    });
    // The switch is recorded once, with Argo's reason.
    const events = await rolloutEvents(server, 'mynode');
    expect(events.filter((e) => e.reason === 'SwitchService' || e.reason === 'TrafficWeightUpdated').length).toBeGreaterThan(0);
  });
});
