import { readFileSync } from 'node:fs';
import { createRollout, parseRollout, systemClock } from '@gradual/core';
import { describeTrafficRouterConformance } from '@gradual/core/conformance';
import { createFakeClock } from '@gradual/core/testing';
// The istio package's HTTPS Kubernetes API test server also serves core/v1 Services.
import { type KubeApiServer, startKubeApiServer } from '@gradual/kube-api-test-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServiceSelectorRouter } from '../src/create-service-selector-router.js';
import { seedServices, selectedRevision } from './support/services.js';

const namespace = 'default';
let server: KubeApiServer;
beforeAll(async () => {
  server = await startKubeApiServer();
});
afterAll(async () => {
  await server.close();
});

const routerFor = (names: { active: string; preview: string }) =>
  createServiceSelectorRouter({
    kubeConfig: server.kubeConfig(),
    namespace,
    activeService: names.active,
    previewService: names.preview,
  });

describeTrafficRouterConformance({
  name: 'service-selector (examples/service-selector-router)',
  create: async () => ({ router: routerFor(seedServices(server, namespace)) }),
});

describe('blue/green by Service selector', () => {
  it("runs the seed's blue/green: preview first, then the active Service switches on promote, one write each", async () => {
    const names = seedServices(server, namespace);
    const spec = parseRollout(readFileSync(new URL('../manifests/rollout-blue-green.yaml', import.meta.url), 'utf8'));
    const clock = createFakeClock({ auto: true, start: Date.UTC(2026, 0, 1) });
    const rollout = createRollout({ spec, router: routerFor(names), clock, stableRevision: 'blue-hash' });
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
    expect(server.acceptedWrites(names.active)).toBe(2);
    expect(server.acceptedWrites(names.preview)).toBe(1);
  });

  it('an abort puts the active Service back on the stable revision', async () => {
    const names = seedServices(server, namespace);
    const spec = parseRollout(readFileSync(new URL('../manifests/rollout-blue-green.yaml', import.meta.url), 'utf8'));
    const clock = createFakeClock({ auto: true, start: Date.UTC(2026, 0, 1) });
    const rollout = createRollout({ spec, router: routerFor(names), clock, stableRevision: 'blue-hash' });
    const running = rollout.run();
    for await (const event of rollout) if (event.reason === 'RolloutPaused') break;
    rollout.abort('testers found a bug in preview');
    const result = await running;
    expect(result.outcome).toBe('Aborted');
    expect(selectedRevision(server, namespace, names.active)).toBe('blue-hash');
  });

  it('refuses a canary with weights before any write', async () => {
    const names = seedServices(server, namespace);
    const spec = parseRollout({
      selector: { matchLabels: { app: 'mynode' } },
      template: { spec: { containers: [{ name: 'mynode', image: 'quay.io/rhdevelopers/mynode:v2' }] } },
      strategy: { canary: { steps: [{ setWeight: 30 }] } },
    });
    const rollout = createRollout({
      spec,
      router: routerFor(names),
      clock: createFakeClock({ auto: true }),
      stableRevision: 'x',
    });
    await expect(rollout.run()).rejects.toThrow(/steps\[0\]\.setWeight/);
    expect(server.acceptedWrites(names.active)).toBe(0);
  });

  it('retries after a 409 Conflict and keeps the other writer’s change', async () => {
    const names = seedServices(server, namespace);
    server.inject({
      fault: {
        kind: 'conflict',
        edit: (object) => {
          const metadata = object.metadata as { labels: Record<string, string> };
          metadata.labels.owner = 'someone-else';
        },
      },
      verbs: ['update'],
      name: names.active,
    });
    const router = routerFor(names);
    const call = { signal: new AbortController().signal, clock: createFakeClock({ auto: true }) };
    const desired = {
      canaryWeight: 0,
      stableRevision: 'rev-a',
      canaryRevision: 'rev-b',
      headerRoutes: [],
      mirrorRoutes: [],
      experiments: [],
    };
    expect((await router.apply(desired, call)).changed).toBe(true);
    const stored = server.get('services', namespace, names.active) as { metadata: { labels: Record<string, string> } };
    expect(stored.metadata.labels.owner).toBe('someone-else');
    expect(selectedRevision(server, namespace, names.active)).toBe('rev-a');
  });

  it('says which Service is missing', async () => {
    const router = createServiceSelectorRouter({ kubeConfig: server.kubeConfig(), namespace, activeService: 'nope' });
    const call = { signal: new AbortController().signal, clock: systemClock };
    await expect(
      router.apply({ canaryWeight: 0, stableRevision: 'a', headerRoutes: [], mirrorRoutes: [], experiments: [] }, call),
    ).rejects.toThrow(/get Service 'nope' in namespace 'default': HTTP 404/);
  });
});
