import { type KubeApiServer, startKubeApiServer } from '@gradual/kube-api-test-server';
import { AppsV1Api, CoreV1Api, CustomObjectsApi, PatchStrategy, setHeaderOptions } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { failure, replicaSet } from './support/fixtures.js';

// 409 storms, 500s and lost replies on /status and patches; garbage collection of dependents; field selectors.
let server: KubeApiServer;
let apps: AppsV1Api;
let core: CoreV1Api;
let custom: CustomObjectsApi;
beforeAll(async () => {
  server = await startKubeApiServer({ bookmarkIntervalMs: 0 });
  const config = server.kubeConfig();
  apps = config.makeApiClient(AppsV1Api);
  core = config.makeApiClient(CoreV1Api);
  custom = config.makeApiClient(CustomObjectsApi);
});
afterAll(async () => {
  await server.close();
});

let counter = 0;
const unique = (prefix: string) => `${prefix}-${++counter}`;
const merge = setHeaderOptions('Content-Type', PatchStrategy.MergePatch);
const rollouts = { group: 'argoproj.io', version: 'v1alpha1', plural: 'rollouts' };

describe('faults on /status and on patches', () => {
  it('a 409 storm on /status: N conflicts (each a concurrent write), then the write goes through; main-resource writes untouched', async () => {
    const name = unique('storm');
    server.seed('replicasets', 'a', replicaSet(name));
    server.inject({ fault: { kind: 'conflict' }, subresource: 'status', name, times: 3 });
    const codes: number[] = [];
    for (;;) {
      const latest = await apps.readNamespacedReplicaSet({ name, namespace: 'a' });
      // The main resource is not in the storm's scope.
      await apps.replaceNamespacedReplicaSet({ name, namespace: 'a', body: latest });
      try {
        await apps.replaceNamespacedReplicaSetStatus({ name, namespace: 'a', body: { ...latest, status: { replicas: 3 } } });
        codes.push(200);
        break;
      } catch (error) {
        codes.push((error as { code: number }).code);
      }
    }
    expect(codes).toEqual([409, 409, 409, 200]);
    expect(server.get('replicasets', 'a', name)).toMatchObject({ status: { replicas: 3 } });
  });

  it('a conflict on a merge patch of a Rollout, and a 500 only for that plural', async () => {
    const name = unique('ro');
    server.seed('rollouts', 'a', { apiVersion: 'argoproj.io/v1alpha1', kind: 'Rollout', metadata: { name }, spec: {} });
    server.inject({
      fault: { kind: 'conflict', edit: (o) => Object.assign(o, { spec: { paused: true } }) },
      verbs: ['patch'],
      plural: 'rollouts',
    });
    const refused = await failure(
      custom.patchNamespacedCustomObjectStatus(
        { ...rollouts, namespace: 'a', name, body: { status: { phase: 'Paused' } } },
        merge,
      ),
    );
    expect(refused).toMatchObject({ code: 409, body: { reason: 'Conflict' } });
    expect(server.get('rollouts', 'a', name)).toMatchObject({ spec: { paused: true }, metadata: { generation: 2 } });

    server.inject({ fault: { kind: 'status', code: 500 }, plural: 'rollouts' });
    await apps.listNamespacedReplicaSet({ namespace: 'a' });
    const broken = await failure(custom.getNamespacedCustomObject({ ...rollouts, namespace: 'a', name }));
    expect(broken).toMatchObject({ code: 500, body: { reason: 'InternalError' } });
  });

  it('a lost reply on /status: the status is committed, the client only sees the connection drop', async () => {
    const name = unique('lost');
    server.seed('rollouts', 'a', { apiVersion: 'argoproj.io/v1alpha1', kind: 'Rollout', metadata: { name }, spec: {} });
    server.inject({ fault: { kind: 'lose-reply' }, subresource: 'status', name });
    await expect(
      custom.patchNamespacedCustomObjectStatus(
        { ...rollouts, namespace: 'a', name, body: { status: { phase: 'Healthy' } } },
        merge,
      ),
    ).rejects.toThrow();
    expect(server.get('rollouts', 'a', name)).toMatchObject({ status: { phase: 'Healthy' } });
    expect(server.requests.at(-1)).toMatchObject({ verb: 'patch', subresource: 'status', status: 200 });
  });
});

