import { type CallOptions, CancelledError, parseRollout, type RolloutSpec } from '@gradual/core';
import { createFakeClock, type FakeClock } from '@gradual/core/testing';
import { type KubeApiServer, startKubeApiServer } from '@gradual/kube-api-test-server';
import { createKubernetesWorkload, MissingReplicaSetError, resolveRevision } from '@gradual/kubernetes';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

const ns = 'shop';
// The fields of a stored ReplicaSet these tests read.
interface Stored {
  metadata: { labels: Record<string, string>; annotations?: Record<string, string>; ownerReferences?: unknown[] };
  spec: {
    replicas: number;
    selector: { matchLabels: Record<string, string> };
    template: { metadata: { labels: Record<string, string> }; spec: { containers: { image: string }[] } };
  };
}
const owner = { name: 'shop', uid: '0b8e7c1a-3f2d-4e5b-9a6c-7d8e9f0a1b2c' };
const template = (image: string) => ({
  metadata: { labels: { app: 'shop' } },
  spec: { containers: [{ name: 'shop', image }] },
});
const rollout = (extra: object = {}, strategy: object = { canary: { steps: [{ setWeight: 20 }, { pause: {} }] } }) =>
  parseRollout({
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Rollout',
    metadata: { name: 'shop', namespace: ns },
    spec: { replicas: 3, selector: { matchLabels: { app: 'shop' } }, template: template('shop:2'), strategy, ...extra },
  });

/** A ReplicaSet as Argo Rollouts leaves it for an older revision: owned by the Rollout, hash-labelled, revision-annotated. */
const argoReplicaSet = (hash: string, revision: number, replicas: number, image = `shop:${revision}`) => ({
  apiVersion: 'apps/v1',
  kind: 'ReplicaSet',
  metadata: {
    name: `shop-${hash}`,
    labels: { app: 'shop', 'rollouts-pod-template-hash': hash },
    annotations: { 'rollout.argoproj.io/revision': String(revision) },
    ownerReferences: [
      {
        apiVersion: 'argoproj.io/v1alpha1',
        kind: 'Rollout',
        name: 'shop',
        uid: owner.uid,
        controller: true,
        blockOwnerDeletion: true,
      },
    ],
  },
  spec: {
    replicas,
    selector: { matchLabels: { app: 'shop', 'rollouts-pod-template-hash': hash } },
    template: {
      metadata: { labels: { app: 'shop', 'rollouts-pod-template-hash': hash } },
      spec: {
        containers: [{ name: 'shop', image, imagePullPolicy: 'IfNotPresent', terminationMessagePath: '/dev/termination-log' }],
        restartPolicy: 'Always',
      },
    },
  },
});

let server: KubeApiServer;
let clock: FakeClock;
let call: CallOptions;
beforeEach(async () => {
  server = await startKubeApiServer();
  clock = createFakeClock({ start: Date.parse('2026-12-06T12:00:00Z') });
  call = { signal: new AbortController().signal, clock };
});
afterEach(async () => {
  await server.close();
});

const workloadFor = (spec: RolloutSpec, extra: object = {}) =>
  createKubernetesWorkload({ kubeConfig: server.kubeConfig(), namespace: ns, rollout: owner, spec, ...extra });
const labels = (object: unknown) => (object as { metadata: { labels: Record<string, string> } }).metadata.labels;
const annotations = (object: unknown) =>
  ((object as { metadata: { annotations?: Record<string, string> } }).metadata.annotations ?? {}) as Record<string, string>;
const replicasOf = (name: string) =>
  (server.get('replicasets', ns, name) as { spec: { replicas: number } } | undefined)?.spec.replicas;

