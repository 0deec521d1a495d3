import { performance } from 'node:perf_hooks';
import { type KubeApiServer, startKubeApiServer } from '@gradual/kube-api-test-server';
import { ApiException, CustomObjectsApi, PatchStrategy, setHeaderOptions, Watch } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hostLevelVirtualService, uniqueName } from './support/router-fixture.js';
import { waitFor } from './support/wait-for.js';

// The test server must behave like kube-apiserver on every path the router uses; these tests drive it with the real client.
let server: KubeApiServer;
let api: CustomObjectsApi;
beforeAll(async () => {
  server = await startKubeApiServer();
  api = server.kubeConfig().makeApiClient(CustomObjectsApi);
});
afterAll(async () => {
  await server.close();
});

const target = (name: string, version = 'v1beta1') => ({
  group: 'networking.istio.io',
  version,
  namespace: 'default',
  plural: 'virtualservices',
  name,
});

const statusOf = async (promise: Promise<unknown>) => {
  try {
    await promise;
  } catch (error) {
    if (error instanceof ApiException) {
      // client-node drops the body of a 401 (its generated code throws "Unauthorized" without it).
      const body = typeof error.body === 'string' ? (JSON.parse(error.body) as Record<string, unknown>) : {};
      return { code: error.code, body };
    }
    throw error;
  }
  throw new Error('expected an ApiException');
};

