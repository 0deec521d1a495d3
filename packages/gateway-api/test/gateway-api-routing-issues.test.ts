import { parseRollout, ValidationError } from '@gradual/core';
import { describe, expect, it } from 'vitest';
import { gatewayApiRoutingFromRollout, gatewayApiRoutingIssues } from '../src/index.js';

const rollout = (block: string, extra = '', steps = '- setWeight: 20') =>
  parseRollout(`
apiVersion: argoproj.io/v1alpha1
kind: Rollout
metadata: { name: shop }
spec:
  selector: { matchLabels: { app: shop } }
  template: { metadata: { labels: { app: shop } }, spec: { containers: [{ name: shop, image: shop:2 }] } }
  strategy:
    canary:
${extra || '      canaryService: shop-canary\n      stableService: shop-stable'}
      trafficRouting:
        managedRoutes: [{ name: header }]
        plugins:
          argoproj-labs/gatewayAPI:
${block}
      steps:
        ${steps}
`);

describe('gatewayApiRoutingIssues', () => {
  it("accepts the block as Argo's plugin documents it, and reads it into the router's config", () => {
    const spec = rollout(
      '            httpRoute: shop\n            namespace: web\n            configMap: argo-gatewayapi-configmap',
    );
    expect(gatewayApiRoutingIssues(spec)).toEqual([]);
    expect(gatewayApiRoutingFromRollout(spec)).toEqual({
      httpRoute: 'shop',
      namespace: 'web',
      canaryService: 'shop-canary',
      stableService: 'shop-stable',
      managedRoutes: [{ name: 'header' }],
    });
  });

  it('names each problem with its manifest path', () => {
    const at = 'spec.strategy.canary.trafficRouting.plugins["argoproj-labs/gatewayAPI"]';
    const spec = rollout(
      '            httpRoutes:\n              - { useHeaderRoutes: "yes" }\n            tcpRoute: db\n            httpRouteSelector: { matchLabels: { a: b } }\n            colour: red',
    );
    expect(gatewayApiRoutingIssues(spec)).toEqual([
      { path: `${at}.tcpRoute`, message: 'TCPRoute is not supported by @gradual/gateway-api (HTTPRoute and GRPCRoute only)' },
      {
        path: `${at}.httpRouteSelector`,
        message: 'route discovery by label selector is not supported: name the routes in httpRoutes',
      },
      { path: `${at}.colour`, message: expect.stringMatching(/^is not a field of this block \(known: httpRoute, /) },
      { path: `${at}.httpRoutes[0].name`, message: 'must be a non-empty string, got nothing' },
      { path: `${at}.httpRoutes[0].useHeaderRoutes`, message: 'must be true or false, got "yes"' },
    ]);
    expect(() => gatewayApiRoutingFromRollout(spec)).toThrow(ValidationError);
  });

  it('needs a route and both Services', () => {
    const spec = rollout('            namespace: web', '      canaryService: shop-canary');
    expect(gatewayApiRoutingIssues(spec).map((issue) => issue.path)).toEqual([
      'spec.strategy.canary.trafficRouting.plugins["argoproj-labs/gatewayAPI"]',
      'spec.strategy.canary',
    ]);
  });

  it('refuses before step 1 a prefix header match, which Gateway API cannot express', () => {
    const spec = rollout(
      '            httpRoute: shop',
      '',
      '- setHeaderRoute: { name: header, match: [{ headerName: user, headerValue: { prefix: qa- } }] }',
    );
    expect(gatewayApiRoutingIssues(spec)).toEqual([
      {
        path: 'spec.strategy.canary.steps[0].setHeaderRoute.match[0].headerValue.prefix',
        message: 'Gateway API has no prefix header match: use exact, or regex (e.g. "^value.*")',
      },
    ]);
  });

  it('says nothing about a Rollout routed by another router', () => {
    const spec = parseRollout(`
kind: Rollout
metadata: { name: shop }
spec:
  selector: { matchLabels: { app: shop } }
  template: { metadata: { labels: { app: shop } }, spec: { containers: [{ name: shop, image: shop:2 }] } }
  strategy: { canary: { steps: [{ setWeight: 20 }] } }
`);
    expect(gatewayApiRoutingIssues(spec)).toEqual([]);
  });
});
