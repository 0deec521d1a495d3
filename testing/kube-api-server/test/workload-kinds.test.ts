import { type KubeApiServer, startKubeApiServer } from '@gradual/kube-api-test-server';
import {
  AppsV1Api,
  BatchV1Api,
  CoordinationV1Api,
  CoreV1Api,
  CustomObjectsApi,
  PatchStrategy,
  setHeaderOptions,
  type V1ReplicaSet,
  Watch,
} from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { failure, replicaSet, waitFor } from './support/fixtures.js';

// The stage-1 kinds, status subresources, label selectors and all-namespace reads, driven by the real client.
let server: KubeApiServer;
let apps: AppsV1Api;
let core: CoreV1Api;
let batch: BatchV1Api;
let coordination: CoordinationV1Api;
let custom: CustomObjectsApi;
beforeAll(async () => {
  server = await startKubeApiServer();
  const config = server.kubeConfig();
  apps = config.makeApiClient(AppsV1Api);
  core = config.makeApiClient(CoreV1Api);
  batch = config.makeApiClient(BatchV1Api);
  coordination = config.makeApiClient(CoordinationV1Api);
  custom = config.makeApiClient(CustomObjectsApi);
});
afterAll(async () => {
  await server.close();
});

let counter = 0;
const unique = (prefix: string) => `${prefix}-${++counter}`;

const merge = setHeaderOptions('Content-Type', PatchStrategy.MergePatch);

