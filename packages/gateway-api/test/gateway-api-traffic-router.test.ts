import { CancelledError, GradualError, parseRollout, TrafficRouterError } from '@gradual/core';
import { type KubeApiServer, startKubeApiServer } from '@gradual/kube-api-test-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGatewayApiTrafficRouter, type GRPCRoute, gatewayApiRoutingFromRollout, type HTTPRoute } from '../src/index.js';
import { fastCall, realCall, uniqueName } from './support/fixture.js';
import { base, httpRoute, sharesOf } from './support/routes.js';

let server: KubeApiServer;
beforeAll(async () => {
  server = await startKubeApiServer();
});
afterAll(async () => {
  await server.close();
});

const stored = (name: string, plural = 'httproutes') => server.get(plural, 'default', name) as unknown as HTTPRoute;
const headerRoute = { name: 'header-route', match: [{ headerName: 'x-canary', headerValue: { exact: 'yes' } }] };

function seededRouter(name: string, extra: Partial<Parameters<typeof createGatewayApiTrafficRouter>[0]> = {}) {
  server.seed('httproutes', 'default', httpRoute(name) as unknown as Record<string, unknown>);
  return createGatewayApiTrafficRouter({
    httpRoute: name,
    canaryService: 'app-canary',
    stableService: 'app-stable',
    managedRoutes: [{ name: 'header-route' }, { name: 'mirror-route' }],
    rolloutNamespace: 'default',
    kubeConfig: server.kubeConfig(),
    ...extra,
  });
}

