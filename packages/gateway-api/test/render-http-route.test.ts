import { TrafficRouterError } from '@gradual/core';
import { describe, expect, it } from 'vitest';
import { experimentBackendsAnnotation, readTrafficState, renderHttpRoute } from '../src/index.js';
import { base, config, httpRoute, sharesOf } from './support/routes.js';

const headerRoute = { name: 'header-route', match: [{ headerName: 'x-canary', headerValue: { exact: 'yes' } }] };

describe('renderHttpRoute', () => {
  it('a canary at 25% renders backends that share the weighted rule 75/25', () => {
    const rendered = renderHttpRoute(httpRoute(), config, { ...base, canaryWeight: 25 });
    const weighted = rendered.spec.rules![0]!;
    expect(weighted.backendRefs).toEqual([
      { name: 'app-stable', port: 80, weight: 75 },
      { name: 'app-canary', port: 80, weight: 25 },
    ]);
    expect(sharesOf(weighted)).toEqual({ 'app-stable': 75, 'app-canary': 25 });
    // The rule of someone else is untouched, and so are the route's other fields.
    expect(rendered.spec.rules![1]).toEqual(httpRoute().spec.rules![1]);
    expect(rendered.spec.parentRefs).toEqual(httpRoute().spec.parentRefs);
  });

  it('writes percentages over backends without weights (Gateway API default 1 would be 50/50)', () => {
    const route = httpRoute();
    for (const ref of route.spec.rules![0]!.backendRefs!) delete ref.weight;
    const rendered = renderHttpRoute(route, config, { ...base, canaryWeight: 10 });
    expect(sharesOf(rendered.spec.rules![0]!)).toEqual({ 'app-stable': 90, 'app-canary': 10 });
  });

  it('a header route is a rule above the weighted one, and is gone after completion', () => {
    const during = renderHttpRoute(httpRoute(), config, { ...base, canaryWeight: 20, headerRoutes: [headerRoute] });
    const [first, second] = during.spec.rules!;
    expect(first).toEqual({
      name: 'header-route',
      matches: [
        {
          path: { type: 'PathPrefix', value: '/' },
          headers: [{ type: 'Exact', name: 'x-canary', value: 'yes' }],
        },
      ],
      backendRefs: [{ name: 'app-canary', port: 80 }],
    });
    expect(sharesOf(second!)).toEqual({ 'app-stable': 80, 'app-canary': 20 });
    // Completion: the canary became stable, weight back to 0, no managed routes.
    const after = renderHttpRoute(during, config, base);
    expect(after.spec.rules!.map((rule) => rule.name)).toEqual([undefined, undefined]);
    expect(after.spec).toEqual(renderHttpRoute(httpRoute(), config, base).spec);
  });

  it('writes a regular expression header match and refuses a prefix match, naming the route', () => {
    const regex = renderHttpRoute(httpRoute(), config, {
      ...base,
      headerRoutes: [{ name: 'header-route', match: [{ headerName: 'user', headerValue: { regex: '^qa-.*' } }] }],
    });
    expect(regex.spec.rules![0]!.matches![0]!.headers).toEqual([{ type: 'RegularExpression', name: 'user', value: '^qa-.*' }]);
    const render = () =>
      renderHttpRoute(httpRoute(), config, {
        ...base,
        headerRoutes: [{ name: 'header-route', match: [{ headerName: 'user', headerValue: { prefix: 'qa-' } }] }],
      });
    expect(render).toThrow(TrafficRouterError);
    expect(render).toThrow(
      /header route 'header-route' match\[0\]: header 'user' uses a prefix match: Gateway API has none; write regex: '\^qa-\.\*'/,
    );
  });

  it('a mirror route is a RequestMirror rule with percent, or fraction for a share that is not whole', () => {
    const whole = renderHttpRoute(httpRoute(), config, {
      ...base,
      canaryWeight: 10,
      mirrorRoutes: [{ name: 'mirror-route', percentage: 50, match: [{ method: { exact: 'get' } }] }],
    });
    const mirror = whole.spec.rules![0]!;
    expect(mirror.name).toBe('mirror-route');
    expect(mirror.matches).toEqual([{ path: { type: 'PathPrefix', value: '/' }, method: 'GET' }]);
    // Users keep getting the weighted rule's answers; the canary gets a copy.
    expect(mirror.backendRefs).toEqual(whole.spec.rules![1]!.backendRefs);
    expect(mirror.filters).toEqual([
      { type: 'RequestMirror', requestMirror: { backendRef: { name: 'app-canary', port: 80 }, percent: 50 } },
    ]);
    const part = renderHttpRoute(httpRoute(), config, {
      ...base,
      mirrorRoutes: [{ name: 'mirror-route', percentage: 0.5, match: [] }],
    });
    expect(part.spec.rules![0]!.filters![0]!.requestMirror).toEqual({
      backendRef: { name: 'app-canary', port: 80 },
      fraction: { numerator: 500, denominator: 100_000 },
    });
  });

  it('places managed rules in managedRoutes order, whatever the order of the desired state', () => {
    const rendered = renderHttpRoute(
      httpRoute(),
      { ...config, managedRoutes: [{ name: 'mirror-route' }, { name: 'header-route' }] },
      {
        ...base,
        headerRoutes: [headerRoute],
        mirrorRoutes: [{ name: 'mirror-route', percentage: 100, match: [] }],
      },
    );
    expect(rendered.spec.rules!.map((rule) => rule.name)).toEqual(['mirror-route', 'header-route', undefined, undefined]);
    const reversed = renderHttpRoute(httpRoute(), config, {
      ...base,
      headerRoutes: [headerRoute],
      mirrorRoutes: [{ name: 'mirror-route', percentage: 100, match: [] }],
    });
    expect(reversed.spec.rules!.map((rule) => rule.name)).toEqual(['header-route', 'mirror-route', undefined, undefined]);
  });

  it('builds one managed rule per weighted rule, named as Argo names them, copying matches and filters', () => {
    const route = httpRoute();
    route.spec.rules!.push({
      matches: [{ path: { type: 'PathPrefix', value: '/api' }, headers: [{ name: 'tenant', value: 'a' }] }],
      filters: [{ type: 'RequestHeaderModifier', requestHeaderModifier: { add: [{ name: 'x', value: 'y' }] } }],
      backendRefs: [
        { name: 'app-stable', port: 81 },
        { name: 'app-canary', port: 81 },
      ],
    });
    const rendered = renderHttpRoute(route, config, { ...base, canaryWeight: 30, headerRoutes: [headerRoute] });
    const [first, second] = rendered.spec.rules!;
    expect(first!.name).toBe('header-route');
    expect(second!.name).toBe('header-route-1');
    expect(second!.matches).toEqual([
      {
        path: { type: 'PathPrefix', value: '/api' },
        headers: [
          { name: 'tenant', value: 'a' },
          { type: 'Exact', name: 'x-canary', value: 'yes' },
        ],
      },
    ]);
    expect(second!.filters).toEqual(route.spec.rules![2]!.filters);
    expect(second!.backendRefs).toEqual([{ name: 'app-canary', port: 81 }]);
    expect(sharesOf(rendered.spec.rules![4]!)).toEqual({ 'app-stable': 70, 'app-canary': 30 });
  });

  it('adds experiments as extra backendRefs and removes only those it added', () => {
    const route = httpRoute();
    route.spec.rules![0]!.backendRefs!.push({ name: 'shadow', port: 80, weight: 0 });
    const during = renderHttpRoute(route, config, {
      ...base,
      canaryWeight: 10,
      experiments: [
        { name: 'baseline', weight: 5, serviceName: 'exp-baseline' },
        { name: 'canary', weight: 5, serviceName: 'exp-canary' },
      ],
    });
    expect(during.spec.rules![0]!.backendRefs).toEqual([
      { name: 'app-stable', port: 80, weight: 80 },
      { name: 'app-canary', port: 80, weight: 10 },
      { name: 'shadow', port: 80, weight: 0 },
      { name: 'exp-baseline', port: 80, weight: 5 },
      { name: 'exp-canary', port: 80, weight: 5 },
    ]);
    expect(during.metadata.annotations?.[experimentBackendsAnnotation]).toBeDefined();
    expect(readTrafficState(during, config).experiments).toEqual([
      { name: 'baseline', weight: 5, serviceName: 'exp-baseline' },
      { name: 'canary', weight: 5, serviceName: 'exp-canary' },
    ]);
    const after = renderHttpRoute(during, config, { ...base, canaryWeight: 10 });
    expect(after.spec.rules![0]!.backendRefs!.map((ref) => ref.name)).toEqual(['app-stable', 'app-canary', 'shadow']);
    expect(after.metadata.annotations).toBeUndefined();
  });

  it('refuses a route where no rule names both Services, and a route not listed in managedRoutes', () => {
    const route = httpRoute();
    route.spec.rules![0]!.backendRefs = [{ name: 'app-stable', port: 80 }];
    expect(() => renderHttpRoute(route, config, base)).toThrow(
      /HTTPRoute 'default\/app' has no rule whose backendRefs name both canaryService 'app-canary' and stableService 'app-stable'/,
    );
    expect(() => renderHttpRoute(httpRoute(), config, { ...base, headerRoutes: [{ ...headerRoute, name: 'other' }] })).toThrow(
      /route 'other' is not listed in spec.strategy.canary.trafficRouting.managedRoutes/,
    );
  });

  it('adds no managed rules to a route without useHeaderRoutes, and still removes stale ones', () => {
    const withRule = renderHttpRoute(httpRoute(), config, { ...base, headerRoutes: [headerRoute] });
    const rendered = renderHttpRoute(withRule, config, { ...base, headerRoutes: [headerRoute] }, { useHeaderRoutes: false });
    expect(rendered.spec.rules!.map((rule) => rule.name)).toEqual([undefined, undefined]);
  });

  it("labels the route while the canary has weight, as Argo's plugin does", () => {
    const during = renderHttpRoute(httpRoute(), config, { ...base, canaryWeight: 5 });
    expect(during.metadata.labels).toEqual({ 'rollouts.argoproj.io/gatewayapi-canary': 'in-progress' });
    expect(renderHttpRoute(during, config, base).metadata.labels).toBeUndefined();
    const disabled = renderHttpRoute(httpRoute(), { ...config, disableInProgressLabel: true }, { ...base, canaryWeight: 5 });
    expect(disabled.metadata.labels).toBeUndefined();
  });

  it('reads back what it rendered', () => {
    const desired = {
      ...base,
      canaryWeight: 40,
      headerRoutes: [headerRoute],
      mirrorRoutes: [
        {
          name: 'mirror-route',
          percentage: 25,
          match: [{ method: { exact: 'POST' } }, { path: { prefix: '/api' }, headers: { 'x-a': { regex: 'b.*' } } }],
        },
      ],
    };
    const state = readTrafficState(renderHttpRoute(httpRoute(), config, desired), config);
    expect(state).toEqual(desired);
  });

  it('leaves the input untouched (a pure transform)', () => {
    const route = httpRoute();
    const copy = structuredClone(route);
    renderHttpRoute(route, config, { ...base, canaryWeight: 50, headerRoutes: [headerRoute] });
    expect(route).toEqual(copy);
  });
});