describe('garbage collection of dependents', () => {
  const owned = (name: string, owner: Record<string, unknown>, labels: Record<string, string> = {}) => {
    const metadata = owner.metadata as { name: string; uid: string };
    const manifest = replicaSet(name, labels);
    manifest.metadata!.ownerReferences = [
      {
        apiVersion: String(owner.apiVersion),
        kind: String(owner.kind),
        name: metadata.name,
        uid: metadata.uid,
        controller: true,
      },
    ];
    return manifest;
  };

  it('Background (the default): deleting a Rollout deletes its ReplicaSets and theirs, not others', async () => {
    const namespace = unique('gc');
    const rollout = server.seed('rollouts', namespace, {
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'Rollout',
      metadata: { name: 'r' },
      spec: {},
    });
    const stable = server.seed('replicasets', namespace, owned('r-stable', rollout));
    server.seed('replicasets', namespace, owned('r-canary', rollout));
    server.seed('replicasets', namespace, owned('grandchild', stable));
    server.seed('replicasets', namespace, replicaSet('unrelated'));
    await custom.deleteNamespacedCustomObject({ ...rollouts, namespace, name: 'r' });
    const left = await apps.listNamespacedReplicaSet({ namespace });
    expect(left.items.map((i) => i.metadata?.name)).toEqual(['unrelated']);
  });

  it('Orphan keeps the dependents and drops the owner reference; Foreground deletes them first', async () => {
    const namespace = unique('gc');
    const rollout = server.seed('rollouts', namespace, {
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'Rollout',
      metadata: { name: 'r' },
      spec: {},
    });
    server.seed('replicasets', namespace, owned('orphan', rollout));
    await custom.deleteNamespacedCustomObject({ ...rollouts, namespace, name: 'r', propagationPolicy: 'Orphan' });
    const orphan = await apps.readNamespacedReplicaSet({ name: 'orphan', namespace });
    expect(orphan.metadata?.ownerReferences).toBeUndefined();

    const again = server.seed('rollouts', namespace, {
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'Rollout',
      metadata: { name: 'r2' },
      spec: {},
    });
    server.seed('replicasets', namespace, owned('child', again));
    const deletedFrom = server.requests.length;
    await apps.deleteNamespacedReplicaSet({ name: 'orphan', namespace, body: { propagationPolicy: 'Foreground' } });
    await custom.deleteNamespacedCustomObject({ ...rollouts, namespace, name: 'r2', body: { propagationPolicy: 'Foreground' } });
    expect(server.requests.slice(deletedFrom).map((r) => r.status)).toEqual([200, 200]);
    expect((await apps.listNamespacedReplicaSet({ namespace })).items).toEqual([]);

    const bad = await failure(apps.deleteNamespacedReplicaSet({ name: 'x', namespace: 'nowhere' }));
    expect(bad.code).toBe(404);
  });
});

describe('field selectors', () => {
  it('Events by involvedObject; metadata.name on any kind; an unknown field is 400', async () => {
    const namespace = unique('events');
    const event = (name: string, kind: string, object: string) =>
      core.createNamespacedEvent({
        namespace,
        body: {
          metadata: { name },
          involvedObject: { apiVersion: 'argoproj.io/v1alpha1', kind, name: object, namespace },
          reason: 'RolloutStepCompleted',
          message: `step of ${object}`,
          type: 'Normal',
        },
      });
    await event('e1', 'Rollout', 'guestbook');
    await event('e2', 'Rollout', 'other');
    await event('e3', 'AnalysisRun', 'guestbook');
    const names = async (fieldSelector: string) =>
      (await core.listNamespacedEvent({ namespace, fieldSelector })).items.map((i) => i.metadata?.name).sort();
    // Source: the Event registry's selectable fields (pkg/registry/core/event/strategy.go ToSelectableFields).
    expect(await names('involvedObject.name=guestbook')).toEqual(['e1', 'e3']);
    expect(await names('involvedObject.kind=Rollout,involvedObject.name=guestbook')).toEqual(['e1']);
    expect(await names('involvedObject.kind!=Rollout')).toEqual(['e3']);
    expect(await names('metadata.name==e2')).toEqual(['e2']);
    expect(await names('type=Normal,reason=RolloutStepCompleted')).toEqual(['e1', 'e2', 'e3']);
    const read = await core.readNamespacedEvent({ name: 'e1', namespace });
    expect(read.involvedObject).toEqual({ apiVersion: 'argoproj.io/v1alpha1', kind: 'Rollout', name: 'guestbook', namespace });

    server.seed('replicasets', namespace, replicaSet('pick'));
    server.seed('replicasets', namespace, replicaSet('skip'));
    const picked = await apps.listNamespacedReplicaSet({ namespace, fieldSelector: 'metadata.name=pick' });
    expect(picked.items.map((i) => i.metadata?.name)).toEqual(['pick']);
    const unknown = await failure(apps.listNamespacedReplicaSet({ namespace, fieldSelector: 'involvedObject.name=x' }));
    expect(unknown).toMatchObject({
      code: 400,
      body: { reason: 'BadRequest', message: 'field label not supported: involvedObject.name' },
    });
  });
});
