import { CancelledError, GradualError, TrafficRouterError } from '@gradual/core';
import { createFakeClock } from '@gradual/core/testing';
import { type KubeApiServer, startKubeApiServer } from '@gradual/kube-api-test-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createIstioTrafficRouter, type IstioTrafficRouterOptions, type VirtualService } from '../src/index.js';
import { fastCall, hostLevelVirtualService, realCall, uniqueName, weightsIn } from './support/router-fixture.js';
import { state } from './support/states.js';
import { waitFor } from './support/wait-for.js';

let server: KubeApiServer;
beforeAll(async () => {
  server = await startKubeApiServer();
});
afterAll(async () => {
  await server.close();
});

const ns = 'default';

function hostRouter(name: string, extra: Partial<IstioTrafficRouterOptions> = {}) {
  return createIstioTrafficRouter({
    virtualService: { name, routes: ['primary'] },
    canaryService: 'canary-svc',
    stableService: 'stable-svc',
    namespace: ns,
    kubeConfig: server.kubeConfig(),
    ...extra,
  });
}

const failure = async (promise: Promise<unknown>) =>
  promise.then(
    () => {
      throw new Error('expected a rejection');
    },
    (error: unknown) => error as Error,
  );

describe('createIstioTrafficRouter against the Kubernetes API test server', () => {
  it('writes once per distinct state and never on a repeated apply; observe reads it back', async () => {
    const name = uniqueName('writes');
    server.seed('virtualservices', ns, hostLevelVirtualService(name) as never);
    const router = hostRouter(name);
    expect(router.capabilities).toEqual({ headerRoutes: true, mirrorRoutes: true, experiments: true, weightGranularity: 1 });
    const results = [];
    for (const weight of [20, 20, 50, 50, 50, 100, 0, 0])
      results.push((await router.apply(state({ canaryWeight: weight }), realCall())).changed);
    expect(results).toEqual([true, false, true, false, false, true, true, false]);
    expect(server.acceptedWrites(name)).toBe(4);
    expect(server.requests.filter((r) => r.name === name && r.verb === 'update').every((r) => r.status === 200)).toBe(true);
    expect(weightsIn(server, ns, name, 'primary')).toEqual({ 'stable-svc': 100, 'canary-svc': 0 });
    await router.apply(state({ canaryWeight: 30 }), realCall());
    expect(await router.observe!(realCall())).toEqual(state({ canaryWeight: 30 }));
    // The user's route is still there, in its place.
    const stored = server.get('virtualservices', ns, name) as unknown as VirtualService;
    expect(stored.spec.http?.map((r) => r.name)).toEqual(['primary', 'user-owned']);
  });

  it('subset-level: DestinationRule subsets select the revisions; promotion changes labels, not weights', async () => {
    const name = uniqueName('subsets');
    server.seed('virtualservices', ns, {
      metadata: { name },
      spec: {
        hosts: ['recommendation'],
        http: [
          {
            name: 'primary',
            route: [
              { destination: { host: 'recommendation', subset: 'version-v1' }, weight: 100 },
              { destination: { host: 'recommendation', subset: 'version-v2' }, weight: 0 },
            ],
          },
        ],
      },
    });
    server.seed('destinationrules', ns, {
      metadata: { name: `${name}-dr` },
      spec: {
        host: 'recommendation',
        subsets: [
          { name: 'version-v1', labels: { app: 'r' } },
          { name: 'version-v2', labels: { app: 'r' } },
        ],
      },
    });
    const router = createIstioTrafficRouter({
      virtualService: { name, routes: ['primary'] },
      destinationRule: { name: `${name}-dr`, stableSubsetName: 'version-v1', canarySubsetName: 'version-v2' },
      namespace: ns,
      kubeConfig: server.kubeConfig(),
    });
    await router.apply(state({ canaryWeight: 25, stableRevision: 'aaa', canaryRevision: 'bbb' }), realCall());
    expect(weightsIn(server, ns, name, 'primary')).toEqual({ 'version-v1': 75, 'version-v2': 25 });
    expect(await router.observe!(realCall())).toEqual(state({ canaryWeight: 25, stableRevision: 'aaa', canaryRevision: 'bbb' }));
    const vsWrites = server.acceptedWrites(name);
    const result = await router.apply(state({ canaryWeight: 25, stableRevision: 'bbb', canaryRevision: 'bbb' }), realCall());
    expect(result.changed).toBe(true);
    expect(server.acceptedWrites(name)).toBe(vsWrites);
    const dr = server.get('destinationrules', ns, `${name}-dr`) as { spec: { subsets: { labels: Record<string, string> }[] } };
    expect(dr.spec.subsets.map((s) => s.labels['rollouts-pod-template-hash'])).toEqual(['bbb', 'bbb']);
  });

  it('host-level with manageServiceSelectors: the Services select the revisions; promotion switches the stable one', async () => {
    const name = uniqueName('selectors');
    server.seed('virtualservices', ns, hostLevelVirtualService(name) as never);
    const service = (svc: string) => ({
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: svc },
      spec: { selector: { app: 'demo' }, ports: [{ port: 80, targetPort: 8080 }] },
    });
    server.seed('services', ns, service(`${name}-canary`));
    server.seed('services', ns, service(`${name}-stable`));
    const vs = hostLevelVirtualService(name);
    for (const route of vs.spec.http!.slice(0, 1)) {
      route.route![0]!.destination.host = `${name}-stable`;
      route.route![1]!.destination.host = `${name}-canary`;
    }
    server.edit('virtualservices', ns, name, (object) => {
      object.spec = vs.spec;
    });
    const router = createIstioTrafficRouter({
      virtualService: { name, routes: ['primary'] },
      canaryService: `${name}-canary`,
      stableService: `${name}-stable`,
      manageServiceSelectors: true,
      namespace: ns,
      kubeConfig: server.kubeConfig(),
    });
    const selector = (svc: string) =>
      (server.get('services', ns, svc) as { spec: { selector: Record<string, string> } }).spec.selector;
    await router.apply(state({ canaryWeight: 20, stableRevision: 'blue', canaryRevision: 'green' }), realCall());
    expect(selector(`${name}-canary`)).toEqual({ app: 'demo', 'rollouts-pod-template-hash': 'green' });
    expect(selector(`${name}-stable`)).toEqual({ app: 'demo', 'rollouts-pod-template-hash': 'blue' });
    expect(await router.observe!(realCall())).toEqual(
      state({ canaryWeight: 20, stableRevision: 'blue', canaryRevision: 'green' }),
    );
    await router.apply(state({ canaryWeight: 0, stableRevision: 'green', canaryRevision: 'green' }), realCall());
    expect(selector(`${name}-stable`)).toEqual({ app: 'demo', 'rollouts-pod-template-hash': 'green' });
    expect(weightsIn(server, ns, name, 'primary')).toEqual({ [`${name}-stable`]: 100, [`${name}-canary`]: 0 });
    expect(
      (await router.apply(state({ canaryWeight: 0, stableRevision: 'green', canaryRevision: 'green' }), realCall())).changed,
    ).toBe(false);
    const services = server.requests.filter((r) => r.plural === 'services' && r.verb === 'patch');
    expect(services.map((r) => r.status)).toEqual([200, 200, 200]);
    expect(services.every((r) => r.contentType?.startsWith('application/merge-patch+json'))).toBe(true);
  });

  it('manageServiceSelectors with subset-level splitting is refused when the router is created', () => {
    expect(() =>
      createIstioTrafficRouter({
        virtualService: { name: 'x', routes: ['primary'] },
        destinationRule: { name: 'dr', canarySubsetName: 'c', stableSubsetName: 's' },
        manageServiceSelectors: true,
        namespace: ns,
        kubeConfig: server.kubeConfig(),
      }),
    ).toThrow('manageServiceSelectors needs host-level splitting: canaryService and stableService, and no destinationRule');
  });

  it('a missing Service is named', async () => {
    const name = uniqueName('no-service');
    server.seed('virtualservices', ns, hostLevelVirtualService(name) as never);
    const error = await failure(
      hostRouter(name, { manageServiceSelectors: true }).apply(state({ canaryRevision: 'x' }), realCall()),
    );
    expect(error.message).toBe(
      "Service 'canary-svc' in namespace 'default' not found (services); create it or fix canaryService/stableService",
    );
  });

  it('name.namespace references and other served versions (v1alpha3, v1)', async () => {
    const name = uniqueName('elsewhere');
    server.seed('virtualservices', 'team-b', hostLevelVirtualService(name) as never);
    for (const apiVersion of ['v1alpha3', 'v1'] as const) {
      const router = createIstioTrafficRouter({
        virtualService: { name: `${name}.team-b.svc.cluster.local`, routes: ['primary'] },
        canaryService: 'canary-svc',
        stableService: 'stable-svc',
        namespace: ns,
        kubeConfig: server.kubeConfig(),
        apiVersion,
      });
      await router.apply(state({ canaryWeight: apiVersion === 'v1' ? 10 : 5 }), realCall());
    }
    expect(weightsIn(server, 'team-b', name, 'primary')).toEqual({ 'stable-svc': 90, 'canary-svc': 10 });
    expect(server.requests.filter((r) => r.name === name).map((r) => r.path.split('/')[3])).toContain('v1alpha3');
  });

  it('a conflict is re-read and re-rendered: the other writer’s change survives', async () => {
    const name = uniqueName('conflict');
    server.seed('virtualservices', ns, hostLevelVirtualService(name) as never);
    server.inject({
      fault: {
        kind: 'conflict',
        edit: (object) => {
          const vs = object as unknown as VirtualService;
          vs.spec.http?.push({ name: 'added-by-someone', route: [{ destination: { host: 'other-svc' } }] });
        },
      },
      verbs: ['update'],
      name,
      times: 2,
    });
    const result = await hostRouter(name).apply(state({ canaryWeight: 40 }), fastCall());
    expect(result.changed).toBe(true);
    expect(result.notes?.join('\n')).toMatch(/written after 2 retried/);
    const stored = server.get('virtualservices', ns, name) as unknown as VirtualService;
    expect(stored.spec.http?.filter((r) => r.name === 'added-by-someone')).toHaveLength(2);
    expect(weightsIn(server, ns, name, 'primary')).toEqual({ 'stable-svc': 60, 'canary-svc': 40 });
    expect(server.requests.filter((r) => r.name === name && r.status === 409)).toHaveLength(2);
  });

  it('conflicts are bounded: after maxAttempts the error says so and stays retryable', async () => {
    const name = uniqueName('bounded');
    server.seed('virtualservices', ns, hostLevelVirtualService(name) as never);
    server.inject({ fault: { kind: 'conflict' }, verbs: ['update'], name, times: 3 });
    const clock = createFakeClock({ auto: true });
    const slept: number[] = [];
    const error = await failure(
      hostRouter(name, { maxAttempts: 3, backoffMs: 100 }).apply(state({ canaryWeight: 10 }), {
        signal: new AbortController().signal,
        clock: {
          now: clock.now,
          sleep: (ms, signal) => {
            slept.push(ms);
            return clock.sleep(ms, signal);
          },
        },
      }),
    );
    expect(GradualError.hasCode(error, 'CONFLICT')).toBe(true);
    expect((error as TrafficRouterError).retryable).toBe(true);
    expect(error.message).toMatch(
      /conflict writing VirtualService '.*' in namespace 'default'.*the object has been modified.*gave up after 3 attempts/,
    );
    expect(slept).toEqual([100, 200]);
  });

  it('two routers on different routes of one VirtualService, concurrent under injected conflicts, lose nothing', async () => {
    const name = uniqueName('shared');
    server.seed('virtualservices', ns, hostLevelVirtualService(name, ['team-a', 'team-b']) as never);
    const routerFor = (route: string) =>
      createIstioTrafficRouter({
        virtualService: { name, routes: [route] },
        canaryService: 'canary-svc',
        stableService: 'stable-svc',
        namespace: ns,
        kubeConfig: server.kubeConfig(),
        maxAttempts: 20,
      });
    const a = routerFor('team-a');
    const b = routerFor('team-b');
    server.inject({ fault: { kind: 'conflict' }, verbs: ['update'], name, times: 6 });
    for (const [wa, wb] of [
      [10, 60],
      [20, 70],
      [30, 80],
    ] as const) {
      await Promise.all([a.apply(state({ canaryWeight: wa }), fastCall()), b.apply(state({ canaryWeight: wb }), fastCall())]);
      expect(weightsIn(server, ns, name, 'team-a')).toEqual({ 'stable-svc': 100 - wa, 'canary-svc': wa });
      expect(weightsIn(server, ns, name, 'team-b')).toEqual({ 'stable-svc': 100 - wb, 'canary-svc': wb });
    }
    expect(server.requests.filter((r) => r.name === name && r.status === 409).length).toBeGreaterThanOrEqual(6);
  });

  it('several VirtualServices, each with its own routes, in one apply', async () => {
    const first = uniqueName('multi-a');
    const second = uniqueName('multi-b');
    server.seed('virtualservices', ns, hostLevelVirtualService(first) as never);
    server.seed('virtualservices', 'edge', hostLevelVirtualService(second, ['ingress']) as never);
    const router = createIstioTrafficRouter({
      virtualServices: [
        { name: first, routes: ['primary'] },
        { name: `${second}.edge`, routes: ['ingress'] },
      ],
      canaryService: 'canary-svc',
      stableService: 'stable-svc',
      namespace: ns,
      kubeConfig: server.kubeConfig(),
    });
    expect((await router.apply(state({ canaryWeight: 15 }), realCall())).changed).toBe(true);
    expect(weightsIn(server, ns, first, 'primary')).toEqual({ 'stable-svc': 85, 'canary-svc': 15 });
    expect(weightsIn(server, 'edge', second, 'ingress')).toEqual({ 'stable-svc': 85, 'canary-svc': 15 });
    expect((await router.apply(state({ canaryWeight: 15 }), realCall())).changed).toBe(false);
  });

  it('an abort during the backoff after a conflict stops at once, without writing', async () => {
    const name = uniqueName('abort-backoff');
    server.seed('virtualservices', ns, hostLevelVirtualService(name) as never);
    server.inject({ fault: { kind: 'conflict' }, verbs: ['update'], name });
    const clock = createFakeClock();
    const controller = new AbortController();
    const pending = failure(
      hostRouter(name, { backoffMs: 60_000 }).apply(state({ canaryWeight: 10 }), { signal: controller.signal, clock }),
    );
    await waitFor(() => clock.pending() === 1);
    controller.abort(new Error('stop'));
    expect(CancelledError.isCancellation(await pending)).toBe(true);
    expect(server.acceptedWrites(name)).toBe(0);
  });

  it('a weight edited by hand is put back on the next apply, and reported', async () => {
    const name = uniqueName('drift');
    server.seed('virtualservices', ns, hostLevelVirtualService(name) as never);
    const router = hostRouter(name);
    await router.apply(state({ canaryWeight: 20 }), realCall());
    server.edit('virtualservices', ns, name, (object) => {
      const route = (object as unknown as VirtualService).spec.http![0]!.route!;
      route[0]!.weight = 65;
      route[1]!.weight = 35;
    });
    expect((await router.observe!(realCall())).canaryWeight).toBe(35);
    const result = await router.apply(state({ canaryWeight: 20 }), { ...realCall(), drifted: true });
    expect(result.changed).toBe(true);
    expect(result.notes).toEqual([
      `drift put back on VirtualService 'default/${name}': http route 'primary': stable-svc=65, canary-svc=35 -> stable-svc=80, canary-svc=20`,
    ]);
    expect(weightsIn(server, ns, name, 'primary')).toEqual({ 'stable-svc': 80, 'canary-svc': 20 });
  });
});

