import type { HeaderRouteMatch, MirrorRouteMatch, StringMatch, TrafficState } from '@gradual/core';
import type { BackendRef, GRPCRoute, HeaderMatch, HTTPRoute, HttpPathMatch, HttpRouteMatch } from './gateway-api-objects.js';
import type { GatewayApiRoutingConfig } from './gateway-api-routing-config.js';
import { managedRouteOf } from './managed-rule-name.js';
import { type RouteLike, type RuleLike, readExperimentBackends } from './render-route.js';
import { fromHeaderMatch } from './to-header-match.js';

/** What an HTTPRoute or GRPCRoute match has that the read-back looks at. */
type AnyMatch = { headers?: HeaderMatch[] | undefined; path?: HttpPathMatch | undefined; method?: unknown };
type AnyRule = RuleLike<AnyMatch>;

/**
 * The traffic state a route carries, read back (for `observe`): the
 * canary's share of the first weighted rule (weights are relative, default
 * 1), the experiment backends gradual recorded, and the managed header and
 * mirror rules built from the first weighted rule. Revisions are not part
 * of a route (Gateway API routes by Service), so they are left out.
 */
export function readTrafficState(object: HTTPRoute | GRPCRoute, config: GatewayApiRoutingConfig): TrafficState {
  const route = object as RouteLike<AnyRule>;
  const managedNames = (config.managedRoutes ?? []).map((entry) => entry.name);
  const rules = route.spec.rules ?? [];
  const isService = (ref: BackendRef, name: string) =>
    ref.name === name && (ref.group ?? '') === '' && (ref.kind ?? 'Service') === 'Service';
  const weighted = rules.find(
    (rule) =>
      managedRouteOf(rule.name, managedNames) === undefined &&
      (rule.backendRefs ?? []).some((ref) => isService(ref, config.canaryService)) &&
      (rule.backendRefs ?? []).some((ref) => isService(ref, config.stableService)),
  );
  const refs = weighted?.backendRefs ?? [];
  const total = refs.reduce((sum, ref) => sum + (ref.weight ?? 1), 0);
  const share = (ref: BackendRef | undefined) => (ref && total > 0 ? Math.round(((ref.weight ?? 1) / total) * 10_000) / 100 : 0);
  const experiments = readExperimentBackends(route.metadata).flatMap((backend) => {
    const ref = refs.find((candidate) => isService(candidate, backend.serviceName));
    return ref ? [{ name: backend.name, weight: share(ref), serviceName: backend.serviceName }] : [];
  });

  const sourceMatch = weighted?.matches?.[0] ?? {};
  const sourceCount = Math.max(1, weighted?.matches?.length ?? 0);
  const added = (match: AnyMatch | undefined): HeaderMatch[] => (match?.headers ?? []).slice((sourceMatch.headers ?? []).length);
  const headerRoutes: TrafficState['headerRoutes'] = [];
  const mirrorRoutes: TrafficState['mirrorRoutes'] = [];
  for (const rule of rules) {
    if (rule.name === undefined || !managedNames.includes(rule.name)) continue;
    const mirror = rule.filters?.find((filter) => filter.type === 'RequestMirror')?.requestMirror;
    if (!mirror) {
      const match: HeaderRouteMatch[] = added(rule.matches?.[0]).map((header) => ({
        headerName: header.name,
        headerValue: fromHeaderMatch(header),
      }));
      headerRoutes.push({ name: rule.name, match });
      continue;
    }
    const percentage =
      mirror.percent ??
      (mirror.fraction ? Math.round((mirror.fraction.numerator / (mirror.fraction.denominator ?? 100)) * 100_000) / 1000 : 100);
    // The rule holds each mirror condition crossed with the weighted rule's matches: every sourceCount-th is one condition.
    const match: MirrorRouteMatch[] = [];
    const matches = rule.matches ?? [];
    for (let i = 0; i < matches.length; i += sourceCount) {
      const entry = matches[i]!;
      const condition: MirrorRouteMatch = {};
      if (typeof entry.method === 'string' && entry.method !== sourceMatch.method) condition.method = { exact: entry.method };
      if (entry.path && JSON.stringify(entry.path) !== JSON.stringify(sourceMatch.path)) condition.path = fromPath(entry.path);
      const headers = added(entry);
      if (headers.length > 0) condition.headers = Object.fromEntries(headers.map((h) => [h.name, fromHeaderMatch(h)]));
      if (Object.keys(condition).length > 0) match.push(condition);
    }
    mirrorRoutes.push({ name: rule.name, percentage, match });
  }
  return {
    canaryWeight: share(refs.find((ref) => isService(ref, config.canaryService))),
    headerRoutes,
    mirrorRoutes,
    experiments,
  };
}

function fromPath(path: NonNullable<HttpRouteMatch['path']>): StringMatch {
  if (path.type === 'Exact') return { exact: path.value ?? '' };
  if (path.type === 'RegularExpression') return { regex: path.value ?? '' };
  return { prefix: path.value ?? '/' };
}
