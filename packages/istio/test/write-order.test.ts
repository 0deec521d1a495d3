import { GradualError } from '@gradual/core';
import { type KubeApiServer, startKubeApiServer } from '@gradual/kube-api-test-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createIstioTrafficRouter, type IstioTrafficRouterOptions, type VirtualService } from '../src/index.js';
import { fastCall, realCall, uniqueName, weightsIn } from './support/router-fixture.js';
import { state } from './support/states.js';

// Write order across objects: traffic must never point at pods a subset (or Service) does not select yet.
let server: KubeApiServer;
beforeAll(async () => {
  server = await startKubeApiServer();
});
afterAll(async () => {
  await server.close();
});

const ns = 'default';
const header = { name: 'hdr', match: [{ headerName: 'x-canary', headerValue: { exact: 'yes' } }] };

/** A subset-level VirtualService and DestinationRule (canary subset 'canary', stable 'stable'), and a router for them. */
function subsetLevel(prefix: string, extra: Partial<IstioTrafficRouterOptions> = {}) {
  const name = uniqueName(prefix);
  server.seed('virtualservices', ns, {
    metadata: { name },
    spec: {
      hosts: ['app'],
      http: [
        {
          name: 'primary',
          route: [
            { destination: { host: 'app', subset: 'stable' }, weight: 100 },
            { destination: { host: 'app', subset: 'canary' }, weight: 0 },
          ],
        },
      ],
    },
  });
  // Its own name, so that faults injected by name hit the VirtualService alone.
  const dr = `${name}-dr`;
  server.seed('destinationrules', ns, {
    metadata: { name: dr },
    spec: {
      host: 'app',
      subsets: [
        { name: 'stable', labels: { app: 'app' } },
        { name: 'canary', labels: { app: 'app' } },
      ],
    },
  });
  const router = createIstioTrafficRouter({
    virtualService: { name, routes: ['primary'] },
    destinationRule: { name: dr, canarySubsetName: 'canary', stableSubsetName: 'stable' },
    managedRoutes: [{ name: 'hdr' }],
    namespace: ns,
    kubeConfig: server.kubeConfig(),
    ...extra,
  });
  const canaryLabel = () =>
    (
      server.get('destinationrules', ns, dr) as { spec: { subsets: { name: string; labels: Record<string, string> }[] } }
    ).spec.subsets.find((s) => s.name === 'canary')?.labels['rollouts-pod-template-hash'];
  /** Accepted writes since `from`, as `vs` / `dr`, in order. */
  const writesSince = (from: number) =>
    server.requests
      .slice(from)
      .filter((r) => (r.name === name || r.name === dr) && r.verb === 'update' && r.status === 200)
      .map((r) => (r.plural === 'virtualservices' ? 'vs' : 'dr'));
  return { name, dr, router, canaryLabel, writesSince };
}