describe('createGatewayApiTrafficRouter over the Kubernetes API test server', () => {
  it('a canary at 25% leaves an HTTPRoute whose backends share traffic 75/25, written once', async () => {
    const name = uniqueName('weights');
    const router = seededRouter(name);
    expect(await router.apply({ ...base, canaryWeight: 25 }, realCall())).toEqual({ changed: true });
    expect(sharesOf(stored(name).spec.rules![0]!)).toEqual({ 'app-stable': 75, 'app-canary': 25 });
    expect(await router.apply({ ...base, canaryWeight: 25 }, realCall())).toEqual({ changed: false });
    expect(server.acceptedWrites(name)).toBe(1);
    expect((await router.observe!(realCall())).canaryWeight).toBe(25);
  });

  it('a header route is a rule above the weighted one on the cluster, and is gone after completion', async () => {
    const name = uniqueName('header');
    const router = seededRouter(name);
    await router.apply({ ...base, canaryWeight: 10, headerRoutes: [headerRoute] }, realCall());
    const during = stored(name).spec.rules!;
    expect(during.map((rule) => rule.name)).toEqual(['header-route', undefined, undefined]);
    expect(during[0]!.backendRefs).toEqual([{ name: 'app-canary', port: 80 }]);
    expect((await router.observe!(realCall())).headerRoutes).toEqual([headerRoute]);
    // Completion: stable takes everything back and the managed rule is deleted.
    await router.apply(base, realCall());
    const after = stored(name).spec.rules!;
    expect(after.map((rule) => rule.name)).toEqual([undefined, undefined]);
    expect(sharesOf(after[0]!)).toEqual({ 'app-stable': 100, 'app-canary': 0 });
  });

  it('two routers racing on one HTTPRoute lose no update', async () => {
    const name = uniqueName('race');
    const route = httpRoute(name);
    // A second application on the same route, with its own rule and its own rollout.
    route.spec.rules!.push({
      matches: [{ path: { type: 'PathPrefix', value: '/b' } }],
      backendRefs: [
        { name: 'b-stable', port: 80, weight: 100 },
        { name: 'b-canary', port: 80, weight: 0 },
      ],
    });
    server.seed('httproutes', 'default', route as unknown as Record<string, unknown>);
    const common = {
      httpRoute: name,
      rolloutNamespace: 'default',
      kubeConfig: server.kubeConfig(),
      disableInProgressLabel: true,
    };
    const a = createGatewayApiTrafficRouter({
      ...common,
      canaryService: 'app-canary',
      stableService: 'app-stable',
      managedRoutes: [{ name: 'a-header' }],
    });
    const b = createGatewayApiTrafficRouter({
      ...common,
      canaryService: 'b-canary',
      stableService: 'b-stable',
      managedRoutes: [{ name: 'b-header' }],
    });
    for (const [weightA, weightB] of [
      [10, 60],
      [20, 70],
      [30, 80],
    ] as const) {
      // Both read before either writes (reads are held back), so one of the two writes is stale.
      server.inject({ fault: { kind: 'delay', ms: 50 }, verbs: ['get'], name, times: 2 });
      await Promise.all([
        a.apply({ ...base, canaryWeight: weightA, headerRoutes: [{ ...headerRoute, name: 'a-header' }] }, fastCall()),
        b.apply({ ...base, canaryWeight: weightB, headerRoutes: [{ ...headerRoute, name: 'b-header' }] }, fastCall()),
      ]);
      const rules = stored(name).spec.rules!;
      expect(sharesOf(rules.find((rule) => rule.backendRefs?.[0]?.name === 'app-stable')!)).toEqual({
        'app-stable': 100 - weightA,
        'app-canary': weightA,
      });
      expect(sharesOf(rules.find((rule) => rule.backendRefs?.[0]?.name === 'b-stable')!)).toEqual({
        'b-stable': 100 - weightB,
        'b-canary': weightB,
      });
      expect(
        rules
          .filter((rule) => rule.name)
          .map((rule) => rule.name)
          .sort(),
      ).toEqual(['a-header', 'b-header']);
    }
    // The race did happen: stale writes were refused with 409 and redone on a fresh read.
    expect(server.requests.filter((r) => r.name === name && r.status === 409).length).toBeGreaterThanOrEqual(3);
  });

  it('puts back a weight edited by hand and says so', async () => {
    const name = uniqueName('drift');
    const router = seededRouter(name);
    await router.apply({ ...base, canaryWeight: 30 }, realCall());
    server.edit('httproutes', 'default', name, (object) => {
      const rules = (object.spec as HTTPRoute['spec']).rules!;
      rules[0]!.backendRefs![1]!.weight = 90;
    });
    expect((await router.observe!(realCall())).canaryWeight).toBeCloseTo(100 * (90 / 160), 1);
    const result = await router.apply({ ...base, canaryWeight: 30 }, { ...realCall(), drifted: true });
    expect(result.changed).toBe(true);
    expect(result.notes).toEqual([`drift put back on HTTPRoute 'default/${name}'`]);
    expect(sharesOf(stored(name).spec.rules![0]!)).toEqual({ 'app-stable': 70, 'app-canary': 30 });
  });

  it('retries conflicts a bounded number of times, then gives up with a retryable error', async () => {
    const name = uniqueName('conflict');
    const router = seededRouter(name, { maxAttempts: 3 });
    server.inject({ fault: { kind: 'conflict' }, verbs: ['update'], name, times: 2 });
    const result = await router.apply({ ...base, canaryWeight: 5 }, fastCall());
    expect(result.notes).toEqual([`HTTPRoute 'default/${name}' written after 2 retried conflict(s) or error(s)`]);
    server.inject({ fault: { kind: 'conflict' }, verbs: ['update'], name, times: 3 });
    const error = await router.apply({ ...base, canaryWeight: 6 }, fastCall()).catch((e: unknown) => e);
    expect(TrafficRouterError.isInstance(error)).toBe(true);
    expect((error as TrafficRouterError).retryable).toBe(true);
    expect((error as Error).message).toMatch(/conflict writing HTTPRoute '.*' in namespace 'default'.*gave up after 3 attempts/);
  });

  it('writes nothing when a render is refused, and says which route and why', async () => {
    const name = uniqueName('refused');
    const router = seededRouter(name);
    const error = await router
      .apply(
        { ...base, headerRoutes: [{ name: 'header-route', match: [{ headerName: 'u', headerValue: { prefix: 'a' } }] }] },
        realCall(),
      )
      .catch((e: unknown) => e);
    expect(GradualError.isInstance(error)).toBe(true);
    expect((error as TrafficRouterError).retryable).toBe(false);
    expect((error as Error).message).toMatch(/prefix match: Gateway API has none/);
    expect(server.acceptedWrites(name)).toBe(0);
  });

  it('refuses a render that breaks Gateway API schema before writing it', async () => {
    const name = uniqueName('schema');
    const route = httpRoute(name);
    // Gateway API allows 16 rules; the header route would be the 17th.
    for (let i = route.spec.rules!.length; i < 16; i++)
      route.spec.rules!.push({
        matches: [{ path: { type: 'PathPrefix', value: `/other-${i}` } }],
        backendRefs: [{ name: 'legacy', port: 80 }],
      });
    server.seed('httproutes', 'default', route as unknown as Record<string, unknown>);
    const router = createGatewayApiTrafficRouter({
      httpRoute: name,
      canaryService: 'app-canary',
      stableService: 'app-stable',
      managedRoutes: [{ name: 'header-route' }],
      rolloutNamespace: 'default',
      kubeConfig: server.kubeConfig(),
    });
    const error = await router.apply({ ...base, headerRoutes: [headerRoute] }, realCall()).catch((e: unknown) => e);
    expect((error as TrafficRouterError).code).toBe('GATEWAY_API_SCHEMA');
    expect((error as Error).message).toMatch(
      new RegExp(
        `HTTPRoute 'default/${name}' would not match Gateway API's schema, not written: spec.rules must NOT have more than 16 items`,
      ),
    );
    expect(server.acceptedWrites(name)).toBe(0);
  });

  it('names a missing route and the block to fix', async () => {
    const router = createGatewayApiTrafficRouter({
      httpRoute: 'absent',
      canaryService: 'app-canary',
      stableService: 'app-stable',
      rolloutNamespace: 'default',
      kubeConfig: server.kubeConfig(),
    });
    const error = await router.apply(base, realCall()).catch((e: unknown) => e);
    expect((error as TrafficRouterError).code).toBe('NOT_FOUND');
    expect((error as Error).message).toMatch(
      /HTTPRoute 'absent' in namespace 'default' not found \(httproutes.gateway.networking.k8s.io\); create it or fix trafficRouting.plugins\["argoproj-labs\/gatewayAPI"\]/,
    );
  });

  it('rejects promptly as a cancellation when the signal fires mid-request', async () => {
    const name = uniqueName('cancel');
    const router = seededRouter(name);
    server.inject({ fault: { kind: 'hang' }, verbs: ['get'], name });
    const controller = new AbortController();
    const pending = router.apply({ ...base, canaryWeight: 50 }, realCall(controller.signal)).catch((e: unknown) => e);
    setTimeout(() => controller.abort(new Error('stop')), 20);
    expect(CancelledError.isCancellation(await pending)).toBe(true);
    expect(server.acceptedWrites(name)).toBe(0);
  });

  it("reads Argo's gatewayAPI plugin block unchanged: several HTTPRoutes and a GRPCRoute, header routes where useHeaderRoutes", async () => {
    const [web, api, grpc] = [uniqueName('web'), uniqueName('api'), uniqueName('grpc')];
    server.seed('httproutes', 'shop', { ...httpRoute(web), metadata: { name: web } } as unknown as Record<string, unknown>);
    server.seed('httproutes', 'shop', { ...httpRoute(api), metadata: { name: api } } as unknown as Record<string, unknown>);
    const grpcRoute: GRPCRoute = {
      metadata: { name: grpc },
      spec: {
        parentRefs: [{ name: 'gateway' }],
        rules: [
          {
            matches: [{ method: { service: 'shop.Cart' } }],
            backendRefs: [
              { name: 'app-stable', port: 9090 },
              { name: 'app-canary', port: 9090 },
            ],
          },
        ],
      },
    };
    server.seed('grpcroutes', 'shop', grpcRoute as unknown as Record<string, unknown>);
    const spec = parseRollout(`
apiVersion: argoproj.io/v1alpha1
kind: Rollout
metadata: { name: shop }
spec:
  selector: { matchLabels: { app: shop } }
  template: { metadata: { labels: { app: shop } }, spec: { containers: [{ name: shop, image: shop:2 }] } }
  strategy:
    canary:
      canaryService: app-canary
      stableService: app-stable
      trafficRouting:
        managedRoutes: [{ name: header-route }]
        plugins:
          argoproj-labs/gatewayAPI:
            namespace: shop
            httpRoutes:
              - name: ${api}
              - name: ${web}
                useHeaderRoutes: true
            grpcRoute: ${grpc}
      steps:
        - setWeight: 20
        - setHeaderRoute: { name: header-route, match: [{ headerName: x-canary, headerValue: { exact: "yes" } }] }
`);
    const config = gatewayApiRoutingFromRollout(spec);
    const router = createGatewayApiTrafficRouter({ ...config, rolloutNamespace: 'default', kubeConfig: server.kubeConfig() });
    expect(router.validate!(spec)).toEqual([]);
    await router.apply({ ...base, canaryWeight: 20, headerRoutes: [headerRoute] }, realCall());
    const names = (n: string, plural = 'httproutes') =>
      (server.get(plural, 'shop', n) as unknown as HTTPRoute).spec.rules!.map((rule) => rule.name);
    expect(names(web)).toEqual(['header-route', undefined, undefined]);
    // Read back from the route that carries managed rules, although it is not the first.
    expect((await router.observe!(realCall())).headerRoutes).toEqual([headerRoute]);
    expect(names(api)).toEqual([undefined, undefined]);
    expect(names(grpc, 'grpcroutes')).toEqual(['header-route', undefined]);
    const grpcRules = (server.get('grpcroutes', 'shop', grpc) as unknown as GRPCRoute).spec.rules!;
    expect(grpcRules[0]!.matches).toEqual([
      { method: { service: 'shop.Cart' }, headers: [{ type: 'Exact', name: 'x-canary', value: 'yes' }] },
    ]);
    expect(sharesOf(grpcRules[1]!)).toEqual({ 'app-stable': 80, 'app-canary': 20 });
    for (const n of [web, api]) {
      const weighted = (server.get('httproutes', 'shop', n) as unknown as HTTPRoute).spec.rules!.find((rule) => !rule.name);
      expect(sharesOf(weighted!)).toEqual({ 'app-stable': 80, 'app-canary': 20 });
    }
  });
});