describe('review fixes, over the API server', () => {
  it('VirtualServices with the same name in two namespaces each get their own routes', async () => {
    const name = uniqueName('same-name');
    server.seed('virtualservices', ns, hostLevelVirtualService(name, ['primary']) as never);
    server.seed('virtualservices', 'edge', hostLevelVirtualService(name, ['ingress']) as never);
    const router = createIstioTrafficRouter({
      virtualServices: [
        { name, routes: ['primary'] },
        { name: `${name}.edge`, routes: ['ingress'] },
      ],
      canaryService: 'canary-svc',
      stableService: 'stable-svc',
      namespace: ns,
      kubeConfig: server.kubeConfig(),
    });
    expect((await router.apply(state({ canaryWeight: 15 }), realCall())).changed).toBe(true);
    expect(weightsIn(server, ns, name, 'primary')).toEqual({ 'stable-svc': 85, 'canary-svc': 15 });
    expect(weightsIn(server, 'edge', name, 'ingress')).toEqual({ 'stable-svc': 85, 'canary-svc': 15 });
    expect((await router.observe!(realCall())).canaryWeight).toBe(15);
  });

  it('observe reads every VirtualService: a hand edit of the second one shows', async () => {
    const first = uniqueName('observe-a');
    const second = uniqueName('observe-b');
    server.seed('virtualservices', ns, hostLevelVirtualService(first) as never);
    server.seed('virtualservices', ns, hostLevelVirtualService(second) as never);
    const router = createIstioTrafficRouter({
      virtualServices: [
        { name: first, routes: ['primary'] },
        { name: second, routes: ['primary'] },
      ],
      canaryService: 'canary-svc',
      stableService: 'stable-svc',
      namespace: ns,
      kubeConfig: server.kubeConfig(),
    });
    await router.apply(state({ canaryWeight: 20 }), realCall());
    expect((await router.observe!(realCall())).canaryWeight).toBe(20);
    server.edit('virtualservices', ns, second, (object) => {
      const route = (object as unknown as VirtualService).spec.http![0]!.route!;
      route[0]!.weight = 50;
      route[1]!.weight = 50;
    });
    expect((await router.observe!(realCall())).canaryWeight).toBe(50);
  });

  it('manageServiceSelectors keeps the Service fields client-node does not know (merge patch of the selector)', async () => {
    const name = uniqueName('svc-fields');
    for (const svc of ['canary-svc', 'stable-svc']) {
      server.seed('services', `svc-${name}`, {
        apiVersion: 'v1',
        kind: 'Service',
        metadata: { name: svc, annotations: { owner: 'platform' } },
        spec: { selector: { app: 'demo' }, ports: [{ port: 80 }], futureField: { keep: true } },
        extension: 'kept',
      });
    }
    server.seed('virtualservices', `svc-${name}`, hostLevelVirtualService(name) as never);
    const router = hostRouter(name, { manageServiceSelectors: true, namespace: `svc-${name}` });
    await router.apply(state({ canaryWeight: 10, stableRevision: 'blue', canaryRevision: 'green' }), realCall());
    const stored = server.get('services', `svc-${name}`, 'canary-svc') as {
      spec: Record<string, unknown>;
      extension?: string;
      metadata: { annotations: Record<string, string> };
    };
    expect(stored.spec.selector).toEqual({ app: 'demo', 'rollouts-pod-template-hash': 'green' });
    expect(stored.spec.futureField).toEqual({ keep: true });
    expect(stored.extension).toBe('kept');
    expect(stored.metadata.annotations).toEqual({ owner: 'platform' });
  });

  it('a Service selector write that conflicts is re-read and retried (resourceVersion in the patch)', async () => {
    const namespace = `svc-conflict-${uniqueName('n')}`;
    const name = uniqueName('svc-conflict');
    server.seed('virtualservices', namespace, hostLevelVirtualService(name) as never);
    for (const svc of ['canary-svc', 'stable-svc']) {
      server.seed('services', namespace, {
        apiVersion: 'v1',
        kind: 'Service',
        metadata: { name: svc },
        spec: { selector: { app: 'demo' } },
      });
    }
    server.inject({
      fault: { kind: 'conflict', edit: (object) => ((object.metadata as Record<string, unknown>).labels = { by: 'someone' }) },
      name: 'canary-svc',
    });
    const result = await hostRouter(name, { manageServiceSelectors: true, namespace }).apply(
      state({ canaryWeight: 10, canaryRevision: 'green' }),
      fastCall(),
    );
    expect(result.changed).toBe(true);
    const stored = server.get('services', namespace, 'canary-svc') as {
      metadata: { labels: Record<string, string> };
      spec: { selector: Record<string, string> };
    };
    expect(stored.metadata.labels).toEqual({ by: 'someone' });
    expect(stored.spec.selector['rollouts-pod-template-hash']).toBe('green');
  });

  it('two routers sharing a VirtualService, each with a header route, stop writing after the first round', async () => {
    const name = uniqueName('two-routers');
    server.seed('virtualservices', ns, hostLevelVirtualService(name, ['team-a', 'team-b']) as never);
    const routerFor = (team: string) =>
      createIstioTrafficRouter({
        virtualService: { name, routes: [`team-${team}`] },
        canaryService: 'canary-svc',
        stableService: 'stable-svc',
        managedRoutes: [{ name: `hdr-${team}` }],
        namespace: ns,
        kubeConfig: server.kubeConfig(),
      });
    const desired = (team: string, weight: number) =>
      state({
        canaryWeight: weight,
        headerRoutes: [{ name: `hdr-${team}`, match: [{ headerName: 'x-team', headerValue: { exact: team } }] }],
      });
    const a = routerFor('a');
    const b = routerFor('b');
    const rounds: boolean[][] = [];
    for (let round = 0; round < 3; round++) {
      rounds.push([(await a.apply(desired('a', 10), realCall())).changed, (await b.apply(desired('b', 30), realCall())).changed]);
    }
    expect(rounds).toEqual([
      [true, true],
      [false, false],
      [false, false],
    ]);
    const stored = server.get('virtualservices', ns, name) as unknown as VirtualService;
    expect(stored.spec.http?.map((r) => r.name)).toEqual(['hdr-b', 'hdr-a', 'team-a', 'team-b', 'user-owned']);
  });

  it('subset-level header routes point at the DestinationRule host (§7.4)', async () => {
    const name = uniqueName('dr-host');
    server.seed('virtualservices', ns, {
      metadata: { name },
      spec: {
        hosts: ['reviews'],
        http: [
          {
            name: 'primary',
            route: [
              { destination: { host: 'reviews.default.svc.cluster.local', subset: 'stable' }, weight: 100 },
              { destination: { host: 'reviews.default.svc.cluster.local', subset: 'canary' }, weight: 0 },
            ],
          },
        ],
      },
    });
    server.seed('destinationrules', ns, {
      metadata: { name: `${name}-dr` },
      spec: { host: 'reviews', subsets: [{ name: 'stable' }, { name: 'canary' }] },
    });
    const router = createIstioTrafficRouter({
      virtualService: { name, routes: ['primary'] },
      destinationRule: { name: `${name}-dr`, canarySubsetName: 'canary', stableSubsetName: 'stable' },
      managedRoutes: [{ name: 'hdr' }],
      namespace: ns,
      kubeConfig: server.kubeConfig(),
    });
    await router.apply(
      state({ canaryWeight: 10, headerRoutes: [{ name: 'hdr', match: [{ headerName: 'v', headerValue: { exact: '2' } }] }] }),
      realCall(),
    );
    const stored = server.get('virtualservices', ns, name) as unknown as VirtualService;
    expect(stored.spec.http?.[0]?.route?.[0]?.destination).toEqual({ host: 'reviews', subset: 'canary' });
  });
});