describe('createKubernetesWorkload: one ReplicaSet per revision', () => {
  it('creates the canary ReplicaSet as Argo names, labels, annotates and owns it; the stable keeps its own', async () => {
    server.seed('replicasets', ns, argoReplicaSet('5f6b7c8d9', 1, 3));
    const spec = rollout();
    const workload = workloadFor(spec);
    await workload.apply(
      { stable: { revision: '5f6b7c8d9', replicas: 3 }, canary: { revision: spec.revision, replicas: 1 }, experiments: [] },
      call,
    );
    const created = server.get('replicasets', ns, `shop-${spec.revision}`) as unknown as Stored;
    expect(created).toBeDefined();
    expect(labels(created)['rollouts-pod-template-hash']).toBe(spec.revision);
    expect(created.spec.selector.matchLabels).toEqual({ app: 'shop', 'rollouts-pod-template-hash': spec.revision });
    expect(created.spec.template.metadata.labels).toEqual({ app: 'shop', 'rollouts-pod-template-hash': spec.revision });
    expect(created.spec.template.spec.containers[0]?.image).toBe('shop:2');
    expect(created.spec.replicas).toBe(1);
    expect(annotations(created)['rollout.argoproj.io/revision']).toBe('2');
    expect(created.metadata.ownerReferences).toEqual([
      {
        apiVersion: 'argoproj.io/v1alpha1',
        kind: 'Rollout',
        name: 'shop',
        uid: owner.uid,
        controller: true,
        blockOwnerDeletion: true,
      },
    ]);
    // The stable was at 3 already: not written.
    expect(server.acceptedWrites('shop-5f6b7c8d9')).toBe(0);
  });

  it('an apply that changes nothing writes nothing', async () => {
    server.seed('replicasets', ns, argoReplicaSet('5f6b7c8d9', 1, 3));
    const spec = rollout();
    const workload = workloadFor(spec);
    const desired = {
      stable: { revision: '5f6b7c8d9', replicas: 2 },
      canary: { revision: spec.revision, replicas: 1 },
      experiments: [],
    };
    await workload.apply(desired, call);
    const writes = server.acceptedWrites();
    expect(writes).toBe(2);
    await workload.apply(desired, call);
    await workloadFor(spec).apply(desired, call);
    expect(server.acceptedWrites()).toBe(writes);
    // Only PUTs change an existing ReplicaSet.
    expect(server.requests.filter((r) => r.verb === 'patch')).toEqual([]);
  });

  it('observe reports replicas and available pods from status, 0 available while the status is of an older generation', async () => {
    server.seed('replicasets', ns, argoReplicaSet('5f6b7c8d9', 1, 3));
    const spec = rollout();
    const workload = workloadFor(spec, { stableRevision: '5f6b7c8d9' });
    server.setAvailable(ns, 'shop-5f6b7c8d9', 3);
    expect(await workload.observe(call)).toEqual({
      stable: { revision: '5f6b7c8d9', replicas: 3, availableReplicas: 3 },
      experiments: [],
    });
    await workload.apply(
      { stable: { revision: '5f6b7c8d9', replicas: 3 }, canary: { revision: spec.revision, replicas: 2 }, experiments: [] },
      call,
    );
    expect((await workload.observe(call)).canary).toEqual({ revision: spec.revision, replicas: 2, availableReplicas: 0 });
    server.setAvailable(ns, `shop-${spec.revision}`, 1);
    expect((await workload.observe(call)).canary?.availableReplicas).toBe(1);
    // A new spec (generation bumped) the ReplicaSet controller has not seen yet: its old status does not count.
    await workload.apply(
      { stable: { revision: '5f6b7c8d9', replicas: 3 }, canary: { revision: spec.revision, replicas: 3 }, experiments: [] },
      call,
    );
    expect((await workload.observe(call)).canary).toEqual({ revision: spec.revision, replicas: 3, availableReplicas: 0 });
    server.setAvailable(ns, `shop-${spec.revision}`);
    expect((await workload.observe(call)).canary?.availableReplicas).toBe(3);
  });

  it('a PUT answered 409 is read again and retried with the new resourceVersion', async () => {
    server.seed('replicasets', ns, argoReplicaSet('5f6b7c8d9', 1, 3));
    const spec = rollout();
    const workload = workloadFor(spec);
    server.inject({
      fault: {
        kind: 'conflict',
        edit: (object) => Object.assign(object.metadata as object, { labels: { ...labels(object), touched: 'yes' } }),
      },
      name: 'shop-5f6b7c8d9',
      times: 2,
    });
    await workload.apply({ stable: { revision: '5f6b7c8d9', replicas: 1 }, experiments: [] }, call);
    expect(replicasOf('shop-5f6b7c8d9')).toBe(1);
    // The other writer's change survives: the retry started from what it wrote.
    expect(labels(server.get('replicasets', ns, 'shop-5f6b7c8d9'))['touched']).toBe('yes');
    const puts = server.requests.filter((r) => r.verb === 'update' && r.name === 'shop-5f6b7c8d9').map((r) => r.status);
    expect(puts).toEqual([409, 409, 200]);
  });

  it('gives up after the bounded retries with a conflict error naming the ReplicaSet', async () => {
    server.seed('replicasets', ns, argoReplicaSet('5f6b7c8d9', 1, 3));
    const workload = workloadFor(rollout(), { conflictRetries: 1 });
    server.inject({ fault: { kind: 'conflict' }, name: 'shop-5f6b7c8d9', times: 5 });
    await expect(workload.apply({ stable: { revision: '5f6b7c8d9', replicas: 1 }, experiments: [] }, call)).rejects.toMatchObject(
      {
        code: 'KUBERNETES_CONFLICT',
        message: expect.stringContaining("replicasets.apps 'shop-5f6b7c8d9' in namespace 'shop'"),
      },
    );
  });

  it('scales versions no longer wanted to 0 once the stable is known, and never before', async () => {
    const waiting = argoReplicaSet('4d5f6b7c8', 1, 2);
    Object.assign(waiting.metadata.annotations, { 'scale-down-deadline': '2026-12-06T11:00:00Z' });
    server.seed('replicasets', ns, waiting);
    server.seed('replicasets', ns, argoReplicaSet('5f6b7c8d9', 2, 3));
    const spec = rollout();
    const workload = workloadFor(spec);
    await workload.apply({ canary: { revision: spec.revision, replicas: 1 }, experiments: [] }, call);
    expect(replicasOf('shop-4d5f6b7c8')).toBe(2);
    await workload.apply(
      { stable: { revision: '5f6b7c8d9', replicas: 3 }, canary: { revision: spec.revision, replicas: 1 }, experiments: [] },
      call,
    );
    expect(replicasOf('shop-4d5f6b7c8')).toBe(0);
    expect(annotations(server.get('replicasets', ns, 'shop-4d5f6b7c8'))['scale-down-deadline']).toBeUndefined();
    expect(replicasOf('shop-5f6b7c8d9')).toBe(3);
  });

  it("marks a retiring version with Argo's scale-down-deadline, then scales it to 0", async () => {
    server.seed('replicasets', ns, argoReplicaSet('5f6b7c8d9', 1, 3));
    const spec = rollout({}, { canary: { scaleDownDelaySeconds: 45, trafficRouting: { istio: {} }, steps: [] } });
    const workload = workloadFor(spec);
    const promoted = { stable: { revision: spec.revision, replicas: 3 }, experiments: [] };
    await workload.apply({ ...promoted, retiring: [{ revision: '5f6b7c8d9', replicas: 3 }] }, call);
    expect(annotations(server.get('replicasets', ns, 'shop-5f6b7c8d9'))['scale-down-deadline']).toBe('2026-12-06T12:00:45Z');
    // Waiting changes nothing: the deadline is not moved on by later applies.
    await clock.advance(10_000);
    const writes = server.acceptedWrites('shop-5f6b7c8d9');
    await workload.apply({ ...promoted, retiring: [{ revision: '5f6b7c8d9', replicas: 3 }] }, call);
    expect(server.acceptedWrites('shop-5f6b7c8d9')).toBe(writes);
    await workload.apply({ ...promoted, retiring: [{ revision: '5f6b7c8d9', replicas: 0 }] }, call);
    const old = server.get('replicasets', ns, 'shop-5f6b7c8d9');
    expect(replicasOf('shop-5f6b7c8d9')).toBe(0);
    expect(annotations(old)['scale-down-deadline']).toBeUndefined();
  });

  it('deletes the oldest ReplicaSets at 0 beyond revisionHistoryLimit, never the stable or the canary', async () => {
    for (const [hash, revision] of [
      ['2b4c5d6f7', 1],
      ['3c4d5f6g7', 2],
      ['4d5f6b7c8', 3],
    ] as const) {
      server.seed('replicasets', ns, argoReplicaSet(hash, revision, 0));
      // Settled: the ReplicaSet controller has seen its spec (Argo keeps any whose status lags behind).
      server.setAvailable(ns, `shop-${hash}`, 0);
    }
    server.seed('replicasets', ns, argoReplicaSet('5f6b7c8d9', 4, 3));
    const spec = rollout({ revisionHistoryLimit: 1 });
    await workloadFor(spec).apply(
      { stable: { revision: '5f6b7c8d9', replicas: 3 }, canary: { revision: spec.revision, replicas: 0 }, experiments: [] },
      call,
    );
    const left = (await workloadFor(spec).replicaSets(call)).map((set) => set.metadata?.name).sort();
    // The canary at 0 replicas is not created (nothing to run); the stable and the newest old one stay.
    expect(left).toEqual(['shop-4d5f6b7c8', 'shop-5f6b7c8d9']);
  });

  it('a stable revision without a ReplicaSet is an error naming it', async () => {
    const spec = rollout();
    const error = await workloadFor(spec)
      .apply(
        { stable: { revision: '9z8y7x6w5', replicas: 3 }, canary: { revision: spec.revision, replicas: 1 }, experiments: [] },
        call,
      )
      .catch((e: unknown) => e);
    expect(MissingReplicaSetError.isInstance(error)).toBe(true);
    expect((error as Error).message).toContain('revision 9z8y7x6w5 of rollout "shop" in namespace "shop" has no ReplicaSet');
  });

  it('ignores ReplicaSets the selector picks that another owner controls', async () => {
    const foreign = argoReplicaSet('7g8h9j2k3', 1, 2);
    foreign.metadata.ownerReferences[0]!.uid = 'someone-else';
    server.seed('replicasets', ns, foreign);
    server.seed('replicasets', ns, argoReplicaSet('5f6b7c8d9', 1, 3));
    const spec = rollout();
    await workloadFor(spec).apply({ stable: { revision: '5f6b7c8d9', replicas: 3 }, experiments: [] }, call);
    expect(replicasOf('shop-7g8h9j2k3')).toBe(2);
  });

  it('adopts an orphan the selector picks (a Rollout deleted with --cascade=orphan and created again), as ClaimReplicaSets does', async () => {
    const orphan = argoReplicaSet('5f6b7c8d9', 1, 3) as { metadata: { ownerReferences?: unknown[] } };
    delete orphan.metadata.ownerReferences;
    server.seed('replicasets', ns, orphan);
    const spec = rollout();
    await workloadFor(spec).apply({ stable: { revision: '5f6b7c8d9', replicas: 3 }, experiments: [] }, call);
    const adopted = server.get('replicasets', ns, 'shop-5f6b7c8d9') as {
      metadata: { ownerReferences: { uid: string; controller: boolean }[] };
    };
    expect(adopted.metadata.ownerReferences).toEqual([expect.objectContaining({ uid: owner.uid, controller: true })]);
    expect(replicasOf('shop-5f6b7c8d9')).toBe(3);
    expect(server.requests.filter((request) => request.status === 409)).toHaveLength(0);
  });

  it('rejects at once on an aborted signal, before any request', async () => {
    const controller = new AbortController();
    controller.abort(new Error('shutting down'));
    const before = server.requests.length;
    const error = await workloadFor(rollout())
      .observe({ signal: controller.signal, clock })
      .catch((e: unknown) => e);
    expect(CancelledError.isInstance(error)).toBe(true);
    expect(server.requests.length).toBe(before);
  });
});

