import { GradualError, type TrafficState } from '@gradual/core';
import { describe, expect, it } from 'vitest';
import { type HttpRoute, type IstioRoutingConfig, renderVirtualService, type VirtualService } from '../src/index.js';
import { state } from './support/states.js';

const hostLevel: IstioRoutingConfig = {
  canaryService: 'canary-svc',
  stableService: 'stable-svc',
  virtualService: { name: 'vsvc', routes: ['primary'] },
};

const split = (stable: number, canary: number) => [
  { destination: { host: 'stable-svc' }, weight: stable },
  { destination: { host: 'canary-svc' }, weight: canary },
];

const vs = (http: HttpRoute[], extra: Partial<VirtualService['spec']> = {}): VirtualService => ({
  apiVersion: 'networking.istio.io/v1beta1',
  kind: 'VirtualService',
  metadata: { name: 'vsvc', namespace: 'default', resourceVersion: '7' },
  spec: { hosts: ['app.example.com'], http, ...extra },
});

// istio_test.go regularVsvc: primary and secondary, both stable 100 / canary 0.
const regular = () =>
  vs([
    { name: 'primary', route: split(100, 0) },
    { name: 'secondary', route: split(100, 0) },
  ]);

const weightsOf = (route: HttpRoute | undefined) =>
  Object.fromEntries(
    (route?.route ?? []).map((d) => [`${d.destination.host}${d.destination.subset ? `/${d.destination.subset}` : ''}`, d.weight]),
  );

