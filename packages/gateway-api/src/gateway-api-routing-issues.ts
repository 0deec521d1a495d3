import type { RolloutSpec, ValidationIssue } from '@gradual/core';
import { gatewayApiPluginName } from './gateway-api-routing-config.js';

const path = `spec.strategy.canary.trafficRouting.plugins["${gatewayApiPluginName}"]`;
const known = [
  'httpRoute',
  'httpRoutes',
  'grpcRoute',
  'grpcRoutes',
  'namespace',
  'disableInProgressLabel',
  'inProgressLabelKey',
  'inProgressLabelValue',
  // Older releases of Argo's plugin kept managed routes in a ConfigMap; gradual finds them by rule name instead.
  'configMap',
];
/** Fields of Argo's plugin this router does not implement, with why; refused rather than ignored. */
const unsupported: Record<string, string> = {
  tcpRoute: 'TCPRoute is not supported by @gradual/gateway-api (HTTPRoute and GRPCRoute only)',
  tcpRoutes: 'TCPRoute is not supported by @gradual/gateway-api (HTTPRoute and GRPCRoute only)',
  tlsRoute: 'TLSRoute is not supported by @gradual/gateway-api (HTTPRoute and GRPCRoute only)',
  tlsRoutes: 'TLSRoute is not supported by @gradual/gateway-api (HTTPRoute and GRPCRoute only)',
  httpRouteSelector: 'route discovery by label selector is not supported: name the routes in httpRoutes',
  grpcRouteSelector: 'route discovery by label selector is not supported: name the routes in grpcRoutes',
  tcpRouteSelector: 'route discovery by label selector is not supported',
  tlsRouteSelector: 'route discovery by label selector is not supported',
};

/**
 * What is wrong with a Rollout's `trafficRouting.plugins["argoproj-labs/gatewayAPI"]`
 * block, each issue with its manifest path; empty when it is well formed or
 * absent. Rules: at least one route; `canaryService` and `stableService`
 * set and different (Gateway API splits by Service); managed routes named
 * in `trafficRouting.managedRoutes`.
 */
export function gatewayApiRoutingIssues(spec: RolloutSpec): ValidationIssue[] {
  const canary = spec.strategy.canary;
  const block = canary?.trafficRouting?.plugins;
  const issues: ValidationIssue[] = [];
  const add = (at: string, message: string) => issues.push({ path: at, message });
  if (!isObject(block) || block[gatewayApiPluginName] === undefined) return issues;
  const config = block[gatewayApiPluginName];
  if (!isObject(config)) {
    add(path, `must be an object, got ${describe(config)}`);
    return issues;
  }
  for (const key of Object.keys(config)) {
    if (unsupported[key]) add(`${path}.${key}`, unsupported[key]);
    else if (!known.includes(key)) add(`${path}.${key}`, `is not a field of this block (known: ${known.join(', ')})`);
  }
  for (const field of ['httpRoute', 'grpcRoute', 'namespace', 'inProgressLabelKey', 'inProgressLabelValue'] as const) {
    const value = config[field];
    if (value !== undefined && (typeof value !== 'string' || value === ''))
      add(`${path}.${field}`, `must be a non-empty string, got ${describe(value)}`);
  }
  if (config.disableInProgressLabel !== undefined && typeof config.disableInProgressLabel !== 'boolean')
    add(`${path}.disableInProgressLabel`, `must be true or false, got ${describe(config.disableInProgressLabel)}`);
  let routes = (config.httpRoute ? 1 : 0) + (config.grpcRoute ? 1 : 0);
  for (const field of ['httpRoutes', 'grpcRoutes'] as const) {
    const list = config[field];
    if (list === undefined) continue;
    if (!Array.isArray(list)) {
      add(`${path}.${field}`, `must be a list of { name, useHeaderRoutes }, got ${describe(list)}`);
      continue;
    }
    for (const [i, entry] of list.entries()) {
      const at = `${path}.${field}[${i}]`;
      if (!isObject(entry)) {
        add(at, `must be an object, got ${describe(entry)}`);
        continue;
      }
      routes++;
      for (const key of Object.keys(entry))
        if (key !== 'name' && key !== 'useHeaderRoutes') add(`${at}.${key}`, 'is not a field (known: name, useHeaderRoutes)');
      if (typeof entry.name !== 'string' || entry.name === '')
        add(`${at}.name`, `must be a non-empty string, got ${describe(entry.name)}`);
      if (entry.useHeaderRoutes !== undefined && typeof entry.useHeaderRoutes !== 'boolean')
        add(`${at}.useHeaderRoutes`, `must be true or false, got ${describe(entry.useHeaderRoutes)}`);
    }
  }
  if (routes === 0) add(path, 'must name at least one route: httpRoute, httpRoutes, grpcRoute or grpcRoutes');
  if (!canary?.canaryService || !canary.stableService) {
    add('spec.strategy.canary', 'Gateway API routing splits traffic between Services: set canaryService and stableService');
  } else if (canary.canaryService === canary.stableService) {
    add('spec.strategy.canary.stableService', 'must differ from canaryService');
  }
  stepIssues(canary?.steps ?? [], add);
  return issues;
}

/** Conditions Gateway API cannot express, found in the steps before step 1 rather than mid-rollout. */
function stepIssues(steps: readonly unknown[], add: (at: string, message: string) => void): void {
  for (const [i, step] of steps.entries()) {
    if (!isObject(step)) continue;
    const at = `spec.strategy.canary.steps[${i}]`;
    const header = step.setHeaderRoute;
    if (isObject(header) && Array.isArray(header.match)) {
      for (const [j, match] of header.match.entries()) {
        if (isObject(match) && isObject(match.headerValue) && match.headerValue.prefix !== undefined)
          add(`${at}.setHeaderRoute.match[${j}].headerValue.prefix`, prefixMessage);
      }
    }
    const mirror = step.setMirrorRoute;
    if (isObject(mirror) && Array.isArray(mirror.match)) {
      for (const [j, match] of mirror.match.entries()) {
        if (!isObject(match)) continue;
        if (isObject(match.headers)) {
          for (const [name, value] of Object.entries(match.headers)) {
            if (isObject(value) && value.prefix !== undefined)
              add(`${at}.setMirrorRoute.match[${j}].headers.${name}.prefix`, prefixMessage);
          }
        }
        if (isObject(match.method) && match.method.exact === undefined)
          add(`${at}.setMirrorRoute.match[${j}].method`, 'Gateway API matches an HTTP method exactly: use exact');
      }
    }
  }
}

const prefixMessage = 'Gateway API has no prefix header match: use exact, or regex (e.g. "^value.*")';

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function describe(value: unknown): string {
  return value === undefined ? 'nothing' : JSON.stringify(value);
}
