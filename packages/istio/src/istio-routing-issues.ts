import type { RolloutSpec, ValidationIssue } from '@gradual/core';

const path = 'spec.strategy.canary.trafficRouting.istio';
const virtualServiceFields = ['name', 'routes', 'tlsRoutes', 'tcpRoutes'];
const destinationRuleFields = ['name', 'canarySubsetName', 'stableSubsetName', 'additionalSubsetNames'];

/**
 * What is wrong with a Rollout's `trafficRouting.istio` block, each issue
 * with its manifest path; empty when it is well formed. Argo's own rules:
 * exactly one of `virtualService` / `virtualServices`, each with a name;
 * subset-level splitting by a `destinationRule` with two different subsets,
 * or host-level splitting by `canaryService` and `stableService`.
 */
export function istioRoutingIssues(spec: RolloutSpec): ValidationIssue[] {
  const canary = spec.strategy.canary;
  const istio = canary?.trafficRouting?.istio;
  const issues: ValidationIssue[] = [];
  const add = (at: string, message: string) => issues.push({ path: at, message });
  if (istio === undefined) return issues;
  if (!isObject(istio)) {
    add(path, `must be an object, got ${describe(istio)}`);
    return issues;
  }
  const single = istio.virtualService;
  const many = istio.virtualServices;
  if (single !== undefined && many !== undefined) add(path, 'set either virtualService or virtualServices, not both');
  if (single === undefined && many === undefined) add(path, 'must set virtualService or virtualServices');
  const refs: [string, unknown][] = single === undefined ? [] : [[`${path}.virtualService`, single]];
  if (many !== undefined) {
    if (Array.isArray(many)) for (const [i, ref] of many.entries()) refs.push([`${path}.virtualServices[${i}]`, ref]);
    else add(`${path}.virtualServices`, `must be a list, got ${describe(many)}`);
  }
  for (const [at, ref] of refs) {
    if (!isObject(ref)) {
      add(at, `must be an object, got ${describe(ref)}`);
      continue;
    }
    unknownFields(ref, virtualServiceFields, at, add);
    if (typeof ref.name !== 'string' || ref.name === '')
      add(`${at}.name`, `must be a non-empty string, got ${describe(ref.name)}`);
    if (ref.routes !== undefined) {
      if (!Array.isArray(ref.routes)) add(`${at}.routes`, `must be a list of route names, got ${describe(ref.routes)}`);
      else
        ref.routes.forEach((route, i) => {
          if (typeof route !== 'string' || route === '')
            add(`${at}.routes[${i}]`, `must be a route name, got ${describe(route)}`);
        });
    }
  }
  const rule = istio.destinationRule;
  if (rule !== undefined) {
    const at = `${path}.destinationRule`;
    if (!isObject(rule)) add(at, `must be an object, got ${describe(rule)}`);
    else {
      unknownFields(rule, destinationRuleFields, at, add);
      for (const field of ['name', 'canarySubsetName', 'stableSubsetName'] as const) {
        if (typeof rule[field] !== 'string' || rule[field] === '')
          add(`${at}.${field}`, `must be a non-empty string, got ${describe(rule[field])}`);
      }
      if (typeof rule.canarySubsetName === 'string' && rule.canarySubsetName === rule.stableSubsetName) {
        add(`${at}.stableSubsetName`, 'must differ from canarySubsetName');
      }
      if (rule.additionalSubsetNames !== undefined && !Array.isArray(rule.additionalSubsetNames)) {
        add(`${at}.additionalSubsetNames`, `must be a list of subset names, got ${describe(rule.additionalSubsetNames)}`);
      }
    }
  } else if (!canary?.canaryService || !canary.stableService) {
    // Host-level splitting routes by Service; without them the router cannot tell the versions apart.
    add(path, 'host-level Istio routing needs spec.strategy.canary.canaryService and stableService (or a destinationRule)');
  }
  return issues;
}

function unknownFields(
  value: Record<string, unknown>,
  known: string[],
  at: string,
  add: (at: string, message: string) => void,
): void {
  for (const key of Object.keys(value)) {
    if (!known.includes(key)) add(`${at}.${key}`, `is not a field of this block (known: ${known.join(', ')})`);
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function describe(value: unknown): string {
  return value === undefined ? 'nothing' : JSON.stringify(value);
}