describe('the stage-1 kinds, through @kubernetes/client-node', () => {
  // Source of each row: the kind's group/version and plural as kube-apiserver / Argo's CRDs serve them.
  const rows: { plural: string; kind: string; create: (name: string) => Promise<{ kind?: string; apiVersion?: string }> }[] = [
    {
      plural: 'replicasets',
      kind: 'ReplicaSet',
      create: (name) => apps.createNamespacedReplicaSet({ namespace: 'a', body: replicaSet(name) }),
    },
    {
      plural: 'deployments',
      kind: 'Deployment',
      create: (name) =>
        apps.createNamespacedDeployment({
          namespace: 'a',
          body: { metadata: { name }, spec: { selector: { matchLabels: { app: name } }, template: {} } },
        }),
    },
    {
      plural: 'services',
      kind: 'Service',
      create: (name) =>
        core.createNamespacedService({ namespace: 'a', body: { metadata: { name }, spec: { selector: { app: name } } } }),
    },
    {
      plural: 'events',
      kind: 'Event',
      create: (name) =>
        core.createNamespacedEvent({
          namespace: 'a',
          body: { metadata: { name }, involvedObject: { kind: 'Rollout', name: 'r' }, reason: 'RolloutUpdated', message: 'm' },
        }),
    },
    {
      plural: 'configmaps',
      kind: 'ConfigMap',
      create: (name) => core.createNamespacedConfigMap({ namespace: 'a', body: { metadata: { name }, data: { k: 'v' } } }),
    },
    {
      plural: 'jobs',
      kind: 'Job',
      create: (name) =>
        batch.createNamespacedJob({
          namespace: 'a',
          body: { metadata: { name }, spec: { template: { spec: { containers: [] } } } },
        }),
    },
    {
      plural: 'leases',
      kind: 'Lease',
      create: (name) =>
        coordination.createNamespacedLease({
          namespace: 'a',
          body: { metadata: { name }, spec: { holderIdentity: 'replica-1', leaseDurationSeconds: 15 } },
        }),
    },
    ...(['rollouts', 'analysistemplates', 'analysisruns'] as const).map((plural) => ({
      plural,
      kind: { rollouts: 'Rollout', analysistemplates: 'AnalysisTemplate', analysisruns: 'AnalysisRun' }[plural],
      create: (name: string) =>
        custom.createNamespacedCustomObject({
          group: 'argoproj.io',
          version: 'v1alpha1',
          namespace: 'a',
          plural,
          body: {
            apiVersion: 'argoproj.io/v1alpha1',
            kind: { rollouts: 'Rollout', analysistemplates: 'AnalysisTemplate', analysisruns: 'AnalysisRun' }[plural],
            metadata: { name },
            spec: {},
          },
        }) as Promise<{ kind?: string; apiVersion?: string }>,
    })),
  ];
  it.each(rows)('$plural: create, then stored and listed with kind $kind', async ({ plural, kind, create }) => {
    const name = unique(plural);
    const created = await create(name);
    expect(created.kind).toBe(kind);
    expect(server.get(plural, 'a', name)).toMatchObject({ kind, metadata: { name, namespace: 'a', generation: 1 } });
  });

  it('a Lease keeps its spec as sent (MicroTime strings untouched)', async () => {
    const name = unique('lease');
    const renewTime = '2026-12-06T20:00:00.123456Z';
    server.seed('leases', 'a', { apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', metadata: { name }, spec: { renewTime } });
    const read = await coordination.readNamespacedLease({ name, namespace: 'a' });
    expect(read.spec?.holderIdentity).toBeUndefined();
    expect(server.get('leases', 'a', name)).toMatchObject({ spec: { renewTime } });
  });

  it('an unknown subresource or a write across all namespaces is refused', async () => {
    const name = unique('rs');
    server.seed('replicasets', 'a', replicaSet(name));
    expect((await failure(apps.readNamespacedReplicaSetScale({ name, namespace: 'a' }))).code).toBe(404);
    // AnalysisTemplates have no status subresource in Argo's CRDs.
    const template = unique('at');
    server.seed('analysistemplates', 'a', {
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'AnalysisTemplate',
      metadata: { name: template },
      spec: {},
    });
    const status = await failure(
      custom.getNamespacedCustomObjectStatus({
        group: 'argoproj.io',
        version: 'v1alpha1',
        namespace: 'a',
        plural: 'analysistemplates',
        name: template,
      }),
    );
    expect(status.code).toBe(404);
  });
});

describe('status subresource (kube-apiserver semantics)', () => {
  it('ReplicaSet: create resets status; main writes keep it; /status writes change only it, without a generation bump', async () => {
    const name = unique('rs');
    const created = await apps.createNamespacedReplicaSet({
      namespace: 'a',
      body: { ...replicaSet(name), status: { replicas: 9, availableReplicas: 9 } },
    });
    expect(created.status).toEqual({});
    const generation = created.metadata?.generation;

    const statusWritten = await apps.replaceNamespacedReplicaSetStatus({
      name,
      namespace: 'a',
      body: {
        ...created,
        spec: { ...created.spec!, replicas: 7 },
        metadata: { ...created.metadata, labels: { sneaky: 'yes' } },
        status: { replicas: 3, availableReplicas: 2 },
      },
    });
    expect(statusWritten.status).toEqual({ replicas: 3, availableReplicas: 2 });
    expect(statusWritten.spec?.replicas).toBe(3);
    expect(statusWritten.metadata?.labels).toEqual({});
    expect(statusWritten.metadata?.generation).toBe(generation);
    expect(Number(statusWritten.metadata?.resourceVersion)).toBeGreaterThan(Number(created.metadata?.resourceVersion));

    const mainWritten = await apps.replaceNamespacedReplicaSet({
      name,
      namespace: 'a',
      body: { ...statusWritten, spec: { ...statusWritten.spec!, replicas: 5 }, status: { replicas: 0 } },
    });
    expect(mainWritten.status).toEqual({ replicas: 3, availableReplicas: 2 });
    expect(mainWritten.spec?.replicas).toBe(5);
    expect(mainWritten.metadata?.generation).toBe(Number(generation) + 1);

    // A stale resourceVersion on /status is a 409 as on the main resource.
    const stale = await failure(apps.replaceNamespacedReplicaSetStatus({ name, namespace: 'a', body: statusWritten }));
    expect(stale.code).toBe(409);
    expect(stale.body).toMatchObject({ reason: 'Conflict' });
    expect(server.requests.at(-1)).toMatchObject({ verb: 'update', subresource: 'status', status: 409 });
  });

  it('Rollout (CRD): merge patch of /status changes status only; a main-resource patch of status is ignored; generation follows spec', async () => {
    const name = unique('ro');
    const where = { group: 'argoproj.io', version: 'v1alpha1', namespace: 'a', plural: 'rollouts', name };
    const created = (await custom.createNamespacedCustomObject({
      ...where,
      body: {
        apiVersion: 'argoproj.io/v1alpha1',
        kind: 'Rollout',
        metadata: { name },
        spec: { replicas: 2 },
        status: { phase: 'Healthy' },
      },
    })) as { status?: unknown; metadata: { generation: number; resourceVersion: string } };
    expect(created.status).toBeUndefined();

    const patched = (await custom.patchNamespacedCustomObjectStatus(
      { ...where, body: { spec: { replicas: 9 }, status: { phase: 'Progressing', observedGeneration: '1' } } },
      merge,
    )) as { spec: { replicas: number }; status: unknown; metadata: { generation: number; resourceVersion: string } };
    expect(patched.status).toEqual({ phase: 'Progressing', observedGeneration: '1' });
    expect(patched.spec.replicas).toBe(2);
    expect(patched.metadata.generation).toBe(1);
    expect(patched.metadata.resourceVersion).not.toBe(created.metadata.resourceVersion);

    const main = (await custom.patchNamespacedCustomObject(
      { ...where, body: { spec: { replicas: 4 }, status: { phase: 'Degraded' } } },
      merge,
    )) as {
      status: unknown;
      metadata: { generation: number };
    };
    expect(main.status).toEqual({ phase: 'Progressing', observedGeneration: '1' });
    expect(main.metadata.generation).toBe(2);

    // A /status write that changes nothing is a no-op: same resourceVersion.
    const before = server.get('rollouts', 'a', name)!;
    const again = (await custom.patchNamespacedCustomObjectStatus(
      { ...where, body: { status: { phase: 'Progressing' } } },
      merge,
    )) as {
      metadata: { resourceVersion: string };
    };
    expect(again.metadata.resourceVersion).toBe((before.metadata as { resourceVersion: string }).resourceVersion);
  });

  it('Job and Deployment: /status replace through the typed clients', async () => {
    const job = unique('job');
    const created = await batch.createNamespacedJob({
      namespace: 'a',
      body: { metadata: { name: job }, spec: { template: {} } },
    });
    const done = await batch.replaceNamespacedJobStatus({
      name: job,
      namespace: 'a',
      body: { ...created, status: { succeeded: 1, conditions: [{ type: 'Complete', status: 'True' }] } },
    });
    expect(done.status?.conditions?.[0]?.type).toBe('Complete');
    expect(done.metadata?.generation).toBe(1);

    const deployment = unique('dep');
    const d = await apps.createNamespacedDeployment({
      namespace: 'a',
      body: { metadata: { name: deployment }, spec: { selector: {}, template: {} } },
    });
    const ds = await apps.replaceNamespacedDeploymentStatus({
      name: deployment,
      namespace: 'a',
      body: { ...d, status: { readyReplicas: 1 } },
    });
    expect(ds.status).toEqual({ readyReplicas: 1 });
  });
});

describe('labelSelector on list and watch', () => {
  const namespace = 'selectors';
  beforeAll(() => {
    server.seed('replicasets', namespace, replicaSet('s-blue', { app: 'web', role: 'blue', 'rollouts-pod-template-hash': 'h1' }));
    server.seed(
      'replicasets',
      namespace,
      replicaSet('s-green', { app: 'web', role: 'green', 'rollouts-pod-template-hash': 'h2' }),
    );
    server.seed('replicasets', namespace, replicaSet('s-other', { app: 'db' }));
    server.seed('replicasets', namespace, replicaSet('s-bare'));
  });
  // Source: the label selector grammar of k8s.io/apimachinery/pkg/labels (selector.go) and
  // https://kubernetes.io/docs/concepts/overview/working-with-objects/labels/#label-selectors
  it.each([
    { selector: '', names: ['s-bare', 's-blue', 's-green', 's-other'] },
    { selector: 'app=web', names: ['s-blue', 's-green'] },
    { selector: 'app==web', names: ['s-blue', 's-green'] },
    { selector: 'app!=web', names: ['s-bare', 's-other'] },
    { selector: 'app=web,role=green', names: ['s-green'] },
    { selector: 'role in (blue, green)', names: ['s-blue', 's-green'] },
    { selector: 'role notin (blue)', names: ['s-bare', 's-green', 's-other'] },
    { selector: 'role', names: ['s-blue', 's-green'] },
    { selector: '!role', names: ['s-bare', 's-other'] },
    { selector: 'app in (web,db),!role', names: ['s-other'] },
    { selector: 'rollouts-pod-template-hash=h1', names: ['s-blue'] },
    { selector: 'app=', names: [] },
  ])('list with "$selector" → $names', async ({ selector, names }) => {
    const list = await apps.listNamespacedReplicaSet({ namespace, labelSelector: selector });
    expect(list.items.map((item) => item.metadata?.name).sort()).toEqual(names);
  });

  it.each([
    'app=web=x',
    'role in blue',
    'role in (blue',
    '=web',
    'app=web,',
    'app ~ web',
    'Bad Key=x',
    'app=-x',
  ])('a malformed selector "%s" is 400 BadRequest, as kube-apiserver answers', async (selector) => {
    const refused = await failure(apps.listNamespacedReplicaSet({ namespace, labelSelector: selector }));
    expect(refused.code).toBe(400);
    expect(refused.body).toMatchObject({ kind: 'Status', status: 'Failure', reason: 'BadRequest', code: 400 });
    expect(String(refused.body.message)).toMatch(/^(unable to parse requirement: .+|found '.*', expected: .+)$/);
  });

  // Source: k8s.io/apimachinery/pkg/labels/selector.go (Parser.parse), whose wording kube-apiserver returns.
  it.each([
    { selector: 'app=web,', message: "found '', expected: identifier after ','" },
    { selector: 'app=web app', message: "found 'app', expected: ',' or 'end of string'" },
    { selector: ',app', message: "found ',', expected: !, identifier, or 'end of string'" },
    { selector: 'app=web=x', message: "found '=', expected: ',' or 'end of string'" },
  ])('"$selector" is refused with "$message"', async ({ selector, message }) => {
    const refused = await failure(apps.listNamespacedReplicaSet({ namespace, labelSelector: selector }));
    expect(refused.body.message).toBe(message);
  });

  it('watch with a selector sees objects enter (ADDED) and leave (DELETED) the selection', async () => {
    const seen: { type: string; name: string; role?: string }[] = [];
    const list = await apps.listNamespacedReplicaSet({ namespace, labelSelector: 'role=blue' });
    const watch = await new Watch(server.kubeConfig()).watch(
      `/apis/apps/v1/namespaces/${namespace}/replicasets`,
      { labelSelector: 'role=blue', resourceVersion: list.metadata?.resourceVersion },
      (type, object: V1ReplicaSet) => seen.push({ type, name: object.metadata!.name!, role: object.metadata?.labels?.role }),
      () => {},
    );
    try {
      server.edit('replicasets', namespace, 's-green', (o) => {
        (o.metadata as { labels: Record<string, string> }).labels.role = 'blue';
      });
      server.edit('replicasets', namespace, 's-blue', (o) => {
        (o.metadata as { labels: Record<string, string> }).labels.role = 'green';
      });
      server.edit('replicasets', namespace, 's-other', (o) => {
        o.spec = { ...(o.spec as object), replicas: 1 };
      });
      server.edit('replicasets', namespace, 's-green', (o) => {
        o.spec = { ...(o.spec as object), replicas: 1 };
      });
      await waitFor(() => seen.length >= 3);
      expect(seen).toEqual([
        { type: 'ADDED', name: 's-green', role: 'blue' },
        { type: 'DELETED', name: 's-blue', role: 'blue' },
        { type: 'MODIFIED', name: 's-green', role: 'blue' },
      ]);
    } finally {
      watch.abort();
      // Back as the table above expects.
      server.edit('replicasets', namespace, 's-green', (o) => {
        (o.metadata as { labels: Record<string, string> }).labels.role = 'green';
      });
      server.edit('replicasets', namespace, 's-blue', (o) => {
        (o.metadata as { labels: Record<string, string> }).labels.role = 'blue';
      });
    }
  });
});

describe('across all namespaces', () => {
  it('list and watch every namespace; writes there are 405', async () => {
    const label = unique('everywhere');
    for (const namespace of ['n1', 'n2'])
      server.seed('replicasets', namespace, replicaSet(`${label}-${namespace}`, { mark: label }));
    const list = await apps.listReplicaSetForAllNamespaces({ labelSelector: `mark=${label}` });
    expect(list.items.map((item) => `${item.metadata?.namespace}/${item.metadata?.name}`).sort()).toEqual([
      `n1/${label}-n1`,
      `n2/${label}-n2`,
    ]);
    const seen: string[] = [];
    const watch = await new Watch(server.kubeConfig()).watch(
      '/apis/apps/v1/replicasets',
      { labelSelector: `mark=${label}`, resourceVersion: list.metadata?.resourceVersion },
      (type, object: V1ReplicaSet) => seen.push(`${type} ${object.metadata?.namespace}/${object.metadata?.name}`),
      () => {},
    );
    try {
      server.seed('replicasets', 'n3', replicaSet(`${label}-n3`, { mark: label }));
      server.seed('replicasets', 'n3', replicaSet(`${label}-unmarked`));
      await apps.deleteNamespacedReplicaSet({ name: `${label}-n1`, namespace: 'n1' });
      await waitFor(() => seen.length >= 2);
      expect(seen).toEqual([`ADDED n3/${label}-n3`, `DELETED n1/${label}-n1`]);
    } finally {
      watch.abort();
    }
    const events = await core.listEventForAllNamespaces();
    expect(events.kind).toBe('EventList');
    const refused = await fetchAs('POST', '/apis/apps/v1/replicasets');
    expect(refused).toBe(405);
  });
});

/** A raw request with the server's CA and token, for paths no typed client method reaches. */
async function fetchAs(method: string, path: string): Promise<number> {
  const config = server.kubeConfig();
  const { request } = await import('node:https');
  const options: Record<string, unknown> = {};
  await config.applyToHTTPSOptions(options);
  return await new Promise<number>((resolve, reject) => {
    const req = request(`${server.url}${path}`, { ...options, method }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', reject);
    req.end('{}');
  });
}

describe('ReplicaSet availability (no kubelet: tests decide)', () => {
  it('setAvailable sets the status fields a ReplicaSet controller would', async () => {
    const name = unique('avail');
    server.seed('replicasets', 'a', replicaSet(name, {}, 4));
    const partly = server.setAvailable('a', name, 1);
    expect(partly.status).toEqual({
      replicas: 4,
      fullyLabeledReplicas: 4,
      readyReplicas: 1,
      availableReplicas: 1,
      observedGeneration: 1,
    });
    server.setAvailable('a', name);
    const read = await apps.readNamespacedReplicaSet({ name, namespace: 'a' });
    expect(read.status).toEqual({
      replicas: 4,
      fullyLabeledReplicas: 4,
      readyReplicas: 4,
      availableReplicas: 4,
      observedGeneration: 1,
    });
    expect(() => server.setAvailable('a', 'missing')).toThrow(/no replicasets a\/missing/);
  });

  it('autoAvailable: every spec write of a ReplicaSet is followed by a full-availability status at its generation', async () => {
    const auto = await startKubeApiServer({ autoAvailable: true });
    try {
      const api = auto.kubeConfig().makeApiClient(AppsV1Api);
      const created = await api.createNamespacedReplicaSet({ namespace: 'a', body: replicaSet('auto', {}, 2) });
      expect(created.status).toEqual({});
      expect((await api.readNamespacedReplicaSet({ name: 'auto', namespace: 'a' })).status).toMatchObject({
        replicas: 2,
        availableReplicas: 2,
        observedGeneration: 1,
      });
      await api.patchNamespacedReplicaSet({ name: 'auto', namespace: 'a', body: { spec: { replicas: 5 } } }, merge);
      expect(auto.get('replicasets', 'a', 'auto')).toMatchObject({
        metadata: { generation: 2 },
        status: { replicas: 5, readyReplicas: 5, availableReplicas: 5, fullyLabeledReplicas: 5, observedGeneration: 2 },
      });
      // A label-only change is not a spec write: status stays.
      const rv = (auto.get('replicasets', 'a', 'auto')!.metadata as { resourceVersion: string }).resourceVersion;
      await api.patchNamespacedReplicaSet({ name: 'auto', namespace: 'a', body: { metadata: { labels: { x: 'y' } } } }, merge);
      expect(Number((auto.get('replicasets', 'a', 'auto')!.metadata as { resourceVersion: string }).resourceVersion)).toBe(
        Number(rv) + 1,
      );
      auto.seed('replicasets', 'b', replicaSet('seeded', {}, 3));
      expect(auto.get('replicasets', 'b', 'seeded')).toMatchObject({ status: { availableReplicas: 3 } });
    } finally {
      await auto.close();
    }
  });
});