describe('cancellation', () => {
  it('a request hanging on the server is abandoned when the signal fires', async () => {
    server.inject({ fault: { kind: 'hang' }, plural: 'replicasets', verbs: ['list'] });
    const controller = new AbortController();
    const pending = workloadFor(rollout()).observe({ signal: controller.signal, clock });
    const outcome = pending.catch((e: unknown) => e);
    await expect.poll(() => server.requests.some((r) => r.verb === 'list'), { timeout: 2000 }).toBe(true);
    controller.abort(new Error('shutting down'));
    expect(CancelledError.isInstance(await outcome)).toBe(true);
  });
});

describe('adopting what Argo Rollouts created', () => {
  it("resolveRevision finds Argo's ReplicaSet for the same template; the Workload then writes nothing", async () => {
    const argo = argoReplicaSet('6c7d8f9b5', 1, 3, 'shop:2');
    server.seed('replicasets', ns, argo);
    server.setAvailable(ns, 'shop-6c7d8f9b5');
    const parsed = rollout();
    const replicaSets = await workloadFor(parsed).replicaSets(call);
    const revision = resolveRevision({ spec: parsed, replicaSets });
    expect(revision).toBe('6c7d8f9b5');
    const spec = { ...parsed, revision };
    const workload = workloadFor(spec, { stableRevision: revision });
    expect((await workload.observe(call)).stable).toEqual({ revision, replicas: 3, availableReplicas: 3 });
    await workload.apply({ stable: { revision, replicas: 3 }, experiments: [] }, call);
    expect(server.acceptedWrites()).toBe(0);
  });
});