describe('renderVirtualService: weights (§7.3)', () => {
  const rows: {
    source: string;
    config?: Partial<IstioRoutingConfig>;
    current: VirtualService;
    desired: TrafficState;
    primary: Record<string, number | undefined>;
    secondary?: Record<string, number | undefined>;
  }[] = [
    {
      // istio_test.go TestHttpReconcileWeightsBaseCase: routes [primary], desired 10 => primary 10/90, secondary untouched.
      source: 'istio_test.go regularVsvc, desired 10',
      current: regular(),
      desired: state({ canaryWeight: 10 }),
      primary: { 'stable-svc': 90, 'canary-svc': 10 },
      secondary: { 'stable-svc': 100, 'canary-svc': 0 },
    },
    {
      // §7.3: experiment destination appended with its weight, taken from stable.
      source: 'istio_test.go experiment: desired 10 + exp-svc 20 => 70/10/20',
      current: regular(),
      desired: state({ canaryWeight: 10, experiments: [{ name: 'exp', serviceName: 'exp-svc', weight: 20 }] }),
      primary: { 'stable-svc': 70, 'canary-svc': 10, 'exp-svc': 20 },
    },
    {
      // §7.3: a weighted destination nobody asks for any more (a finished experiment) is deleted.
      source: 'istio_test.go experiment removed on the next call => 90/10',
      current: vs([{ name: 'primary', route: [...split(70, 10), { destination: { host: 'exp-svc' }, weight: 20 }] }]),
      desired: state({ canaryWeight: 10 }),
      primary: { 'stable-svc': 90, 'canary-svc': 10 },
    },
    {
      source: 'istio_test.go two experiment services 20 + 20 => stable 50',
      current: regular(),
      desired: state({
        canaryWeight: 10,
        experiments: [
          { name: 'exp-b', weight: 20 },
          { name: 'exp-a', weight: 20 },
        ],
      }),
      primary: { 'stable-svc': 50, 'canary-svc': 10, 'exp-a': 20, 'exp-b': 20 },
    },
    {
      // §7.3: zero-weight unknown destinations are left where they are.
      source: '§7.3 zero-weight unknown destination left',
      current: vs([{ name: 'primary', route: [...split(100, 0), { destination: { host: 'parked' }, weight: 0 }] }]),
      desired: state({ canaryWeight: 30 }),
      primary: { 'stable-svc': 70, 'canary-svc': 30, parked: 0 },
    },
    {
      // §7.1 additionalSubsetNames: keeps its weight, subtracted from stable.
      source: 'istio_test.go additionalSubset stable-subset 20 on another host, desired 10 => 70/10/20',
      config: {
        canaryService: undefined,
        stableService: undefined,
        destinationRule: {
          name: 'dr',
          canarySubsetName: 'canary',
          stableSubsetName: 'stable',
          additionalSubsetNames: ['stable-subset'],
        },
      },
      current: vs([
        {
          name: 'primary',
          route: [
            { destination: { host: 'app', subset: 'stable' }, weight: 80 },
            { destination: { host: 'app', subset: 'canary' }, weight: 0 },
            { destination: { host: 'other', subset: 'stable-subset' }, weight: 20 },
          ],
        },
      ]),
      desired: state({ canaryWeight: 10 }),
      primary: { 'app/stable': 70, 'app/canary': 10, 'other/stable-subset': 20 },
    },
    {
      source: 'canary 100 (last step) => stable 0',
      current: regular(),
      desired: state({ canaryWeight: 100 }),
      primary: { 'stable-svc': 0, 'canary-svc': 100 },
    },
  ];
  for (const row of rows) {
    it(row.source, () => {
      const out = renderVirtualService(row.current, { ...hostLevel, ...row.config }, row.desired);
      expect(weightsOf(out.spec.http?.find((r) => r.name === 'primary'))).toEqual(row.primary);
      if (row.secondary) expect(weightsOf(out.spec.http?.find((r) => r.name === 'secondary'))).toEqual(row.secondary);
    });
  }

  it('appends missing experiment destinations sorted by host, after the existing ones', () => {
    const out = renderVirtualService(
      regular(),
      hostLevel,
      state({
        canaryWeight: 10,
        experiments: [
          { name: 'zeta', weight: 5 },
          { name: 'alpha', weight: 5 },
        ],
      }),
    );
    expect(out.spec.http?.[0]?.route?.map((d) => d.destination.host)).toEqual(['stable-svc', 'canary-svc', 'alpha', 'zeta']);
  });

  it('hosts match by short name (text before the first dot), as Argo compares them', () => {
    const current = vs([
      {
        name: 'primary',
        route: [
          { destination: { host: 'stable-svc.default.svc.cluster.local', port: { number: 80 } }, weight: 100 },
          { destination: { host: 'canary-svc.default.svc.cluster.local', port: { number: 80 } }, weight: 0 },
        ],
      },
    ]);
    const out = renderVirtualService(current, hostLevel, state({ canaryWeight: 25 }));
    expect(out.spec.http?.[0]?.route?.map((d) => d.weight)).toEqual([75, 25]);
    expect(out.spec.http?.[0]?.route?.[0]?.destination).toEqual({
      host: 'stable-svc.default.svc.cluster.local',
      port: { number: 80 },
    });
  });

  it('leaves the input untouched and keeps unknown fields', () => {
    const current = vs([{ name: 'primary', route: split(100, 0), timeout: '3s', retries: { attempts: 3 } }], {
      gateways: ['gw'],
    });
    const before = structuredClone(current);
    const out = renderVirtualService(current, hostLevel, state({ canaryWeight: 20 }));
    expect(current).toEqual(before);
    expect(out.spec.gateways).toEqual(['gw']);
    expect(out.spec.http?.[0]).toMatchObject({ timeout: '3s', retries: { attempts: 3 } });
    expect(out.metadata).toEqual(current.metadata);
  });

  it('renders the same object again when nothing changes (idempotent)', () => {
    const once = renderVirtualService(regular(), hostLevel, state({ canaryWeight: 20 }));
    expect(renderVirtualService(once, hostLevel, state({ canaryWeight: 20 }))).toEqual(once);
  });
});

