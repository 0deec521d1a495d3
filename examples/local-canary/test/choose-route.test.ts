import type { TrafficState } from '@gradual/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { chooseRoute, type RouteCounters } from '../src/proxy/choose-route.js';
import type { RoutingTable } from '../src/proxy/routing-table.js';

const backend = (version: string) => ({ version, service: `${version}.svc`, url: 'http://127.0.0.1:1' });
const table = (state: Partial<TrafficState>, canary = true): RoutingTable => ({
  generation: 1,
  state: { canaryWeight: 0, headerRoutes: [], mirrorRoutes: [], experiments: [], ...state },
  stable: backend('v1'),
  ...(canary ? { canary: backend('v2') } : {}),
});
const request = (headers: Record<string, string> = {}, method = 'GET', path = '/') => ({ method, path, headers });
const fresh = (): RouteCounters => ({ weighted: 0, mirrored: {} });

describe('chooseRoute', () => {
  it('serves every prefix of the request sequence its weight to within one request', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 100 }), fc.integer({ min: 1, max: 500 }), (weight, n) => {
        const counters = fresh();
        let canary = 0;
        for (let i = 1; i <= n; i++) {
          if (chooseRoute(table({ canaryWeight: weight }), request(), counters).target === 'canary') canary++;
          expect(Math.abs(canary - (i * weight) / 100)).toBeLessThan(1);
        }
      }),
    );
  });

  // Rows: Istio's header match semantics as Argo's setHeaderRoute writes them.
  it.each([
    [{ exact: 'Alexandra' }, 'Alexandra', true],
    [{ exact: 'Alexandra' }, 'alexandra', false],
    [{ prefix: 'Alex' }, 'Alexandra', true],
    [{ regex: 'Alex.*' }, 'Alexandra', true],
    [{ regex: 'lex' }, 'Alexandra', false], // Envoy anchors the regex to the whole value
    [{ exact: 'Alexandra' }, undefined, false],
  ])('header route %j on %s → canary: %s', (headerValue, value, toCanary) => {
    const routing = table({ headerRoutes: [{ name: 'h', match: [{ headerName: 'End-User', headerValue }] }] });
    const decision = chooseRoute(routing, request(value === undefined ? {} : { 'end-user': value }), fresh());
    expect(decision.target).toBe(toCanary ? 'canary' : 'stable');
    expect(decision.route).toBe(toCanary ? 'header:h' : 'weighted');
  });

  it('takes header-routed requests out of the weighted count', () => {
    const routing = table({
      canaryWeight: 50,
      headerRoutes: [{ name: 'h', match: [{ headerName: 'end-user', headerValue: { exact: 'A' } }] }],
    });
    const counters = fresh();
    for (let i = 0; i < 10; i++) chooseRoute(routing, request({ 'end-user': 'A' }), counters);
    expect(counters.weighted).toBe(0);
  });

  it('never routes to a canary that is not there', () => {
    const routing = table({ canaryWeight: 100 }, false);
    expect(chooseRoute(routing, request(), fresh()).target).toBe('stable');
  });

  it('mirrors every matching request (conditions of one entry ANDed), whichever version serves it, as Envoy does', () => {
    const routing = table({
      canaryWeight: 50,
      mirrorRoutes: [{ name: 'm', percentage: 100, match: [{ method: { exact: 'GET' }, path: { prefix: '/api' } }] }],
    });
    const counters = fresh();
    const decisions = Array.from({ length: 10 }, () => chooseRoute(routing, request({}, 'GET', '/api/x'), counters));
    expect(decisions.filter((d) => d.mirror === 'm')).toHaveLength(10);
    // The mirror route sends the original to the weighted split, as the default route does.
    expect(decisions.filter((d) => d.target === 'canary')).toHaveLength(5);
    expect(decisions.every((d) => d.route === 'weighted')).toBe(true);
    expect(chooseRoute(routing, request({}, 'GET', '/other'), fresh()).mirror).toBeUndefined();
    expect(chooseRoute(routing, request({}, 'POST', '/api/x'), fresh()).mirror).toBeUndefined();
  });

  // Istio evaluates the VirtualService's http routes top-down, first match wins; Argo Rollouts puts the
  // managed routes on top in `managedRoutes` order.
  const header = { name: 'alexandra', match: [{ headerName: 'end-user', headerValue: { exact: 'Alexandra' } }] };
  const mirror = { name: 'shadow', percentage: 100, match: [{ method: { exact: 'GET' } }] };
  it.each([
    [['alexandra', 'shadow'], { target: 'canary', route: 'header:alexandra' }],
    [['shadow', 'alexandra'], { target: 'stable', route: 'weighted', mirror: 'shadow' }],
    [undefined, { target: 'canary', route: 'header:alexandra' }], // unlisted: header routes first
  ])('a request matching both routes, managedRoutes %j → %j', (routeOrder, expected) => {
    const routing = { ...table({ headerRoutes: [header], mirrorRoutes: [mirror] }), ...(routeOrder ? { routeOrder } : {}) };
    expect(chooseRoute(routing, request({ 'end-user': 'Alexandra' }), fresh())).toEqual(expected);
  });

  it('the first matching mirror route wins, mirrored or not (its percentage is not a fall-through)', () => {
    const routing = table({
      mirrorRoutes: [
        { name: 'first', percentage: 0, match: [{ method: { exact: 'GET' } }] },
        { name: 'second', percentage: 100, match: [{ method: { exact: 'GET' } }] },
      ],
    });
    const counters = fresh();
    for (let i = 0; i < 5; i++) expect(chooseRoute(routing, request(), counters).mirror).toBeUndefined();
    expect(counters.mirrored).toEqual({ first: 5 });
  });
});
