import { CancelledError, TrafficRouterError, type TrafficState } from '@gradual/core';
import { describeTrafficRouterConformance } from '@gradual/core/conformance';
import { createFakeClock } from '@gradual/core/testing';
import { type KubeApiServer, startKubeApiServer } from '@gradual/kube-api-test-server';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createServiceSelectorRouter, managedByAnnotation, type ServiceSelectorServices } from '../src/index.js';
import { annotationOf, seedReplicaSet, seedService, selectedRevision, uniqueName } from './support/service-selector-fixture.js';

const namespace = 'default';
let server: KubeApiServer;
beforeAll(async () => {
  server = await startKubeApiServer({ autoAvailable: true });
});
afterAll(async () => {
  await server.close();
});

const call = () => ({ signal: new AbortController().signal, clock: createFakeClock({ auto: true }) });
const state = (canaryWeight: number, stableRevision: string, canaryRevision: string): TrafficState => ({
  canaryWeight,
  stableRevision,
  canaryRevision,
  headerRoutes: [],
  mirrorRoutes: [],
  experiments: [],
});

/** A rollout with its Services seeded and, unless told otherwise, both conformance revisions fully available. */
function fixture(kind: 'blueGreen' | 'canary', revisions: string[] = ['rev-stable', 'rev-canary']) {
  const rollout = uniqueName(kind === 'blueGreen' ? 'bg' : 'canary');
  const services: ServiceSelectorServices =
    kind === 'blueGreen'
      ? { activeService: `${rollout}-active`, previewService: `${rollout}-preview` }
      : { canaryService: `${rollout}-canary`, stableService: `${rollout}-stable` };
  for (const name of Object.values(services)) seedService(server, namespace, name);
  for (const revision of revisions) seedReplicaSet(server, { namespace, rollout, revision, replicas: 3 });
  const router = createServiceSelectorRouter({ kubeConfig: server.kubeConfig(), namespace, rolloutName: rollout, services });
  return { rollout, services, router };
}

describeTrafficRouterConformance({
  name: 'service-selector, blue/green (over the Kubernetes API test server)',
  create: async () => ({ router: fixture('blueGreen').router }),
});

describeTrafficRouterConformance({
  name: 'service-selector, canary without a mesh (over the Kubernetes API test server)',
  create: async () => ({ router: fixture('canary').router }),
});