describe('renderVirtualService: route selection (§7.2)', () => {
  // istio_test.go TestGetHttpRouteIndexesToPatch, with gradual's loud error where Argo guesses.
  const rows: {
    source: string;
    routes: string[] | undefined;
    http: (string | undefined)[];
    managed?: string[];
    expected: number[] | RegExp;
  }[] = [
    { source: '([foo, bar], [foo, bar]) => [0, 1]', routes: ['foo', 'bar'], http: ['foo', 'bar'], expected: [0, 1] },
    { source: '([], [foo]) => [0]', routes: undefined, http: ['foo'], expected: [0] },
    {
      source: '([bar], [foo]) => error',
      routes: ['bar'],
      http: ['foo'],
      expected: /HTTP route 'bar' is not found in VirtualService 'default\/vsvc'; its http routes are: 'foo'/,
    },
    {
      source: '([], [foo, ""]) with foo managed => [1]',
      routes: undefined,
      http: ['foo', undefined],
      managed: ['foo'],
      expected: [1],
    },
    {
      // Argo picks the first unnamed route here, and silently does nothing when all are named (#4741): gradual refuses.
      source: '([], [foo, ""]) => Argo [1]; gradual: error naming the routes',
      routes: undefined,
      http: ['foo', undefined],
      expected: /VirtualService 'default\/vsvc' needs its http route names listed .* its http routes are: 'foo', #1 \(unnamed\)/,
    },
    { source: '#4741: routes omitted, all named => error', routes: undefined, http: ['a', 'b'], expected: /'a', 'b'/ },
  ];
  for (const row of rows) {
    it(row.source, () => {
      const config: IstioRoutingConfig = {
        ...hostLevel,
        virtualService: { name: 'vsvc', ...(row.routes ? { routes: row.routes } : {}) },
        ...(row.managed ? { managedRoutes: row.managed.map((name) => ({ name })) } : {}),
      };
      const current = vs(row.http.map((name, tag) => ({ ...(name ? { name } : {}), tag, route: split(100, 0) })));
      const render = () => renderVirtualService(current, config, state({ canaryWeight: 10 }));
      if (row.expected instanceof RegExp) {
        expect(render).toThrow(row.expected);
        return;
      }
      const out = render();
      // `tag` is an unknown field the renderer keeps: it identifies the original route.
      const changed = (out.spec.http ?? []).flatMap((route) => (route.route?.[1]?.weight === 10 ? [route.tag] : []));
      expect(changed).toEqual(row.expected);
    });
  }

  it('a route without the canary destination is an error naming the route and its destinations', () => {
    const current = vs([{ name: 'primary', route: [{ destination: { host: 'stable-svc' }, weight: 100 }] }]);
    expect(() => renderVirtualService(current, hostLevel, state({ canaryWeight: 10 }))).toThrow(
      "Canary Service 'canary-svc' not found in http route 'primary' of VirtualService 'default/vsvc'; its destinations are: stable-svc=100",
    );
  });

  it('subset-level: a missing stable subset is named', () => {
    const config: IstioRoutingConfig = {
      virtualService: { name: 'vsvc', routes: ['primary'] },
      destinationRule: { name: 'dr', canarySubsetName: 'canary', stableSubsetName: 'stable' },
    };
    const current = vs([{ name: 'primary', route: [{ destination: { host: 'app', subset: 'canary' }, weight: 100 }] }]);
    const error = (() => {
      try {
        renderVirtualService(current, config, state());
      } catch (e) {
        return e;
      }
    })();
    expect(GradualError.hasCode(error, 'ISTIO_DESTINATION_NOT_FOUND')).toBe(true);
    expect(String(error)).toContain("Stable DestinationRule subset 'stable' not found in http route 'primary'");
  });

  it('tls routes are selected by port and SNI hosts, tcp routes by port; others untouched', () => {
    const config: IstioRoutingConfig = {
      ...hostLevel,
      virtualService: {
        name: 'vsvc',
        tlsRoutes: [{ port: 443, sniHosts: ['b.example.com', 'a.example.com'] }],
        tcpRoutes: [{ port: 5432 }],
      },
    };
    const current = vs([], {
      tls: [
        { match: [{ port: 443, sniHosts: ['c.example.com'] }], route: split(100, 0) },
        { match: [{ port: 443, sniHosts: ['a.example.com', 'b.example.com'] }], route: split(100, 0) },
      ],
      tcp: [
        { match: [{ port: 5432 }], route: split(100, 0) },
        { match: [{ port: 6379 }], route: split(100, 0) },
      ],
    });
    const out = renderVirtualService(current, config, state({ canaryWeight: 40 }));
    expect(out.spec.tls?.map((r) => r.route?.map((d) => d.weight))).toEqual([
      [100, 0],
      [60, 40],
    ]);
    expect(out.spec.tcp?.map((r) => r.route?.map((d) => d.weight))).toEqual([
      [60, 40],
      [100, 0],
    ]);
    expect(out.spec.http).toEqual([]);
  });

  it('an unknown tls route lists the ones that exist', () => {
    const config: IstioRoutingConfig = { ...hostLevel, virtualService: { name: 'vsvc', tlsRoutes: [{ port: 8443 }] } };
    const current = vs([], { tls: [{ match: [{ port: 443, sniHosts: ['a.example.com'] }], route: split(100, 0) }] });
    expect(() => renderVirtualService(current, config, state())).toThrow(
      /TLS route with port 8443 .* not found .* its tls routes are: #0 \(port 443 sniHosts \[a.example.com\]\)/,
    );
  });

  it('several VirtualServices: each object is rendered with its own routes', () => {
    const config: IstioRoutingConfig = {
      ...hostLevel,
      virtualService: undefined,
      virtualServices: [
        { name: 'vsvc', routes: ['primary'] },
        { name: 'other.team-b', routes: ['main'] },
      ],
    };
    const other: VirtualService = {
      metadata: { name: 'other', namespace: 'team-b' },
      spec: { http: [{ name: 'main', route: split(100, 0) }] },
    };
    expect(renderVirtualService(other, config, state({ canaryWeight: 5 })).spec.http?.[0]?.route?.map((d) => d.weight)).toEqual([
      95, 5,
    ]);
    expect(
      renderVirtualService(regular(), config, state({ canaryWeight: 5 })).spec.http?.[0]?.route?.map((d) => d.weight),
    ).toEqual([95, 5]);
    const stranger: VirtualService = { metadata: { name: 'stranger' }, spec: { http: [] } };
    expect(() => renderVirtualService(stranger, config, state())).toThrow(
      /'stranger' is not one of trafficRouting.istio's: vsvc, other.team-b/,
    );
  });

  it('refuses weights Istio cannot express or that add up to more than 100', () => {
    expect(() => renderVirtualService(regular(), hostLevel, state({ canaryWeight: 12.5 }))).toThrow(/whole number/);
    expect(() =>
      renderVirtualService(regular(), hostLevel, state({ canaryWeight: 90, experiments: [{ name: 'e', weight: 20 }] })),
    ).toThrow(/canary 90 \+ experiments 20 \+ additional subsets 0 = 110, more than 100/);
  });

  it('refuses both virtualService and virtualServices', () => {
    expect(() => renderVirtualService(regular(), { ...hostLevel, virtualServices: [{ name: 'x' }] }, state())).toThrow(
      /either virtualService or virtualServices/,
    );
  });
});

