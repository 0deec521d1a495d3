import { readFileSync } from 'node:fs';
import { createRollout, parseRollout } from '@gradual/core';
import { createFakeClock } from '@gradual/core/testing';
import { type KubeApiServer, startKubeApiServer } from '@gradual/kube-api-test-server';
import { createServiceSelectorRouter, serviceSelectorRoutingFromRollout } from '@gradual/kubernetes';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshNamespace, seedReplicaSet, seedServices, selectedRevision, writesTo } from './support/services.js';

// The router's own cases (conformance, availability, conflicts, ownership) are in packages/kubernetes/test.
let server: KubeApiServer;
beforeAll(async () => {
  server = await startKubeApiServer();
});
afterAll(async () => {
  await server.close();
});

const manifest = () => parseRollout(readFileSync(new URL('../manifests/rollout-blue-green.yaml', import.meta.url), 'utf8'));
// The Services come from the Rollout, as an application reads them.
const routerFor = (namespace: string) =>
  createServiceSelectorRouter({
    kubeConfig: server.kubeConfig(),
    namespace,
    rolloutName: 'mynode',
    services: serviceSelectorRoutingFromRollout(manifest()),
  });

describe("the seed's blue/green by Service selector", () => {
  it('reads the Services from the Rollout', () => {
    expect(serviceSelectorRoutingFromRollout(manifest())).toEqual({
      activeService: 'my-service',
      previewService: 'my-service-preview',
    });
  });

  it('preview first, then the active Service switches on promote, one write each', async () => {
    const namespace = freshNamespace();
    const names = seedServices(server, namespace);
    const spec = manifest();
    seedReplicaSet(server, namespace, 'blue-hash');
    seedReplicaSet(server, namespace, spec.revision);
    const clock = createFakeClock({ auto: true, start: Date.UTC(2026, 0, 1) });
    const rollout = createRollout({ spec, router: routerFor(namespace), clock, stableRevision: 'blue-hash' });
    const running = rollout.run();
    // autoPromotionEnabled: false — it pauses with the preview on v2 and users still on v1.
    for await (const event of rollout) if (event.reason === 'RolloutPaused') break;
    expect(selectedRevision(server, namespace, names.preview)).toBe(spec.revision);
    expect(selectedRevision(server, namespace, names.active)).toBe('blue-hash');
    rollout.promote();
    const result = await running;
    expect(result.outcome).toBe('Promoted');
    expect(selectedRevision(server, namespace, names.active)).toBe(spec.revision);
    // The rest of the selector (`app: mynode`) is kept.
    expect((server.get('services', namespace, names.active) as { spec: { selector: object } }).spec.selector).toMatchObject({
      app: 'mynode',
    });
    expect(writesTo(server, namespace, names.active)).toBe(2);
    expect(writesTo(server, namespace, names.preview)).toBe(1);
  });

  it('an abort puts the active Service back on the stable revision', async () => {
    const namespace = freshNamespace();
    const names = seedServices(server, namespace);
    const spec = manifest();
    seedReplicaSet(server, namespace, 'blue-hash');
    seedReplicaSet(server, namespace, spec.revision);
    const clock = createFakeClock({ auto: true, start: Date.UTC(2026, 0, 1) });
    const rollout = createRollout({ spec, router: routerFor(namespace), clock, stableRevision: 'blue-hash' });
    const running = rollout.run();
    for await (const event of rollout) if (event.reason === 'RolloutPaused') break;
    rollout.abort('testers found a bug in preview');
    const result = await running;
    expect(result.outcome).toBe('Aborted');
    expect(selectedRevision(server, namespace, names.active)).toBe('blue-hash');
  });

  it('refuses a canary with weights before any write (a blue/green Service sends all traffic or none)', async () => {
    const namespace = freshNamespace();
    const names = seedServices(server, namespace);
    const spec = parseRollout({
      selector: { matchLabels: { app: 'mynode' } },
      template: { spec: { containers: [{ name: 'mynode', image: 'quay.io/rhdevelopers/mynode:v2' }] } },
      strategy: { canary: { steps: [{ setWeight: 30 }] } },
    });
    const rollout = createRollout({
      spec,
      router: routerFor(namespace),
      clock: createFakeClock({ auto: true }),
      stableRevision: 'x',
    });
    await expect(rollout.run()).rejects.toThrow(/steps\[0\]\.setWeight/);
    expect(writesTo(server, namespace, names.active)).toBe(0);
  });
});