describe('blue/green Services', () => {
  it('preview follows the new revision, active stays on stable until the cut-over; managed-by is written', async () => {
    const { rollout, services, router } = fixture('blueGreen', ['v1', 'v2']);
    const { activeService, previewService } = services as { activeService: string; previewService: string };
    expect((await router.apply(state(0, 'v1', 'v2'), call())).changed).toBe(true);
    expect(selectedRevision(server, namespace, previewService)).toBe('v2');
    expect(selectedRevision(server, namespace, activeService)).toBe('v1');
    expect(annotationOf(server, namespace, activeService, managedByAnnotation)).toBe(rollout);
    // The rest of the selector and the Service's other fields are kept.
    expect(server.get('services', namespace, activeService)).toMatchObject({
      metadata: { labels: { team: 'web' } },
      spec: { selector: { app: 'web' }, ports: [{ port: 8080 }] },
    });
    const result = await router.apply(state(0, 'v2', 'v2'), call());
    expect(result.notes).toEqual([`Switched selector for service '${activeService}' from 'v1' to 'v2'`]);
    expect(selectedRevision(server, namespace, activeService)).toBe('v2');
  });

  it('never moves the active Service to a ReplicaSet that is not fully available: a retryable error with its counts', async () => {
    const { rollout, services, router } = fixture('blueGreen', ['v1']);
    const { activeService, previewService } = services as { activeService: string; previewService: string };
    await router.apply(state(0, 'v1', 'v1'), call());
    const replicaSet = seedReplicaSet(server, { namespace, rollout, revision: 'v2', replicas: 3, available: 2 });
    const writes = server.acceptedWrites(activeService) + server.acceptedWrites(previewService);
    const error = await router.apply(state(0, 'v2', 'v2'), call()).catch((e: unknown) => e);
    expect(TrafficRouterError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({ retryable: true, code: 'REPLICASET_NOT_AVAILABLE' });
    expect((error as Error).message).toContain(`ReplicaSet '${replicaSet}' has 2/3 pods available`);
    // Checked before any write: the preview did not move either.
    expect(server.acceptedWrites(activeService) + server.acceptedWrites(previewService)).toBe(writes);
    expect(selectedRevision(server, namespace, activeService)).toBe('v1');
    server.setAvailable(namespace, replicaSet, 3);
    expect((await router.apply(state(0, 'v2', 'v2'), call())).changed).toBe(true);
    expect(selectedRevision(server, namespace, activeService)).toBe('v2');
  });

  it('says so when the revision has no ReplicaSet of this rollout at all', async () => {
    const { router } = fixture('blueGreen', ['v1']);
    // Another rollout's ReplicaSet with the same hash does not count.
    seedReplicaSet(server, { namespace, rollout: uniqueName('other'), revision: 'v7', replicas: 1 });
    await expect(router.apply(state(0, 'v7', 'v7'), call())).rejects.toThrow(
      /no ReplicaSet of rollout '.*' with rollouts-pod-template-hash=v7/,
    );
  });
});

describe('canary Services without a mesh', () => {
  it('adopts an unmanaged Service only onto a fully available ReplicaSet, then needs one available pod (ensureSVCTargets)', async () => {
    const { rollout, services, router } = fixture('canary', ['v1']);
    const { canaryService } = services as { canaryService: string };
    const canaryRs = seedReplicaSet(server, { namespace, rollout, revision: 'v2', replicas: 3, available: 1 });
    const adopting = await router.apply(state(20, 'v1', 'v2'), call()).catch((e: unknown) => e);
    expect((adopting as Error).message).toMatch(
      /1\/3 pods available; it needs every pod available before an unmanaged Service is adopted/,
    );
    expect(selectedRevision(server, namespace, canaryService)).toBeUndefined();
    // Once the rollout manages the Service (both on stable), one available pod is enough to move it.
    await router.apply(state(0, 'v1', 'v1'), call());
    expect(annotationOf(server, namespace, canaryService, managedByAnnotation)).toBe(rollout);
    expect((await router.apply(state(20, 'v1', 'v2'), call())).changed).toBe(true);
    expect(selectedRevision(server, namespace, canaryService)).toBe('v2');
    // No pod available: the selector stays.
    server.setAvailable(namespace, canaryRs, 0);
    await router.apply(state(0, 'v1', 'v1'), call());
    await expect(router.apply(state(20, 'v1', 'v2'), call())).rejects.toMatchObject({ retryable: true });
    expect(selectedRevision(server, namespace, canaryService)).toBe('v1');
  });

  it('accepts any weight (the replica split carries it) and reads it back; a hand-moved selector reads as drift', async () => {
    const { services, router } = fixture('canary', ['v1', 'v2']);
    const { canaryService } = services as { canaryService: string };
    expect(router.capabilities).toEqual({ headerRoutes: false, mirrorRoutes: false, experiments: false, weightGranularity: 1 });
    await router.apply(state(33, 'v1', 'v2'), call());
    expect(await router.observe?.(call())).toMatchObject({ canaryWeight: 33, stableRevision: 'v1', canaryRevision: 'v2' });
    server.edit('services', namespace, canaryService, (service) => {
      (service.spec as { selector: Record<string, string> }).selector['rollouts-pod-template-hash'] = 'v1';
    });
    expect((await router.observe?.(call()))?.canaryWeight).toBe(0);
    // apply puts it back.
    expect((await router.apply(state(33, 'v1', 'v2'), call())).changed).toBe(true);
    expect(selectedRevision(server, namespace, canaryService)).toBe('v2');
  });

  it('refuses header routes and mirror routes (non-retryable): they need a mesh', async () => {
    const { router } = fixture('canary', ['v1', 'v2']);
    const withHeader = { ...state(0, 'v1', 'v2'), headerRoutes: [{ name: 'h', match: [] }] };
    await expect(router.apply(withHeader, call())).rejects.toMatchObject({ retryable: false, code: 'UNSUPPORTED_ROUTES' });
  });
});

describe('writes', () => {
  it('refuses, without writing, a Service another rollout manages', async () => {
    const rollout = uniqueName('mine');
    const services = { activeService: `${rollout}-active` };
    seedService(server, namespace, services.activeService, { annotations: { [managedByAnnotation]: 'someone-else' } });
    seedReplicaSet(server, { namespace, rollout, revision: 'v1', replicas: 1 });
    const router = createServiceSelectorRouter({ kubeConfig: server.kubeConfig(), namespace, rolloutName: rollout, services });
    const error = await router.apply(state(0, 'v1', 'v1'), call()).catch((e: unknown) => e);
    expect(error).toMatchObject({ retryable: false, code: 'SERVICE_MANAGED_BY_ANOTHER_ROLLOUT' });
    expect((error as Error).message).toContain(`is managed by rollout 'someone-else'`);
    expect(server.acceptedWrites(services.activeService)).toBe(0);
  });

  it('is idempotent: the same state again reads, and writes nothing', async () => {
    const { services, router } = fixture('canary', ['v1', 'v2']);
    await router.apply(state(20, 'v1', 'v2'), call());
    const before = Object.values(services).map((name) => server.acceptedWrites(name));
    expect((await router.apply(state(20, 'v1', 'v2'), call())).changed).toBe(false);
    expect(Object.values(services).map((name) => server.acceptedWrites(name))).toEqual(before);
  });

  it('writes with the resourceVersion it read; a 409 is read again and retried, keeping the other writer’s change', async () => {
    const { services, router } = fixture('blueGreen', ['v1', 'v2']);
    const { activeService } = services as { activeService: string };
    server.inject({
      fault: {
        kind: 'conflict',
        edit: (object) => {
          (object.metadata as { labels: Record<string, string> }).labels.owner = 'someone-else';
        },
      },
      verbs: ['update'],
      name: activeService,
    });
    expect((await router.apply(state(0, 'v1', 'v2'), call())).changed).toBe(true);
    expect(server.get('services', namespace, activeService)).toMatchObject({ metadata: { labels: { owner: 'someone-else' } } });
    expect(selectedRevision(server, namespace, activeService)).toBe('v1');
    const puts = server.requests.filter((r) => r.name === activeService && r.verb === 'update');
    expect(puts.map((r) => r.status)).toEqual([409, 200]);
  });

  it('gives up after maxConflictRetries with a retryable conflict', async () => {
    const rollout = uniqueName('storm');
    const services = { activeService: `${rollout}-active` };
    seedService(server, namespace, services.activeService);
    seedReplicaSet(server, { namespace, rollout, revision: 'v1', replicas: 1 });
    const router = createServiceSelectorRouter({
      kubeConfig: server.kubeConfig(),
      namespace,
      rolloutName: rollout,
      services,
      maxConflictRetries: 2,
    });
    server.inject({ fault: { kind: 'conflict' }, verbs: ['update'], name: services.activeService, times: 10 });
    await expect(router.apply(state(0, 'v1', 'v1'), call())).rejects.toMatchObject({
      retryable: true,
      code: 'KUBERNETES_CONFLICT',
    });
    expect(server.requests.filter((r) => r.name === services.activeService && r.verb === 'update')).toHaveLength(3);
  });

  it('passes the signal on: a request in flight is aborted, nothing is written, and it rejects as a cancellation', async () => {
    const { services, router } = fixture('blueGreen', ['v1']);
    const { activeService } = services as { activeService: string };
    server.inject({ fault: { kind: 'hang' }, verbs: ['get'], name: activeService });
    const controller = new AbortController();
    const pending = router.apply(state(0, 'v1', 'v1'), { ...call(), signal: controller.signal }).catch((e: unknown) => e);
    // The hung GET is on the server (logged with status -2 while it hangs) before the caller gives up.
    await vi.waitFor(() => expect(server.requests.some((r) => r.name === activeService && r.status === -2)).toBe(true), {
      timeout: 5000,
    });
    const abandoned = server.abandoned;
    controller.abort(new Error('shutting down'));
    expect(CancelledError.isCancellation(await pending)).toBe(true);
    await vi.waitFor(() => expect(server.abandoned).toBeGreaterThan(abandoned), { timeout: 5000 });
    expect(server.acceptedWrites(activeService)).toBe(0);
  });

  it('names the missing Service and the field that names it', async () => {
    const router = createServiceSelectorRouter({
      kubeConfig: server.kubeConfig(),
      namespace,
      rolloutName: 'nobody',
      services: { activeService: 'nope' },
    });
    await expect(router.apply(state(0, 'a', 'a'), call())).rejects.toThrow(
      /Service 'nope' in namespace 'default' \(spec.strategy.blueGreen.activeService\) not found/,
    );
  });
});