describe('renderVirtualService: managed routes (§7.4, §7.5)', () => {
  const managed: IstioRoutingConfig = { ...hostLevel, managedRoutes: [{ name: 'hdr' }] };

  it('§7.5: setWeight 20 then setHeaderRoute hdr (host-level)', () => {
    // reference §7.5 data: input canaryService canary-svc, stableService stable-svc, routes [primary], managedRoutes [hdr].
    const current = vs([
      { name: 'primary', route: split(100, 0) },
      { name: 'other', route: split(100, 0) },
    ]);
    const afterWeight = renderVirtualService(current, managed, state({ canaryWeight: 20 }));
    expect(afterWeight.spec.http).toEqual([
      { name: 'primary', route: split(80, 20) },
      { name: 'other', route: split(100, 0) },
    ]);
    const afterHeader = renderVirtualService(
      afterWeight,
      managed,
      state({
        canaryWeight: 20,
        headerRoutes: [{ name: 'hdr', match: [{ headerName: 'version', headerValue: { exact: '2' } }] }],
      }),
    );
    expect(afterHeader.spec.http).toEqual([
      {
        name: 'hdr',
        match: [{ headers: { version: { exact: '2' } } }],
        route: [{ destination: { host: 'canary-svc' }, weight: 100 }],
      },
      { name: 'primary', route: split(80, 20) },
      { name: 'other', route: split(100, 0) },
    ]);
  });

  it('§7.5 subset-level equivalent: header route goes to the canary subset of the route host', () => {
    const config: IstioRoutingConfig = {
      virtualService: { name: 'vsvc', routes: ['primary'] },
      destinationRule: { name: 'dr', canarySubsetName: 'canary', stableSubsetName: 'stable' },
      managedRoutes: [{ name: 'hdr' }],
    };
    const current = vs([
      {
        name: 'primary',
        route: [
          { destination: { host: 'app-svc', subset: 'stable', port: { number: 8080 } }, weight: 100 },
          { destination: { host: 'app-svc', subset: 'canary', port: { number: 8080 } }, weight: 0 },
        ],
      },
    ]);
    const out = renderVirtualService(
      current,
      config,
      state({
        canaryWeight: 20,
        headerRoutes: [{ name: 'hdr', match: [{ headerName: 'version', headerValue: { exact: '2' } }] }],
      }),
    );
    expect(out.spec.http?.[0]).toEqual({
      name: 'hdr',
      match: [{ headers: { version: { exact: '2' } } }],
      route: [{ destination: { host: 'app-svc', subset: 'canary', port: { number: 8080 } }, weight: 100 }],
    });
    expect(weightsOf(out.spec.http?.[1])).toEqual({ 'app-svc/stable': 80, 'app-svc/canary': 20 });
  });

  // §7.4: one match entry per match[] item (ORed); exactly one of exact / prefix / regex.
  const headerRows: { source: string; value: { exact?: string; prefix?: string; regex?: string } }[] = [
    { source: '§7.4 header exact', value: { exact: 'Alexandra' } },
    { source: '§7.4 header prefix', value: { prefix: 'Alex' } },
    { source: '§7.4 header regex', value: { regex: '^Alex.*' } },
  ];
  for (const row of headerRows) {
    it(row.source, () => {
      const out = renderVirtualService(
        regular(),
        managed,
        state({
          headerRoutes: [
            {
              name: 'hdr',
              match: [
                { headerName: 'end-user', headerValue: row.value },
                { headerName: 'x-canary', headerValue: { exact: 'yes' } },
              ],
            },
          ],
        }),
      );
      expect(out.spec.http?.[0]?.match).toEqual([
        { headers: { 'end-user': row.value } },
        { headers: { 'x-canary': { exact: 'yes' } } },
      ]);
    });
  }

  it('§7.4 a header match with two kinds of value is refused', () => {
    expect(() =>
      renderVirtualService(
        regular(),
        managed,
        state({ headerRoutes: [{ name: 'hdr', match: [{ headerName: 'a', headerValue: { exact: 'x', prefix: 'y' } }] }] }),
      ),
    ).toThrow(/exactly one of exact, prefix, regex \(got exact, prefix\)/);
  });

  it('§7.4 mirror route shape: match (method, uri from path, headers), copy of the weighted route, mirror, mirrorPercentage', () => {
    const config: IstioRoutingConfig = { ...hostLevel, managedRoutes: [{ name: 'mirror' }] };
    const current = vs([
      { name: 'primary', route: split(100, 0).map((d) => ({ ...d, destination: { ...d.destination, port: { number: 80 } } })) },
    ]);
    const out = renderVirtualService(
      current,
      config,
      state({
        canaryWeight: 10,
        mirrorRoutes: [
          {
            name: 'mirror',
            percentage: 35,
            match: [
              { method: { exact: 'GET' }, path: { prefix: '/api' }, headers: { 'x-test': { regex: 'y.*' } } },
              { method: { exact: 'HEAD' } },
            ],
          },
        ],
      }),
    );
    expect(out.spec.http?.[0]).toEqual({
      name: 'mirror',
      match: [
        { method: { exact: 'GET' }, uri: { prefix: '/api' }, headers: { 'x-test': { regex: 'y.*' } } },
        { method: { exact: 'HEAD' } },
      ],
      route: [
        { destination: { host: 'stable-svc', port: { number: 80 } }, weight: 90 },
        { destination: { host: 'canary-svc', port: { number: 80 } }, weight: 10 },
      ],
      mirror: { host: 'canary-svc', port: { number: 80 } },
      mirrorPercentage: { value: 35 },
    });
  });

  it('istio_test.go mirror order: managedRoutes [m2, m3, m1] then SetWeight 40 => m2, m3, m1, primary, secondary', () => {
    const config: IstioRoutingConfig = { ...hostLevel, managedRoutes: [{ name: 'm2' }, { name: 'm3' }, { name: 'm1' }] };
    const mirror = (name: string) => ({ name, percentage: 100, match: [{ method: { exact: 'GET' } }] });
    const withMirrors = renderVirtualService(
      regular(),
      config,
      state({ mirrorRoutes: [mirror('m1'), mirror('m2'), mirror('m3')] }),
    );
    const out = renderVirtualService(
      withMirrors,
      config,
      state({ canaryWeight: 40, mirrorRoutes: [mirror('m1'), mirror('m2'), mirror('m3')] }),
    );
    expect(out.spec.http?.map((r) => r.name)).toEqual(['m2', 'm3', 'm1', 'primary', 'secondary']);
    expect(weightsOf(out.spec.http?.[0])).toEqual({ 'stable-svc': 60, 'canary-svc': 40 });
  });

  it('managed routes leave when the desired state drops them; user routes keep their order', () => {
    const config: IstioRoutingConfig = { ...hostLevel, managedRoutes: [{ name: 'hdr' }, { name: 'mirror' }] };
    const current = vs([
      { name: 'zzz-user', route: [{ destination: { host: 'legacy' } }] },
      { name: 'primary', route: split(100, 0) },
      { name: 'aaa-user', route: [{ destination: { host: 'legacy' } }] },
    ]);
    const full = state({
      canaryWeight: 10,
      headerRoutes: [{ name: 'hdr', match: [{ headerName: 'a', headerValue: { exact: '1' } }] }],
      mirrorRoutes: [{ name: 'mirror', percentage: 50, match: [] }],
    });
    const withBoth = renderVirtualService(current, config, full);
    expect(withBoth.spec.http?.map((r) => r.name)).toEqual(['hdr', 'mirror', 'zzz-user', 'primary', 'aaa-user']);
    expect(withBoth.spec.http?.[1]?.match).toBeUndefined();
    const headerOnly = renderVirtualService(withBoth, config, { ...full, mirrorRoutes: [] });
    expect(headerOnly.spec.http?.map((r) => r.name)).toEqual(['hdr', 'zzz-user', 'primary', 'aaa-user']);
    const none = renderVirtualService(headerOnly, config, state());
    expect(none.spec.http?.map((r) => r.name)).toEqual(['zzz-user', 'primary', 'aaa-user']);
    expect(none.spec.http?.[1]?.route).toEqual(split(100, 0));
  });

  it('a managed route that is not in managedRoutes is refused', () => {
    expect(() => renderVirtualService(regular(), hostLevel, state({ headerRoutes: [{ name: 'hdr', match: [] }] }))).toThrow(
      /route 'hdr' for VirtualService 'default\/vsvc' is not listed in trafficRouting.managedRoutes \(none\)/,
    );
  });
});

