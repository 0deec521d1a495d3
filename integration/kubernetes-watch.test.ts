// The controller with this package's parts when its watches drop (no update lost: the abort written while no
// watch was open is taken) and when a stale writer comes after it (its write is refused, the controller's
// status stays), against the HTTPS test API server with the real client.
import { parseRollout } from '@gradual/core';
import { createFakeClock, type FakeClock } from '@gradual/core/testing';
import { type KubeApiServer, startKubeApiServer } from '@gradual/kube-api-test-server';
import { createRolloutController, createRolloutStatusStore, type RolloutController } from '@gradual/kubernetes';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { argoStatus, pluginAbort, setImage, untilPhase } from './kubernetes-scenario-kit.js';

// A canary without a mesh: Services switched by selector, a pause until promoted.
const rollout = {
  apiVersion: 'argoproj.io/v1alpha1',
  kind: 'Rollout',
  metadata: { name: 'web' },
  spec: {
    replicas: 2,
    selector: { matchLabels: { app: 'web' } },
    template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image: 'web:1' }] } },
    strategy: { canary: { canaryService: 'web-canary', stableService: 'web-stable', steps: [{ setWeight: 50 }, { pause: {} }] } },
  },
};
const ref = { namespace: 'default', name: 'web' };

let server: KubeApiServer;
let clock: FakeClock;
let controller: RolloutController;
beforeEach(async () => {
  server = await startKubeApiServer({ autoAvailable: true });
  for (const name of ['web-canary', 'web-stable']) {
    server.seed('services', 'default', {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name },
      spec: { ports: [{ port: 80 }], selector: { app: 'web' } },
    });
  }
  clock = createFakeClock({ start: Date.UTC(2026, 0, 1) });
  controller = createRolloutController({ kubeConfig: server.kubeConfig(), namespaces: ['default'], clock });
  server.seed('rollouts', 'default', structuredClone(rollout));
  await controller.start();
  await untilPhase(server, ref, 'Healthy', (s) => Boolean(s.stableRS), { tick: clock });
  setImage(server, ref, 'web:2');
  await untilPhase(server, ref, 'Paused', (s) => s.currentStepIndex === 1, { tick: clock });
});
afterEach(async () => {
  await controller.stop();
  await server.close();
});

describe('the controller across dropped watches and stale writers', () => {
  it.each([
    { name: 'dropped', compact: false },
    { name: 'dropped and compacted away (410 Gone, re-list)', compact: true },
  ])('takes an abort written while its watches were $name', async ({ compact }) => {
    const lists = server.requests.filter((r) => r.verb === 'list' && r.plural === 'rollouts').length;
    server.dropWatches();
    await pluginAbort(server.kubeConfig(), ref);
    if (compact) server.compact();
    await untilPhase(server, ref, 'Degraded', (s) => s.abort === true, { tick: clock });
    if (compact) {
      expect(server.requests.filter((r) => r.verb === 'list' && r.plural === 'rollouts').length).toBeGreaterThan(lists);
    }
  });

  it('refuses a stale status write: the writer gets STATUS_CONFLICT, the stored status stays the controller’s', async () => {
    const store = createRolloutStatusStore({ kubeConfig: server.kubeConfig(), clock });
    const signal = new AbortController().signal;
    const stale = await store.read(ref, { signal });
    // The controller moves on (an abort) after the stale read.
    await pluginAbort(server.kubeConfig(), ref);
    await untilPhase(server, ref, 'Degraded', (s) => s.abort === true, { tick: clock });
    const before = structuredClone(server.get('rollouts', 'default', 'web'));
    await expect(
      store.write(
        ref,
        { read: stale, status: { ...stale.status!, message: 'from a stale replica' }, spec: parseRollout(stale.object) },
        { signal },
      ),
    ).rejects.toMatchObject({ code: 'STATUS_CONFLICT' });
    expect(server.get('rollouts', 'default', 'web')).toEqual(before);
    expect(argoStatus(server, 'default', 'web')).toMatchObject({ phase: 'Degraded', abort: true });
  });
});
