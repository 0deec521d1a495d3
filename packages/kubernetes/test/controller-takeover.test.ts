// What the controller does on the edges a review found: a Rollout that Argo (or a lost write) left without
// gradual's status, a writer that keeps winning, and a stop while a call hangs.
import { createFakeClock, createMemoryRouter, type MemoryRouter } from '@gradual/core/testing';
import { type KubeApiServer, startKubeApiServer } from '@gradual/kube-api-test-server';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { buildRolloutController, type RolloutController } from '../src/controller/build-rollout-controller.js';
import { soleOwnership } from '../src/controller/sole-ownership.js';
import { createWorkQueue } from '../src/queue/create-work-queue.js';
import { createAnnotationStore, createMemoryRecorder, plainAdapters } from './controller-fakes.js';

const blueGreen = { blueGreen: { activeService: 'cart-active', autoPromotionEnabled: true } };
const rollout = (status?: Record<string, unknown>, strategy: object = blueGreen) => ({
  apiVersion: 'argoproj.io/v1alpha1',
  kind: 'Rollout',
  metadata: { name: 'cart' },
  spec: {
    replicas: 1,
    selector: { matchLabels: { app: 'cart' } },
    template: { metadata: { labels: { app: 'cart' } }, spec: { containers: [{ name: 'app', image: 'cart:2' }] } },
    strategy,
  },
  ...(status ? { status } : {}),
});
const statusOf = (name = 'cart') => {
  const annotations = (server.get('rollouts', 'shop', name)?.metadata as { annotations?: Record<string, string> })?.annotations;
  const text = annotations?.['test.gradual.dev/status'];
  return text ? (JSON.parse(text) as { phase: string; abort: boolean; stableRevision: string | null }) : undefined;
};

let server: KubeApiServer;
let controller: RolloutController | undefined;
beforeEach(async () => {
  server = await startKubeApiServer();
});
afterEach(async () => {
  await controller?.stop();
  controller = undefined;
  await server.close();
});

function build(router: MemoryRouter = createMemoryRouter({ capabilities: { weightGranularity: 100 } }), stopGraceMs?: number) {
  const clock = createFakeClock({ start: Date.UTC(2026, 0, 1) });
  const kubeConfig = server.kubeConfig();
  const queue = createWorkQueue({ clock });
  controller = buildRolloutController(
    { kubeConfig, namespaces: ['shop'], clock, routerFor: () => router, ...(stopGraceMs ? { stopGraceMs } : {}) },
    {
      queue,
      store: createAnnotationStore(kubeConfig),
      adapters: plainAdapters,
      events: createMemoryRecorder(),
      ownership: soleOwnership(),
    },
  );
  return { clock, router, controller };
}

describe('taking a Rollout over', () => {
  it('an update Argo aborted stays aborted: the new revision does not take production', async () => {
    server.seed('rollouts', 'shop', rollout({ abort: true, stableRS: 'old', currentPodHash: 'new', phase: 'Degraded' }));
    const { router, controller } = build();
    await controller.start();
    await vi.waitFor(() => expect(statusOf()?.phase).toBe('Degraded'), { timeout: 5000 });
    expect(statusOf()).toMatchObject({ abort: true, stableRevision: 'old' });
    expect(router.calls.every((state) => state.stableRevision === 'old')).toBe(true);
  });

  it('a rollout Argo left paused stays paused until someone promotes it', async () => {
    server.seed(
      'rollouts',
      'shop',
      rollout({
        stableRS: 'old',
        controllerPause: true,
        pauseConditions: [{ reason: 'BlueGreenPause', startTime: '2026-01-01T00:00:00Z' }],
      }),
    );
    const { router, controller } = build();
    await controller.start();
    await vi.waitFor(() => expect(statusOf()?.phase).toBe('Paused'), { timeout: 5000 });
    expect(router.calls.every((state) => state.stableRevision === 'old')).toBe(true);
  });

  it('a new Rollout whose first status write was lost is still an initial deploy, not a canary without a stable', async () => {
    // The first attempt created the ReplicaSet and lost its write: no stableRS, no status, one owned ReplicaSet.
    const { metadata } = server.seed(
      'rollouts',
      'shop',
      rollout({}, { canary: { steps: [{ setWeight: 25 }, { pause: {} }] } }),
    ) as { metadata: { uid: string } };
    server.seed('replicasets', 'shop', {
      apiVersion: 'apps/v1',
      kind: 'ReplicaSet',
      metadata: {
        name: 'cart-5d4f',
        labels: { app: 'cart', 'rollouts-pod-template-hash': '5d4f' },
        ownerReferences: [
          { apiVersion: 'argoproj.io/v1alpha1', kind: 'Rollout', name: 'cart', uid: metadata.uid, controller: true },
        ],
      },
      spec: { replicas: 1, selector: { matchLabels: { app: 'cart' } }, template: { metadata: { labels: { app: 'cart' } } } },
    });
    const { controller } = build(createMemoryRouter());
    await controller.start();
    await vi.waitFor(() => expect(statusOf()?.phase).toBe('Healthy'), { timeout: 5000 });
    expect(statusOf()?.stableRevision).not.toBeNull();
  });
});