describe('errors a person can act on', () => {
  it('VirtualService not found: name and namespace, not retryable', async () => {
    const error = await failure(hostRouter('no-such-vs').apply(state({ canaryWeight: 10 }), realCall()));
    expect(error).toBeInstanceOf(TrafficRouterError);
    expect(error.message).toBe(
      "VirtualService 'no-such-vs' in namespace 'default' not found (virtualservices.networking.istio.io); create it or fix trafficRouting.istio",
    );
    expect((error as TrafficRouterError).retryable).toBe(false);
  });

  it('an unknown route lists the ones that exist; a missing destination names the route', async () => {
    const name = uniqueName('routes');
    server.seed('virtualservices', ns, hostLevelVirtualService(name) as never);
    const unknown = await failure(
      createIstioTrafficRouter({
        virtualService: { name, routes: ['primry'] },
        canaryService: 'canary-svc',
        stableService: 'stable-svc',
        namespace: ns,
        kubeConfig: server.kubeConfig(),
      }).apply(state(), realCall()),
    );
    expect(unknown.message).toBe(
      `HTTP route 'primry' is not found in VirtualService 'default/${name}'; its http routes are: 'primary', 'user-owned'`,
    );
    const missing = await failure(hostRouter(name, { canaryService: 'canary-v2' }).apply(state(), realCall()));
    expect(missing.message).toMatch(
      `Canary Service 'canary-v2' not found in http route 'primary' of VirtualService 'default/${name}'`,
    );
    expect(server.acceptedWrites(name)).toBe(0);
  });

  it('forbidden: which verb on which resource', async () => {
    const name = uniqueName('forbidden');
    server.seed('virtualservices', ns, hostLevelVirtualService(name) as never);
    server.forbid('update', 'virtualservices');
    try {
      const error = await failure(hostRouter(name).apply(state({ canaryWeight: 10 }), realCall()));
      expect(GradualError.hasCode(error, 'FORBIDDEN')).toBe(true);
      expect(error.message).toMatch(
        new RegExp(
          `^forbidden to update virtualservices.networking.istio.io '${name}' in namespace 'default'; grant the verb "update" on "virtualservices".*cannot update resource "virtualservices"`,
        ),
      );
    } finally {
      server.allow();
    }
  });

  it('an object the API server rejects (422): its message, not retried', async () => {
    const name = uniqueName('rejected');
    server.seed('virtualservices', ns, hostLevelVirtualService(name) as never);
    const message = `VirtualService.networking.istio.io "${name}" is invalid: spec: admission webhook "validation.istio.io" denied the request`;
    server.inject({ fault: { kind: 'status', code: 422, reason: 'Invalid', message }, verbs: ['update'], name });
    const error = await failure(hostRouter(name).apply(state({ canaryWeight: 10 }), fastCall()));
    expect(error.message).toBe(`the API server rejected VirtualService '${name}' in namespace 'default': ${message}`);
    expect(server.requests.filter((r) => r.name === name && r.verb === 'update')).toHaveLength(1);
  });

  it("checks Istio's schema before writing: an invalid object never reaches the server", async () => {
    const name = uniqueName('schema');
    const vs = hostLevelVirtualService(name);
    (vs.spec.http![1] as Record<string, unknown>).mirrorPercentage = { value: 'lots' };
    server.seed('virtualservices', ns, vs as never);
    const error = await failure(hostRouter(name).apply(state({ canaryWeight: 10 }), realCall()));
    expect(GradualError.hasCode(error, 'ISTIO_SCHEMA')).toBe(true);
    expect(error.message).toMatch(/spec.http\[1\].mirrorPercentage.value must be number/);
    expect(server.requests.filter((r) => r.name === name && r.verb === 'update')).toHaveLength(0);
  });

  it('500s and dropped connections are retried with backoff; a lasting outage is reported', async () => {
    const name = uniqueName('flaky');
    server.seed('virtualservices', ns, hostLevelVirtualService(name) as never);
    server.inject({ fault: { kind: 'status', code: 500 }, verbs: ['get'], name });
    server.inject({ fault: { kind: 'drop' }, verbs: ['update'], name });
    const result = await hostRouter(name).apply(state({ canaryWeight: 10 }), fastCall());
    expect(result.changed).toBe(true);
    expect(weightsIn(server, ns, name, 'primary')).toEqual({ 'stable-svc': 90, 'canary-svc': 10 });
    server.inject({
      fault: { kind: 'status', code: 503, message: 'etcdserver: leader changed' },
      verbs: ['get'],
      name,
      times: 3,
    });
    const error = await failure(hostRouter(name, { maxAttempts: 3 }).apply(state({ canaryWeight: 20 }), fastCall()));
    expect(error.message).toMatch(
      /failed to get VirtualService .* \(HTTP 503\): etcdserver: leader changed \(gave up after 3 attempts\)/,
    );
  });

  it('a timeout (on the injected clock) names the call', async () => {
    const name = uniqueName('timeout');
    server.seed('virtualservices', ns, hostLevelVirtualService(name) as never);
    server.inject({ fault: { kind: 'hang' }, verbs: ['get'], name });
    const clock = createFakeClock();
    const pending = failure(
      hostRouter(name, { requestTimeoutMs: 5000, maxAttempts: 1 }).apply(state({ canaryWeight: 10 }), {
        signal: new AbortController().signal,
        clock,
      }),
    );
    await waitFor(() => server.requests.some((r) => r.name === name && r.status === -2));
    await clock.advance(5000);
    const error = await pending;
    expect(GradualError.hasCode(error, 'TIMEOUT')).toBe(true);
    expect(error.message).toBe(`timed out after 5000 ms: get VirtualService '${name}' in namespace 'default'`);
  });

  it('the AbortSignal cancels a call in flight', async () => {
    const name = uniqueName('abort');
    server.seed('virtualservices', ns, hostLevelVirtualService(name) as never);
    server.inject({ fault: { kind: 'hang' }, verbs: ['get'], name });
    const controller = new AbortController();
    const abandonedBefore = server.abandoned;
    const pending = failure(hostRouter(name).apply(state({ canaryWeight: 10 }), realCall(controller.signal)));
    await waitFor(() => server.requests.some((r) => r.name === name && r.status === -2));
    controller.abort(new Error('rollout stopped'));
    const error = await pending;
    expect(CancelledError.isCancellation(error)).toBe(true);
    expect(error.message).toMatch(/istio get of VirtualService/);
    await waitFor(() => server.abandoned > abandonedBefore);
    expect(server.acceptedWrites(name)).toBe(0);
  });
});
