import { type KubeApiServer, startKubeApiServer } from '@gradual/kube-api-test-server';
import { ApiException, CustomObjectsApi } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uniqueName } from './support/fixture.js';
import { httpRoute } from './support/routes.js';

// The test server must behave like kube-apiserver with Gateway API's CRDs installed on every path the router uses.
let server: KubeApiServer;
let api: CustomObjectsApi;
beforeAll(async () => {
  server = await startKubeApiServer();
  api = server.kubeConfig().makeApiClient(CustomObjectsApi);
});
afterAll(async () => {
  await server.close();
});

const target = (name: string, plural = 'httproutes', version = 'v1') => ({
  group: 'gateway.networking.k8s.io',
  version,
  namespace: 'default',
  plural,
  name,
});
const statusOf = async (promise: Promise<unknown>) => {
  try {
    await promise;
    return 200;
  } catch (error) {
    return error instanceof ApiException ? error.code : -1;
  }
};

describe('Kubernetes API test server: gateway.networking.k8s.io', () => {
  it('serves an HTTPRoute under v1 and v1beta1 from one storage, apiVersion following the URL', async () => {
    const name = uniqueName('served');
    server.seed('httproutes', 'default', httpRoute(name) as unknown as Record<string, unknown>);
    const v1 = (await api.getNamespacedCustomObject(target(name))) as { apiVersion: string; kind: string };
    const beta = (await api.getNamespacedCustomObject(target(name, 'httproutes', 'v1beta1'))) as { apiVersion: string };
    expect([v1.apiVersion, v1.kind, beta.apiVersion]).toEqual([
      'gateway.networking.k8s.io/v1',
      'HTTPRoute',
      'gateway.networking.k8s.io/v1beta1',
    ]);
    expect(await statusOf(api.getNamespacedCustomObject(target(name, 'httproutes', 'v9')))).toBe(404);
    expect(await statusOf(api.getNamespacedCustomObject(target(name, 'tcproutes')))).toBe(404);
  });

  it('answers 409 to a replace with a stale resourceVersion, and accepts a fresh one', async () => {
    const name = uniqueName('conflict');
    server.seed('httproutes', 'default', httpRoute(name) as unknown as Record<string, unknown>);
    const read = (await api.getNamespacedCustomObject(target(name))) as Record<string, unknown>;
    server.edit('httproutes', 'default', name, (object) => {
      (object.metadata as Record<string, unknown>).labels = { edited: 'yes' };
    });
    expect(await statusOf(api.replaceNamespacedCustomObject({ ...target(name), body: read }))).toBe(409);
    const fresh = (await api.getNamespacedCustomObject(target(name))) as Record<string, unknown>;
    expect(await statusOf(api.replaceNamespacedCustomObject({ ...target(name), body: fresh }))).toBe(200);
  });

  it("refuses with 422 a route that breaks Gateway API's schema", async () => {
    const name = uniqueName('invalid');
    const route = httpRoute(name);
    route.spec.rules![0]!.backendRefs![0]!.weight = -1;
    const error = await api
      .createNamespacedCustomObject({ ...target(name), body: route })
      .catch((e: unknown) => e as ApiException<string>);
    expect((error as ApiException<string>).code).toBe(422);
    expect(String((error as ApiException<string>).body)).toMatch(/spec.rules\[0\].backendRefs\[0\].weight/);
  });

  it('serves GRPCRoutes', async () => {
    const name = uniqueName('grpc');
    server.seed('grpcroutes', 'default', { metadata: { name }, spec: { rules: [{ backendRefs: [{ name: 'a', port: 1 }] }] } });
    const got = (await api.getNamespacedCustomObject(target(name, 'grpcroutes'))) as { kind: string; apiVersion: string };
    expect([got.kind, got.apiVersion]).toEqual(['GRPCRoute', 'gateway.networking.k8s.io/v1']);
  });
});