describe('Kubernetes API test server, through @kubernetes/client-node over HTTPS', () => {
  it('create, get, list; 409 AlreadyExists; 404 with a Status body; every served version', async () => {
    const name = uniqueName('crud');
    const { name: _ignored, ...where } = target(name);
    const created = await api.createNamespacedCustomObject({ ...where, body: hostLevelVirtualService(name) });
    expect(created.metadata).toMatchObject({ name, namespace: 'default', generation: 1 });
    expect(created.metadata.resourceVersion).toMatch(/^\d+$/);
    const again = await statusOf(api.createNamespacedCustomObject({ ...where, body: hostLevelVirtualService(name) }));
    expect(again.code).toBe(409);
    expect(again.body).toMatchObject({ kind: 'Status', reason: 'AlreadyExists' });
    for (const version of ['v1alpha3', 'v1beta1', 'v1']) {
      const read = await api.getNamespacedCustomObject(target(name, version));
      expect(read.apiVersion).toBe(`networking.istio.io/${version}`);
    }
    const list = await api.listNamespacedCustomObject(where);
    expect(list.kind).toBe('VirtualServiceList');
    expect(list.items.map((item: { metadata: { name: string } }) => item.metadata.name)).toContain(name);
    const missing = await statusOf(api.getNamespacedCustomObject(target('nope')));
    expect(missing).toEqual({
      code: 404,
      body: expect.objectContaining({
        kind: 'Status',
        status: 'Failure',
        reason: 'NotFound',
        code: 404,
        message: 'virtualservices.networking.istio.io "nope" not found',
      }),
    });
  });

  it('replace: 409 on a stale resourceVersion, unconditional without one, generation only on spec changes', async () => {
    const name = uniqueName('replace');
    const stored = server.seed('virtualservices', 'default', hostLevelVirtualService(name) as never) as {
      metadata: Record<string, unknown>;
    };
    const first = await api.getNamespacedCustomObject(target(name));
    first.spec.hosts = ['changed.example.com'];
    const written = await api.replaceNamespacedCustomObject({ ...target(name), body: first });
    expect(written.metadata.generation).toBe(2);
    expect(Number(written.metadata.resourceVersion)).toBeGreaterThan(Number(stored.metadata.resourceVersion));
    const stale = await statusOf(api.replaceNamespacedCustomObject({ ...target(name), body: first }));
    expect(stale.code).toBe(409);
    expect(stale.body.message).toMatch(
      /the object has been modified; please apply your changes to the latest version and try again/,
    );
    const labelsOnly = { ...written, metadata: { ...written.metadata, labels: { a: 'b' } } };
    expect((await api.replaceNamespacedCustomObject({ ...target(name), body: labelsOnly })).metadata.generation).toBe(2);
    const { resourceVersion: _rv, ...withoutVersion } = labelsOnly.metadata;
    const unconditional = await api.replaceNamespacedCustomObject({
      ...target(name),
      body: { ...labelsOnly, metadata: withoutVersion },
    });
    expect(unconditional.metadata.name).toBe(name);
    const wrongVersion = await statusOf(
      api.replaceNamespacedCustomObject({ ...target(name), body: { ...unconditional, apiVersion: 'networking.istio.io/v1' } }),
    );
    expect(wrongVersion.code).toBe(400);
  });

  it('a replace that changes nothing is a no-op (same resourceVersion, no event); resourceVersion "" is unconditional', async () => {
    const name = uniqueName('noop');
    server.seed('virtualservices', 'noop', hostLevelVirtualService(name) as never);
    const noop = { ...target(name), namespace: 'noop' };
    const events: string[] = [];
    const watch = new Watch(server.kubeConfig());
    const controller = await watch.watch(
      '/apis/networking.istio.io/v1beta1/namespaces/noop/virtualservices',
      {},
      (phase, object: { metadata: { resourceVersion: string } }) => events.push(`${phase} ${object.metadata.resourceVersion}`),
      () => {},
    );
    await waitFor(() => events.length === 1);
    const current = await api.getNamespacedCustomObject(noop);
    const same = await api.replaceNamespacedCustomObject({ ...noop, body: current });
    expect(same.metadata.resourceVersion).toBe(current.metadata.resourceVersion);
    const stale = { ...current, metadata: { ...current.metadata, resourceVersion: '' } };
    stale.spec = { ...current.spec, hosts: ['other.example.com'] };
    const written = await api.replaceNamespacedCustomObject({ ...noop, body: stale });
    expect(Number(written.metadata.resourceVersion)).toBeGreaterThan(Number(current.metadata.resourceVersion));
    await waitFor(() => events.length === 2);
    controller.abort();
    expect(events).toEqual([`ADDED ${current.metadata.resourceVersion}`, `MODIFIED ${written.metadata.resourceVersion}`]);
  });

  it('an injected conflict hits writes only, unless told otherwise; a lost reply still commits', async () => {
    const name = uniqueName('faults');
    server.seed('virtualservices', 'default', hostLevelVirtualService(name) as never);
    server.inject({ fault: { kind: 'conflict' }, name });
    const read = await api.getNamespacedCustomObject(target(name));
    read.spec.hosts = ['b.example.com'];
    expect((await statusOf(api.replaceNamespacedCustomObject({ ...target(name), body: read }))).code).toBe(409);
    const fresh = await api.getNamespacedCustomObject(target(name));
    fresh.spec.hosts = ['c.example.com'];
    server.inject({ fault: { kind: 'lose-reply' }, verbs: ['update'], name });
    await expect(api.replaceNamespacedCustomObject({ ...target(name), body: fresh })).rejects.toThrow();
    expect((server.get('virtualservices', 'default', name) as { spec: { hosts: string[] } }).spec.hosts).toEqual([
      'c.example.com',
    ]);
    expect(server.acceptedWrites(name)).toBe(1);
  });

  it("422 Invalid with causes when the object breaks Istio's schema", async () => {
    const name = uniqueName('invalid');
    server.seed('virtualservices', 'default', hostLevelVirtualService(name) as never);
    const current = await api.getNamespacedCustomObject(target(name));
    current.spec.http[0].route[0].weight = 'heavy';
    const rejected = await statusOf(api.replaceNamespacedCustomObject({ ...target(name), body: current }));
    expect(rejected.code).toBe(422);
    expect(rejected.body).toMatchObject({ kind: 'Status', reason: 'Invalid', details: { kind: 'VirtualService' } });
    expect(rejected.body.message).toMatch(
      /VirtualService.networking.istio.io ".*" is invalid: spec.http\[0\].route\[0\].weight: Invalid value/,
    );
  });

  it('merge patch and JSON patch (with a test op as precondition); strategic merge patch is 415 for custom resources', async () => {
    const name = uniqueName('patch');
    server.seed('virtualservices', 'default', hostLevelVirtualService(name) as never);
    const merged = await api.patchNamespacedCustomObject(
      { ...target(name), body: { metadata: { labels: { team: 'a' } }, spec: { gateways: ['gw'] } } },
      setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
    );
    expect(merged.metadata.labels).toEqual({ team: 'a' });
    expect(merged.spec.gateways).toEqual(['gw']);
    const patched = await api.patchNamespacedCustomObject({
      ...target(name),
      body: [
        { op: 'test', path: '/spec/http/0/route/0/weight', value: 100 },
        { op: 'replace', path: '/spec/http/0/route/0/weight', value: 70 },
        { op: 'replace', path: '/spec/http/0/route/1/weight', value: 30 },
      ],
    });
    expect(patched.spec.http[0].route.map((d: { weight: number }) => d.weight)).toEqual([70, 30]);
    const failedTest = await statusOf(
      api.patchNamespacedCustomObject({
        ...target(name),
        body: [{ op: 'test', path: '/spec/http/0/route/0/weight', value: 100 }],
      }),
    );
    expect(failedTest.code).toBe(422);
    const stale = await statusOf(
      api.patchNamespacedCustomObject(
        { ...target(name), body: { metadata: { resourceVersion: '1' }, spec: { gateways: [] } } },
        setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
      ),
    );
    expect(stale.code).toBe(409);
    const strategic = await statusOf(
      api.patchNamespacedCustomObject(
        { ...target(name), body: { spec: { gateways: [] } } },
        setHeaderOptions('Content-Type', PatchStrategy.StrategicMergePatch),
      ),
    );
    expect(strategic.code).toBe(415);
  });

  it('watch: ADDED for what exists, then MODIFIED per write, through client-node Watch', async () => {
    const name = uniqueName('watch');
    server.seed('virtualservices', 'watched', hostLevelVirtualService(name) as never);
    const events: string[] = [];
    const watch = new Watch(server.kubeConfig());
    const controller = await watch.watch(
      '/apis/networking.istio.io/v1beta1/namespaces/watched/virtualservices',
      {},
      (phase, object: { metadata: { name: string; resourceVersion: string } }) => events.push(`${phase} ${object.metadata.name}`),
      () => {},
    );
    await waitFor(() => events.length === 1);
    server.edit('virtualservices', 'watched', name, (object) => {
      (object.spec as Record<string, unknown>).hosts = ['x'];
    });
    await waitFor(() => events.length === 2);
    controller.abort();
    expect(events).toEqual([`ADDED ${name}`, `MODIFIED ${name}`]);
  });

  it('injected latency delays the answer (and ends with the client)', async () => {
    const name = uniqueName('latency');
    server.seed('virtualservices', 'default', hostLevelVirtualService(name) as never);
    server.inject({ fault: { kind: 'delay', ms: 40 }, verbs: ['get'], name });
    const start = performance.now();
    expect((await api.getNamespacedCustomObject(target(name))).metadata.name).toBe(name);
    expect(performance.now() - start).toBeGreaterThanOrEqual(35);
  });

  it('401 without the bearer token; injected 500 answers with a Status', async () => {
    const config = server.kubeConfig();
    const anonymous = config.getCurrentUser();
    if (anonymous) (anonymous as { token?: string }).token = 'wrong';
    const denied = await statusOf(config.makeApiClient(CustomObjectsApi).getNamespacedCustomObject(target('anything')));
    expect(denied.code).toBe(401);
    const name = uniqueName('injected');
    server.seed('virtualservices', 'default', hostLevelVirtualService(name) as never);
    server.inject({ fault: { kind: 'status', code: 500 }, verbs: ['get'], name });
    const failed = await statusOf(api.getNamespacedCustomObject(target(name)));
    expect(failed.code).toBe(500);
    expect(failed.body).toMatchObject({ kind: 'Status', reason: 'InternalError' });
    expect((await api.getNamespacedCustomObject(target(name))).metadata.name).toBe(name);
  });
});