describe('write order across the DestinationRule and the VirtualService', () => {
  it('canary 20% on v2, then 0% on v3: the VirtualService goes to 0 before the subset selects v3', async () => {
    const { name, router, canaryLabel, writesSince } = subsetLevel('order-down');
    await router.apply(state({ canaryWeight: 20, stableRevision: 'v1', canaryRevision: 'v2' }), realCall());
    const from = server.requests.length;
    const result = await router.apply(state({ canaryWeight: 0, stableRevision: 'v1', canaryRevision: 'v3' }), realCall());
    expect(result.changed).toBe(true);
    expect(writesSince(from)).toEqual(['vs', 'dr']);
    expect(weightsIn(server, ns, name, 'primary')).toEqual({ stable: 100, canary: 0 });
    expect(canaryLabel()).toBe('v3');
  });

  it('when the VirtualService write fails (500), the subset still selects v2 and the weight is unchanged', async () => {
    const { name, router, canaryLabel } = subsetLevel('order-fail', { maxAttempts: 2 });
    await router.apply(state({ canaryWeight: 20, stableRevision: 'v1', canaryRevision: 'v2' }), realCall());
    server.inject({ fault: { kind: 'status', code: 500 }, verbs: ['update'], name, times: 2 });
    const error = await router.apply(state({ canaryWeight: 0, stableRevision: 'v1', canaryRevision: 'v3' }), fastCall()).then(
      () => undefined,
      (e: unknown) => e as Error,
    );
    expect(GradualError.hasCode(error, 'SERVER_ERROR')).toBe(true);
    expect(canaryLabel()).toBe('v2');
    expect(weightsIn(server, ns, name, 'primary')).toEqual({ stable: 80, canary: 20 });
  });

  it('a VirtualService that cannot be rendered or fails the schema: nothing is written, the DestinationRule neither', async () => {
    const { name, dr, router, canaryLabel } = subsetLevel('order-schema');
    await router.apply(state({ canaryWeight: 20, stableRevision: 'v1', canaryRevision: 'v2' }), realCall());
    server.edit('virtualservices', ns, name, (object) => {
      (object as unknown as VirtualService).spec.http!.push({
        name: 'user',
        route: [{ destination: { host: 'legacy' } }],
        mirrorPercentage: { value: 'lots' as unknown as number },
      });
    });
    const before = server.acceptedWrites(name) + server.acceptedWrites(dr);
    const schema = await router.apply(state({ canaryWeight: 0, stableRevision: 'v1', canaryRevision: 'v3' }), realCall()).then(
      () => undefined,
      (e: unknown) => e as Error,
    );
    expect(GradualError.hasCode(schema, 'ISTIO_SCHEMA')).toBe(true);
    const badRoute = createIstioTrafficRouter({
      virtualService: { name, routes: ['primry'] },
      destinationRule: { name: dr, canarySubsetName: 'canary', stableSubsetName: 'stable' },
      namespace: ns,
      kubeConfig: server.kubeConfig(),
    });
    const notFound = await badRoute
      .apply(state({ canaryWeight: 0, stableRevision: 'v1', canaryRevision: 'v3' }), realCall())
      .then(
        () => undefined,
        (e: unknown) => e as Error,
      );
    expect(GradualError.hasCode(notFound, 'ISTIO_ROUTE_NOT_FOUND')).toBe(true);
    expect(server.acceptedWrites(name) + server.acceptedWrites(dr)).toBe(before);
    expect(canaryLabel()).toBe('v2');
  });

  it('the weight going up onto a new revision: the DestinationRule first, then the VirtualService', async () => {
    const { name, router, canaryLabel, writesSince } = subsetLevel('order-up');
    await router.apply(state({ canaryWeight: 0, stableRevision: 'v1', canaryRevision: 'v2' }), realCall());
    const from = server.requests.length;
    await router.apply(state({ canaryWeight: 30, stableRevision: 'v1', canaryRevision: 'v3' }), realCall());
    expect(writesSince(from)).toEqual(['dr', 'vs']);
    expect(canaryLabel()).toBe('v3');
    expect(weightsIn(server, ns, name, 'primary')).toEqual({ stable: 70, canary: 30 });
  });

  it('up with a relabel while a header route goes away: the route is dropped first, the weight raised after', async () => {
    const { name, router, writesSince } = subsetLevel('order-three');
    await router.apply(
      state({ canaryWeight: 20, stableRevision: 'v1', canaryRevision: 'v2', headerRoutes: [header] }),
      realCall(),
    );
    const from = server.requests.length;
    const result = await router.apply(state({ canaryWeight: 40, stableRevision: 'v1', canaryRevision: 'v3' }), realCall());
    expect(writesSince(from)).toEqual(['vs', 'dr', 'vs']);
    expect(result.notes).toEqual([
      `VirtualService '${ns}/${name}' stepped to canary weight 20 before the canary changed revision`,
    ]);
    const stored = server.get('virtualservices', ns, name) as unknown as VirtualService;
    expect(stored.spec.http?.map((r) => r.name)).toEqual(['primary']);
    expect(weightsIn(server, ns, name, 'primary')).toEqual({ stable: 60, canary: 40 });
  });

  it('promotion (only the stable subset changes revision): the DestinationRule first, then the weights', async () => {
    const { name, router, writesSince } = subsetLevel('order-promote');
    await router.apply(state({ canaryWeight: 100, stableRevision: 'v1', canaryRevision: 'v2' }), realCall());
    const from = server.requests.length;
    await router.apply(state({ canaryWeight: 0, stableRevision: 'v2', canaryRevision: 'v2' }), realCall());
    expect(writesSince(from)).toEqual(['dr', 'vs']);
    expect(weightsIn(server, ns, name, 'primary')).toEqual({ stable: 100, canary: 0 });
  });

  it('host-level with manageServiceSelectors: the VirtualService goes down before the canary Service selects the new revision', async () => {
    const name = uniqueName('order-services');
    const namespace = `ns-${name}`;
    for (const svc of ['canary-svc', 'stable-svc']) {
      server.seed('services', namespace, {
        apiVersion: 'v1',
        kind: 'Service',
        metadata: { name: svc },
        spec: { selector: { app: 'demo' } },
      });
    }
    server.seed('virtualservices', namespace, {
      metadata: { name },
      spec: {
        http: [
          {
            name: 'primary',
            route: [
              { destination: { host: 'stable-svc' }, weight: 100 },
              { destination: { host: 'canary-svc' }, weight: 0 },
            ],
          },
        ],
      },
    });
    const router = createIstioTrafficRouter({
      virtualService: { name, routes: ['primary'] },
      canaryService: 'canary-svc',
      stableService: 'stable-svc',
      manageServiceSelectors: true,
      namespace,
      kubeConfig: server.kubeConfig(),
    });
    await router.apply(state({ canaryWeight: 20, stableRevision: 'blue', canaryRevision: 'green' }), realCall());
    const from = server.requests.length;
    await router.apply(state({ canaryWeight: 5, stableRevision: 'blue', canaryRevision: 'purple' }), realCall());
    const writes = server.requests
      .slice(from)
      .filter((r) => r.namespace === namespace && (r.verb === 'update' || r.verb === 'patch') && r.status === 200)
      .map((r) => `${r.verb} ${r.name}`);
    expect(writes).toEqual([`update ${name}`, 'patch canary-svc']);
    expect(weightsIn(server, namespace, name, 'primary')).toEqual({ 'stable-svc': 95, 'canary-svc': 5 });
  });

  it('a write whose reply is lost but which was committed is reported as a change', async () => {
    const { name, router } = subsetLevel('lost-reply');
    server.inject({ fault: { kind: 'lose-reply' }, verbs: ['update'], name });
    const result = await router.apply(state({ canaryWeight: 10 }), fastCall());
    expect(result.changed).toBe(true);
    expect(weightsIn(server, ns, name, 'primary')).toEqual({ stable: 90, canary: 10 });
    expect(server.acceptedWrites(name)).toBe(1);
  });
});
