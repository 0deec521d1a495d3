// The controller's own composition (informers → queue → reconcile → status write → Events → requeue) with
// stand-in parts (controller-fakes.ts) against the HTTPS test API server and the real client.
import { createFakeClock, createMemoryRouter, type MemoryRouter } from '@gradual/core/testing';
import { type KubeApiServer, startKubeApiServer } from '@gradual/kube-api-test-server';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { buildRolloutController, type RolloutController } from '../src/controller/build-rollout-controller.js';
import type { Ownership, OwnershipHooks } from '../src/controller/controller-parts.js';
import { soleOwnership } from '../src/controller/sole-ownership.js';
import { createAnnotationStore, createMemoryRecorder, createPlainQueue, plainAdapters } from './controller-fakes.js';

const blueGreen = (name: string, image: string) => ({
  apiVersion: 'argoproj.io/v1alpha1',
  kind: 'Rollout',
  metadata: { name },
  spec: {
    replicas: 1,
    selector: { matchLabels: { app: name } },
    template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'app', image }] } },
    strategy: { blueGreen: { activeService: `${name}-active`, autoPromotionEnabled: true } },
  },
});
const statusOf = (server: KubeApiServer, namespace: string, name: string) => {
  const text = (server.get('rollouts', namespace, name)?.metadata as { annotations?: Record<string, string> })?.annotations?.[
    'test.gradual.dev/status'
  ];
  return text ? (JSON.parse(text) as { phase: string; stableRevision: string | null; currentRevision: string }) : undefined;
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

function build(options: { namespaces?: string[]; router?: MemoryRouter } = {}) {
  const clock = createFakeClock({ start: Date.UTC(2026, 0, 1) });
  const kubeConfig = server.kubeConfig();
  const queue = createPlainQueue(clock);
  const store = createAnnotationStore(kubeConfig);
  const events = createMemoryRecorder();
  const routers = new Map<string, MemoryRouter>();
  controller = buildRolloutController(
    {
      kubeConfig,
      namespaces: options.namespaces,
      clock,
      routerFor: ({ spec }) => {
        const router =
          options.router ?? routers.get(spec.name) ?? createMemoryRouter({ capabilities: { weightGranularity: 100 } });
        routers.set(spec.name, router);
        return router;
      },
    },
    { queue, store, adapters: plainAdapters, events, ownership: soleOwnership() },
  );
  return { clock, queue, store, events, routers, controller };
}

describe('the controller composition', () => {
  it('takes a new Rollout from its informer to Healthy (initial deploy), writes the status once, records its Events', async () => {
    server.seed('rollouts', 'shop', blueGreen('cart', 'cart:1'));
    const { store, events, controller } = build({ namespaces: ['shop'] });
    await controller.start();
    await vi.waitFor(() => expect(statusOf(server, 'shop', 'cart')?.phase).toBe('Healthy'), { timeout: 5000 });
    const status = statusOf(server, 'shop', 'cart')!;
    expect(status.stableRevision).toBe(status.currentRevision);
    expect(store.writes).toBe(1);
    expect(events.events.map((e) => e.rollout)).not.toHaveLength(0);
    const total = await controller.registry.getSingleMetric('gradual_reconcile_total')?.get();
    expect(total?.values.find((v) => v.labels.result === 'success')?.value).toBeGreaterThanOrEqual(1);
  });

  it('never acts on its own stale cache: the watch event of its write is not a second reconcile that writes', async () => {
    server.seed('rollouts', 'shop', blueGreen('cart', 'cart:1'));
    const { store, queue, events, controller } = build({ namespaces: ['shop'] });
    // Right after the write, before its watch event can arrive: the key runs again on the cache as it was.
    events.onRecord = () => queue.add('shop/cart');
    await controller.start();
    await vi.waitFor(() => expect(statusOf(server, 'shop', 'cart')?.phase).toBe('Healthy'), { timeout: 5000 });
    await vi.waitFor(() => expect(queue.handled.length).toBeGreaterThanOrEqual(3), { timeout: 5000 });
    // Neither the early pass nor the one for our own MODIFIED event wrote or conflicted.
    expect(store.writes).toBe(1);
    expect(server.acceptedWrites('cart')).toBe(1);
    expect(server.requests.filter((r) => r.status === 409)).toHaveLength(0);
  });

  it('a stale status write is refused (409) and the rollout is read again fresh, not retried blindly', async () => {
    server.seed('rollouts', 'shop', blueGreen('cart', 'cart:1'));
    // A concurrent writer (a person, kubectl) changes the object between our read and our write.
    server.inject({
      fault: { kind: 'conflict', edit: (o) => Object.assign(o.metadata as object, { labels: { team: 'a' } }) },
      verbs: ['update'],
      name: 'cart',
    });
    const { controller } = build({ namespaces: ['shop'] });
    await controller.start();
    await vi.waitFor(() => expect(statusOf(server, 'shop', 'cart')?.phase).toBe('Healthy'), { timeout: 5000 });
    // Their change survived ours, and ours went in after a fresh GET.
    expect((server.get('rollouts', 'shop', 'cart')?.metadata as { labels?: object }).labels).toEqual({ team: 'a' });
    expect(server.requests.filter((r) => r.verb === 'get' && r.name === 'cart')).toHaveLength(1);
    const total = await controller.registry.getSingleMetric('gradual_reconcile_total')?.get();
    expect(total?.values.find((v) => v.labels.result === 'conflict')?.value).toBe(1);
  });

  it('says InvalidSpec on the Rollout for a spec that does not parse, writes no status, and backs off', async () => {
    const broken = blueGreen('cart', 'cart:1');
    (broken.spec as { strategy: unknown }).strategy = {};
    server.seed('rollouts', 'shop', broken);
    const { store, events, controller } = build({ namespaces: ['shop'] });
    await controller.start();
    await vi.waitFor(() => expect(events.events.map((e) => e.reason)).toContain('InvalidSpec'), { timeout: 5000 });
    expect(events.events[0]).toMatchObject({ type: 'Warning', rollout: 'cart' });
    expect(events.events[0]!.message).toMatch(/strategy/);
    expect(store.writes).toBe(0);
    const errors = await controller.registry.getSingleMetric('gradual_reconcile_errors_total')?.get();
    expect(errors?.values[0]?.value).toBeGreaterThanOrEqual(1);
  });

  it('watches every namespace when none is named', async () => {
    server.seed('rollouts', 'a', blueGreen('one', 'one:1'));
    server.seed('rollouts', 'b', blueGreen('two', 'two:1'));
    const { controller } = build();
    await controller.start();
    await vi.waitFor(
      () => {
        expect(statusOf(server, 'a', 'one')?.phase).toBe('Healthy');
        expect(statusOf(server, 'b', 'two')?.phase).toBe('Healthy');
      },
      { timeout: 5000 },
    );
  });

  it('an image change moves the active Service only through the blue/green switch, then Healthy on the new revision', async () => {
    server.seed('rollouts', 'shop', blueGreen('cart', 'cart:1'));
    const router = createMemoryRouter({ capabilities: { weightGranularity: 100 } });
    const { controller } = build({ namespaces: ['shop'], router });
    await controller.start();
    await vi.waitFor(() => expect(statusOf(server, 'shop', 'cart')?.phase).toBe('Healthy'), { timeout: 5000 });
    const v1 = statusOf(server, 'shop', 'cart')!.stableRevision;
    server.edit('rollouts', 'shop', 'cart', (o) => {
      (o.spec as ReturnType<typeof blueGreen>['spec']).template.spec.containers[0]!.image = 'cart:2';
    });
    await vi.waitFor(
      () => {
        const status = statusOf(server, 'shop', 'cart')!;
        expect(status.phase).toBe('Healthy');
        expect(status.stableRevision).not.toBe(v1);
      },
      { timeout: 5000 },
    );
    expect(router.current.stableRevision).toBe(statusOf(server, 'shop', 'cart')!.stableRevision);
  });

  it('on losing ownership, aborts the reconciles in flight through their signal and lets the Lease go only after they ended', async () => {
    server.seed('rollouts', 'shop', blueGreen('cart', 'cart:1'));
    const owning = new AbortController();
    let hooks: OwnershipHooks | undefined;
    const ownership: Ownership = {
      owns: () => !owning.signal.aborted,
      signalFor: () => (owning.signal.aborted ? undefined : owning.signal),
      async run(signal, given) {
        hooks = given;
        given.acquired();
        await new Promise((resolve) => signal.addEventListener('abort', resolve, { once: true }));
      },
    };
    let entered: () => void = () => {};
    const inApply = new Promise<void>((resolve) => {
      entered = resolve;
    });
    let sawAbort = false;
    let ended = false;
    const router: MemoryRouter = Object.assign(Object.create(createMemoryRouter()) as MemoryRouter, {
      capabilities: { headerRoutes: false, mirrorRoutes: false, experiments: false, weightGranularity: 100 },
      apply: async (_desired: unknown, options: { signal: AbortSignal }) => {
        entered();
        await new Promise((resolve) => options.signal.addEventListener('abort', resolve, { once: true }));
        sawAbort = true;
        // Cleaning up after the abort takes a moment; the Lease must wait for it.
        await new Promise((resolve) => setImmediate(resolve));
        ended = true;
        throw options.signal.reason;
      },
    });
    const clock = createFakeClock({ start: Date.UTC(2026, 0, 1) });
    const kubeConfig = server.kubeConfig();
    const store = createAnnotationStore(kubeConfig);
    controller = buildRolloutController(
      { kubeConfig, namespaces: ['shop'], clock, routerFor: () => router },
      { queue: createPlainQueue(clock), store, adapters: plainAdapters, events: createMemoryRecorder(), ownership },
    );
    await controller.start();
    await inApply;
    owning.abort();
    await hooks!.releasing(() => true);
    // Released only once the reconcile had seen the abort and ended; nothing was stored by the lost owner.
    expect({ sawAbort, ended }).toEqual({ sawAbort: true, ended: true });
    expect(store.writes).toBe(0);
    await vi.waitFor(async () => {
      const total = await controller!.registry.getSingleMetric('gradual_reconcile_total')?.get();
      expect(total?.values.find((v) => v.labels.result === 'skipped')?.value).toBe(1);
    });
  });

  it('stop() lets the reconcile in flight finish and store its status before it resolves', async () => {
    server.seed('rollouts', 'shop', blueGreen('cart', 'cart:1'));
    let release: () => void = () => {};
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    let entered: () => void = () => {};
    const inApply = new Promise<void>((resolve) => {
      entered = resolve;
    });
    const memory = createMemoryRouter({ capabilities: { weightGranularity: 100 } });
    const slow: MemoryRouter = Object.assign(Object.create(memory) as MemoryRouter, {
      apply: async (...args: Parameters<MemoryRouter['apply']>) => {
        entered();
        await gate;
        return memory.apply(...args);
      },
    });
    const { controller } = build({ namespaces: ['shop'], router: slow });
    await controller.start();
    await inApply;
    let stopped = false;
    const stopping = controller.stop().then(() => {
      stopped = true;
    });
    await new Promise((resolve) => setImmediate(resolve));
    expect(stopped).toBe(false);
    release();
    await stopping;
    expect(statusOf(server, 'shop', 'cart')?.phase).toBe('Healthy');
  });

  it.each([
    { name: 'a dropped watch', compact: false },
    { name: 'a dropped watch whose resourceVersion was compacted away (410 Gone, re-list)', compact: true },
  ])('loses no update across $name', async ({ compact }) => {
    server.seed('rollouts', 'shop', blueGreen('cart', 'cart:1'));
    const { clock, controller } = build({ namespaces: ['shop'] });
    await controller.start();
    await vi.waitFor(() => expect(statusOf(server, 'shop', 'cart')?.phase).toBe('Healthy'), { timeout: 5000 });
    const v1 = statusOf(server, 'shop', 'cart')!.stableRevision;
    const watchesBefore = server.requests.filter((r) => r.verb === 'watch').length;
    server.dropWatches();
    // The change lands while no watch is open.
    server.edit('rollouts', 'shop', 'cart', (o) => {
      (o.spec as ReturnType<typeof blueGreen>['spec']).template.spec.containers[0]!.image = 'cart:2';
    });
    if (compact) server.compact();
    await vi.waitFor(
      async () => {
        // A watch that failed restarts after its backoff on the injected clock.
        await clock.advance(1000);
        const status = statusOf(server, 'shop', 'cart')!;
        expect(status.phase).toBe('Healthy');
        expect(status.stableRevision).not.toBe(v1);
      },
      { timeout: 5000 },
    );
    expect(server.requests.filter((r) => r.verb === 'watch').length).toBeGreaterThan(watchesBefore);
    if (compact) expect(server.requests.filter((r) => r.verb === 'list' && r.plural === 'rollouts').length).toBeGreaterThan(1);
  });
});