describe('renderVirtualService: review fixes', () => {
  it('a bare name resolves in the router namespace, name.namespace in its own, whatever the object namespace', () => {
    // Two VirtualServices called 'same': 'default/same' (routes [primary]) and 'edge/same' (routes [ingress]).
    const config: IstioRoutingConfig = {
      ...hostLevel,
      virtualService: undefined,
      virtualServices: [
        { name: 'same', routes: ['primary'] },
        { name: 'same.edge', routes: ['ingress'] },
      ],
    };
    const edge: VirtualService = {
      metadata: { name: 'same', namespace: 'edge' },
      spec: { http: [{ name: 'ingress', route: split(100, 0) }] },
    };
    const home: VirtualService = {
      metadata: { name: 'same', namespace: 'default' },
      spec: { http: [{ name: 'primary', route: split(100, 0) }] },
    };
    for (const options of [{ namespace: 'default' }, {}]) {
      expect(weightsOf(renderVirtualService(edge, config, state({ canaryWeight: 10 }), options).spec.http?.[0])).toEqual({
        'stable-svc': 90,
        'canary-svc': 10,
      });
      expect(weightsOf(renderVirtualService(home, config, state({ canaryWeight: 10 }), options).spec.http?.[0])).toEqual({
        'stable-svc': 90,
        'canary-svc': 10,
      });
    }
    // A bare name is in the router namespace only: 'other/same' is none of them.
    expect(() =>
      renderVirtualService({ ...home, metadata: { name: 'same', namespace: 'other' } }, config, state(), {
        namespace: 'default',
      }),
    ).toThrow(/VirtualService 'other\/same' is not one of trafficRouting.istio's: same, same.edge/);
  });

  it("another router's managed routes above the split route keep their place; ours join on top, so re-renders are no-ops", () => {
    // Routers A (routes [team-a], managedRoutes [hdr-a]) and B (routes [team-b], managedRoutes [hdr-b]) share one VirtualService.
    const a: IstioRoutingConfig = {
      ...hostLevel,
      virtualService: { name: 'vsvc', routes: ['team-a'] },
      managedRoutes: [{ name: 'hdr-a' }],
    };
    const b: IstioRoutingConfig = {
      ...hostLevel,
      virtualService: { name: 'vsvc', routes: ['team-b'] },
      managedRoutes: [{ name: 'hdr-b' }],
    };
    const header = (name: string) => ({ name, match: [{ headerName: 'x-team', headerValue: { exact: name } }] });
    const forA = state({ canaryWeight: 10, headerRoutes: [header('hdr-a')] });
    const forB = state({ canaryWeight: 30, headerRoutes: [header('hdr-b')] });
    let current = vs([
      { name: 'team-a', route: split(100, 0) },
      { name: 'team-b', route: split(100, 0) },
    ]);
    current = renderVirtualService(current, a, forA);
    current = renderVirtualService(current, b, forB);
    expect(current.spec.http?.map((r) => r.name)).toEqual(['hdr-b', 'hdr-a', 'team-a', 'team-b']);
    expect(renderVirtualService(current, a, forA)).toEqual(current);
    expect(renderVirtualService(current, b, forB)).toEqual(current);
    // Ours below the split route (moved by hand) go back on top, as Argo puts them.
    const moved = vs([...current.spec.http!.filter((r) => r.name !== 'hdr-a'), current.spec.http![1]!]);
    expect(renderVirtualService(moved, a, forA).spec.http?.map((r) => r.name)).toEqual(['hdr-a', 'hdr-b', 'team-a', 'team-b']);
  });

  it('§7.2 tls: exactly one port and the identical SNI set over all matches; no port nor SNI picks the only route', () => {
    const config = (tlsRoutes: { port?: number; sniHosts?: string[] }[]): IstioRoutingConfig => ({
      ...hostLevel,
      virtualService: { name: 'vsvc', tlsRoutes },
    });
    const current = vs([], {
      tls: [
        // Two ports: never picked by port (Argo's portsMap must have exactly one entry).
        {
          match: [
            { port: 443, sniHosts: ['a.example.com'] },
            { port: 8443, sniHosts: ['a.example.com'] },
          ],
          route: split(100, 0),
        },
        // SNI hosts split over two matches: the set is {a, b}.
        {
          match: [
            { port: 443, sniHosts: ['a.example.com'] },
            { port: 443, sniHosts: ['b.example.com'] },
          ],
          route: split(100, 0),
        },
      ],
    });
    const weights = (out: VirtualService) => out.spec.tls?.map((r) => r.route?.map((d) => d.weight));
    expect(weights(renderVirtualService(current, config([{ port: 443 }]), state({ canaryWeight: 5 })))).toEqual([
      [100, 0],
      [95, 5],
    ]);
    expect(
      weights(
        renderVirtualService(current, config([{ sniHosts: ['b.example.com', 'a.example.com'] }]), state({ canaryWeight: 5 })),
      ),
    ).toEqual([
      [100, 0],
      [95, 5],
    ]);
    expect(() => renderVirtualService(current, config([{ port: 443, sniHosts: ['a.example.com'] }]), state())).toThrow(
      /TLS route with port 443 and sniHosts \[a.example.com\] is not found/,
    );
    expect(() => renderVirtualService(current, config([{}]), state())).toThrow(/TLS route with port \(any\)/);
  });

  it('§7.4 subset-level: header and mirror routes go to the DestinationRule host', () => {
    const config: IstioRoutingConfig = {
      virtualService: { name: 'vsvc', routes: ['primary'] },
      destinationRule: { name: 'dr', canarySubsetName: 'canary', stableSubsetName: 'stable' },
      managedRoutes: [{ name: 'hdr' }, { name: 'mir' }],
    };
    const current = vs([
      {
        name: 'primary',
        route: [
          { destination: { host: 'app-svc.default.svc.cluster.local', subset: 'stable' }, weight: 100 },
          { destination: { host: 'app-svc.default.svc.cluster.local', subset: 'canary' }, weight: 0 },
        ],
      },
    ]);
    const out = renderVirtualService(
      current,
      config,
      state({
        canaryWeight: 20,
        headerRoutes: [{ name: 'hdr', match: [{ headerName: 'version', headerValue: { exact: '2' } }] }],
        mirrorRoutes: [{ name: 'mir', percentage: 50, match: [] }],
      }),
      { destinationRuleHost: 'app-svc' },
    );
    expect(out.spec.http?.[0]?.route?.[0]?.destination).toEqual({ host: 'app-svc', subset: 'canary' });
    expect(out.spec.http?.[1]?.mirror).toEqual({ host: 'app-svc', subset: 'canary' });
  });
});