describe('analysis templates of others', () => {
  it("another team's broken AnalysisTemplate in the namespace does not stop a rollout that does not name it", async () => {
    server.seed('analysistemplates', 'shop', {
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'AnalysisTemplate',
      metadata: { name: 'other-team' },
      spec: { metrics: [{ name: 'm', successCondition: 'result ==', provider: { web: { url: 'http://x' } } }] },
    });
    server.seed('rollouts', 'shop', rollout());
    const { controller } = build();
    await controller.start();
    await vi.waitFor(() => expect(statusOf()?.phase).toBe('Healthy'), { timeout: 5000 });
  });
});

describe('a writer that keeps winning', () => {
  it('conflicts are retried with backoff on the clock, not in a hot loop', async () => {
    server.seed('rollouts', 'shop', rollout());
    // A 409 that moves nothing (no watch event to wake the controller): only the backoff brings the next try.
    server.inject({
      fault: { kind: 'status', code: 409, reason: 'Conflict' },
      verbs: ['update', 'patch'],
      name: 'cart',
      times: 1000,
    });
    const { clock, controller } = build();
    await controller.start();
    await vi.waitFor(() => expect(server.requests.filter((r) => r.status === 409).length).toBeGreaterThan(0), { timeout: 5000 });
    // Without time passing on the clock, no more attempts: the backoff waits on it (5 ms, 10 ms, ...).
    for (let turn = 0; turn < 200; turn++) await new Promise((resolve) => setImmediate(resolve));
    expect(server.requests.filter((r) => r.status === 409)).toHaveLength(1);
    await clock.advance(5);
    await vi.waitFor(() => expect(server.requests.filter((r) => r.status === 409)).toHaveLength(2), { timeout: 5000 });
  });
});

describe('stop()', () => {
  it('a call that hangs gets the grace period, then its signal, and stop resolves', async () => {
    server.seed('rollouts', 'shop', rollout());
    let entered: () => void = () => {};
    const inApply = new Promise<void>((resolve) => {
      entered = resolve;
    });
    let aborted = false;
    const router = Object.assign(Object.create(createMemoryRouter()) as MemoryRouter, {
      capabilities: { headerRoutes: false, mirrorRoutes: false, experiments: false, weightGranularity: 100 },
      apply: async (_desired: unknown, options: { signal: AbortSignal }) => {
        entered();
        await new Promise((resolve) => options.signal.addEventListener('abort', resolve, { once: true }));
        aborted = true;
        throw options.signal.reason;
      },
    });
    const { clock, controller: built } = build(router, 1000);
    await built.start();
    await inApply;
    let stopped = false;
    const stopping = built.stop().then(() => {
      stopped = true;
    });
    controller = undefined;
    for (let turn = 0; turn < 20; turn++) await new Promise((resolve) => setImmediate(resolve));
    expect(stopped).toBe(false);
    await clock.advance(1000);
    await stopping;
    expect(aborted).toBe(true);
  });
});
