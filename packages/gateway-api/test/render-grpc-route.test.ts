import { describe, expect, it } from 'vitest';
import { type GRPCRoute, readTrafficState, renderGrpcRoute } from '../src/index.js';
import { base, config, sharesOf } from './support/routes.js';

function grpcRoute(): GRPCRoute {
  return {
    metadata: { name: 'cart', namespace: 'shop' },
    spec: {
      rules: [
        {
          matches: [{ method: { service: 'shop.Cart', method: 'Add' } }],
          backendRefs: [
            { name: 'app-stable', port: 9090 },
            { name: 'app-canary', port: 9090 },
          ],
        },
      ],
    },
  };
}

describe('renderGrpcRoute', () => {
  it('weights the rule, keeps its gRPC method match on header and mirror rules', () => {
    const desired = {
      ...base,
      canaryWeight: 25,
      headerRoutes: [{ name: 'header-route', match: [{ headerName: 'x-canary', headerValue: { exact: 'yes' } }] }],
      mirrorRoutes: [{ name: 'mirror-route', percentage: 10, match: [{ headers: { 'x-tenant': { regex: 'qa-.*' } } }] }],
    };
    const rendered = renderGrpcRoute(grpcRoute(), config, desired);
    const [header, mirror, weighted] = rendered.spec.rules!;
    expect(sharesOf(weighted!)).toEqual({ 'app-stable': 75, 'app-canary': 25 });
    expect(header!.matches).toEqual([
      { method: { service: 'shop.Cart', method: 'Add' }, headers: [{ type: 'Exact', name: 'x-canary', value: 'yes' }] },
    ]);
    expect(mirror!.matches).toEqual([
      {
        method: { service: 'shop.Cart', method: 'Add' },
        headers: [{ type: 'RegularExpression', name: 'x-tenant', value: 'qa-.*' }],
      },
    ]);
    expect(mirror!.filters).toEqual([
      { type: 'RequestMirror', requestMirror: { backendRef: { name: 'app-canary', port: 9090 }, percent: 10 } },
    ]);
    expect(readTrafficState(rendered, config)).toEqual(desired);
  });

  it('refuses an HTTP method or path condition on a gRPC mirror route', () => {
    expect(() =>
      renderGrpcRoute(grpcRoute(), config, {
        ...base,
        mirrorRoutes: [{ name: 'mirror-route', percentage: 100, match: [{ method: { exact: 'GET' } }] }],
      }),
    ).toThrow(/mirror route 'mirror-route' match\[0\]: a GRPCRoute matches by gRPC service and method/);
  });
});
