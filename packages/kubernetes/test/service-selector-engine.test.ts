import { createRollout, parseRollout, type RolloutEvent } from '@gradual/core';
import { createFakeClock } from '@gradual/core/testing';
import { type KubeApiServer, startKubeApiServer } from '@gradual/kube-api-test-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEventRecorder, createServiceSelectorRouter, serviceSelectorRoutingFromRollout } from '../src/index.js';
import { seedReplicaSet, seedService, selectedRevision, uniqueName } from './support/service-selector-fixture.js';

let server: KubeApiServer;
beforeAll(async () => {
  server = await startKubeApiServer();
});
afterAll(async () => {
  await server.close();
});

const template = { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image: 'web:2' }] } };

describe('the engine with Service selectors and Events', () => {
  it('blue/green: the cut-over waits for the new ReplicaSet, retries, then switches; every event lands as a Kubernetes Event', async () => {
    const namespace = uniqueName('bg');
    const spec = parseRollout({
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'Rollout',
      metadata: { name: 'web', namespace },
      spec: {
        replicas: 2,
        selector: { matchLabels: { app: 'web' } },
        template,
        strategy: { blueGreen: { activeService: 'web-active', previewService: 'web-preview' } },
      },
    });
    seedService(server, namespace, 'web-active');
    seedService(server, namespace, 'web-preview');
    seedReplicaSet(server, { namespace, rollout: 'web', revision: 'v1', replicas: 2 });
    const green = seedReplicaSet(server, { namespace, rollout: 'web', revision: spec.revision, replicas: 2, available: 0 });
    const clock = createFakeClock({ auto: true, start: Date.UTC(2026, 11, 6) });
    const router = createServiceSelectorRouter({
      kubeConfig: server.kubeConfig(),
      namespace,
      rolloutName: 'web',
      services: serviceSelectorRoutingFromRollout(spec),
    });
    const recorder = createEventRecorder({ kubeConfig: server.kubeConfig(), clock });
    const rollout = createRollout({ spec, router, clock, stableRevision: 'v1' });
    const seen: RolloutEvent[] = [];
    const recorded: Promise<unknown>[] = [];
    rollout.on((event) => {
      seen.push(event);
      recorded.push(recorder.record({ name: 'web', namespace, uid: 'uid-web' }, event));
      // The kubelet's part: the green pods become available after the router refused the cut-over once.
      if (event.reason === 'TrafficRoutingError') server.setAvailable(namespace, green, 2);
    });
    const result = await rollout.run();
    await Promise.all(recorded);
    expect(result.outcome).toBe('Promoted');
    const refusal = seen.find((e) => e.reason === 'TrafficRoutingError');
    expect(refusal?.message).toContain(`ReplicaSet '${green}' has 0/2 pods available`);
    expect(selectedRevision(server, namespace, 'web-active')).toBe(spec.revision);
    expect(selectedRevision(server, namespace, 'web-preview')).toBe(spec.revision);
    // The Events on the Rollout carry Argo's reasons: the selector switches are SwitchService.
    const creates = server.requests.filter((r) => r.plural === 'events' && r.verb === 'create' && r.namespace === namespace);
    expect(creates.length).toBe(recorder.stats.created);
    expect(recorder.stats.failed).toBe(0);
    const stored = (await Promise.all(recorded)) as { name?: string }[];
    const storedReasons = stored.map(
      (r) => (server.get('events', namespace, r.name ?? '') as { reason?: string } | undefined)?.reason,
    );
    expect(storedReasons).toContain('SwitchService');
    expect(storedReasons).toContain('TrafficRoutingError');
    expect(storedReasons).toContain('RolloutCompleted');
  });

  it('canary without a mesh: the canary Service moves to the new revision, the stable one at promotion', async () => {
    const namespace = uniqueName('canary');
    const spec = parseRollout({
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'Rollout',
      metadata: { name: 'web', namespace },
      spec: {
        replicas: 4,
        selector: { matchLabels: { app: 'web' } },
        template,
        strategy: {
          canary: {
            canaryService: 'web-canary',
            stableService: 'web-stable',
            steps: [{ setWeight: 25 }, { pause: { duration: '1m' } }],
          },
        },
      },
    });
    seedService(server, namespace, 'web-canary');
    seedService(server, namespace, 'web-stable');
    seedReplicaSet(server, { namespace, rollout: 'web', revision: 'v1', replicas: 4 });
    seedReplicaSet(server, { namespace, rollout: 'web', revision: spec.revision, replicas: 4 });
    const clock = createFakeClock({ auto: true, start: Date.UTC(2026, 11, 6) });
    const router = createServiceSelectorRouter({
      kubeConfig: server.kubeConfig(),
      namespace,
      rolloutName: 'web',
      services: serviceSelectorRoutingFromRollout(spec),
    });
    const rollout = createRollout({ spec, router, clock, stableRevision: 'v1' });
    const atPause: (string | undefined)[] = [];
    rollout.on((event) => {
      if (event.reason === 'RolloutStepCompleted' && event.stepIndex === 0)
        atPause.push(selectedRevision(server, namespace, 'web-canary'), selectedRevision(server, namespace, 'web-stable'));
    });
    expect((await rollout.run()).outcome).toBe('Promoted');
    expect(atPause).toEqual([spec.revision, 'v1']);
    expect(selectedRevision(server, namespace, 'web-stable')).toBe(spec.revision);
    expect(selectedRevision(server, namespace, 'web-canary')).toBe(spec.revision);
  });
});