describe('experiments', () => {
  const strategy = {
    canary: {
      steps: [
        { setWeight: 20 },
        {
          experiment: {
            templates: [
              { name: 'baseline', specRef: 'stable' },
              { name: 'candidate', specRef: 'canary', metadata: { labels: { role: 'candidate' } } },
            ],
          },
        },
      ],
    },
  };

  it('runs one ReplicaSet per template, named <rollout>-<hash>-<revision>-<step>-<template>, each with its own pod hash', async () => {
    server.seed('replicasets', ns, argoReplicaSet('5f6b7c8d9', 1, 3));
    const spec = rollout({}, strategy);
    const workload = workloadFor(spec);
    const base = { stable: { revision: '5f6b7c8d9', replicas: 3 }, canary: { revision: spec.revision, replicas: 1 } };
    await workload.apply(
      {
        ...base,
        experiments: [
          { name: 'baseline', revision: '5f6b7c8d9', replicas: 1 },
          { name: 'candidate', revision: spec.revision, replicas: 2 },
        ],
      },
      call,
    );
    const prefix = `shop-${spec.revision}-2-1`;
    const baseline = server.get('replicasets', ns, `${prefix}-baseline`) as unknown as Stored;
    const candidate = server.get('replicasets', ns, `${prefix}-candidate`) as unknown as Stored;
    expect(baseline.spec.template.spec.containers[0]?.image).toBe('shop:1');
    expect(candidate.spec.template.spec.containers[0]?.image).toBe('shop:2');
    expect(candidate.spec.replicas).toBe(2);
    expect(annotations(candidate)).toEqual({
      'experiment.argoproj.io/name': prefix,
      'experiment.argoproj.io/template-name': 'candidate',
    });
    const hash = labels(candidate)['rollouts-pod-template-hash'];
    expect(hash).not.toBe(spec.revision);
    expect(hash).not.toBe(labels(baseline)['rollouts-pod-template-hash']);
    expect(candidate.spec.template.metadata.labels).toEqual({
      app: 'shop',
      role: 'candidate',
      'rollouts-pod-template-hash': hash,
    });
    expect(candidate.spec.selector.matchLabels).toEqual({ app: 'shop', role: 'candidate', 'rollouts-pod-template-hash': hash });

    server.setAvailable(ns, `${prefix}-candidate`, 2);
    const seen = await workload.observe(call);
    expect(seen.experiments.map((e) => [e.name, e.replicas, e.availableReplicas]).sort()).toEqual([
      ['baseline', 1, 0],
      ['candidate', 2, 2],
    ]);

    // The experiment over: its ReplicaSets go to 0, then away.
    await workload.apply({ ...base, experiments: [] }, call);
    expect(replicasOf(`${prefix}-candidate`)).toBe(0);
    server.setAvailable(ns, `${prefix}-candidate`, 0);
    server.setAvailable(ns, `${prefix}-baseline`, 0);
    await workload.apply({ ...base, experiments: [] }, call);
    expect(server.get('replicasets', ns, `${prefix}-candidate`)).toBeUndefined();
  });
});
