import { type MirrorRouteMatch, stableWeightOf, type TrafficState } from '@gradual/core';
import { gatewayApiConfigError } from './gateway-api-config-error.js';
import type { BackendRef, HeaderMatch, ObjectMeta, RouteFilter } from './gateway-api-objects.js';
import type { GatewayApiRoutingConfig } from './gateway-api-routing-config.js';
import { managedRouteOf, managedRuleName } from './managed-rule-name.js';
import { toHeaderMatch } from './to-header-match.js';

/** The rule fields HTTPRoute and GRPCRoute share. */
export interface RuleLike<Match extends { headers?: HeaderMatch[] | undefined }> {
  name?: string | undefined;
  matches?: Match[] | undefined;
  filters?: RouteFilter[] | undefined;
  backendRefs?: BackendRef[] | undefined;
}

/** A route object whose rules gradual rewrites. */
export interface RouteLike<Rule> {
  metadata: ObjectMeta;
  spec: { rules?: Rule[] | undefined; [field: string]: unknown };
}

/** What differs between HTTPRoute and GRPCRoute rendering. */
export interface RouteKind<Match> {
  kind: 'HTTPRoute' | 'GRPCRoute';
  /** One `matches[]` entry: the weighted rule's `source` narrowed by a mirror route's `mirror` condition. */
  narrowForMirror(source: Match, mirror: MirrorRouteMatch): Match | { problem: string };
}

/** Per-route options of the render. */
export interface RenderRouteOptions {
  /** Add header and mirror routes to this route (Argo's `useHeaderRoutes`); default true. */
  useHeaderRoutes?: boolean | undefined;
}

/** Annotation that lists the experiment backends gradual added, so it removes only those. */
export const experimentBackendsAnnotation = 'rollouts.gradual.dev/experiment-backends';
/** The in-progress label of Argo's plugin. */
export const defaultInProgressLabel = { key: 'rollouts.argoproj.io/gatewayapi-canary', value: 'in-progress' };

/** Recorded experiment backend: the experiment template's name and the Service it reaches. */
export interface ExperimentBackend {
  name: string;
  serviceName: string;
}

/**
 * The pure transform behind `renderHttpRoute` / `renderGrpcRoute`. Weights
 * are written as percentages of the rule (canary `canaryWeight`, stable the
 * rest, experiments theirs), which Gateway API reads as relative weights
 * that sum to 100. Managed rules go first, in `managedRoutes` order; every
 * other rule, backend and field is kept as it was.
 */
export function renderRoute<Match extends { headers?: HeaderMatch[] | undefined }, Rule extends RuleLike<Match>>(
  kind: RouteKind<Match>,
  current: RouteLike<Rule>,
  config: GatewayApiRoutingConfig,
  desired: TrafficState,
  options: RenderRouteOptions = {},
): RouteLike<Rule> {
  const where = `${kind.kind} '${current.metadata.namespace ? `${current.metadata.namespace}/` : ''}${current.metadata.name ?? ''}'`;
  const managedNames = (config.managedRoutes ?? []).map((route) => route.name);
  const previous = readExperimentBackends(current.metadata);
  const experimentServices = new Set(previous.map((backend) => backend.serviceName));
  const isOurs = (ref: BackendRef, service: string) =>
    ref.name === service && (ref.group ?? '') === '' && (ref.kind ?? 'Service') === 'Service';

  const userRules = (current.spec.rules ?? []).filter((rule) => managedRouteOf(rule.name, managedNames) === undefined);
  const weightedIndices = userRules.flatMap((rule, i) => {
    const refs = rule.backendRefs ?? [];
    return refs.some((ref) => isOurs(ref, config.canaryService)) && refs.some((ref) => isOurs(ref, config.stableService))
      ? [i]
      : [];
  });
  if (weightedIndices.length === 0) {
    throw gatewayApiConfigError(
      `${where} has no rule whose backendRefs name both canaryService '${config.canaryService}' and stableService '${config.stableService}'; add both Services to the rule that should split traffic`,
      'BACKEND_NOT_FOUND',
    );
  }
  const experimentBackends: ExperimentBackend[] = desired.experiments.map((experiment) => ({
    name: experiment.name,
    serviceName: experiment.serviceName ?? experiment.name,
  }));
  for (const backend of experimentBackends) {
    if (backend.serviceName === config.canaryService || backend.serviceName === config.stableService)
      throw gatewayApiConfigError(
        `experiment '${backend.name}' would route to '${backend.serviceName}', which is the canary or stable Service: give the experiment template its own Service`,
      );
  }

  const stableWeight = stableWeightOf(desired);
  const rules = userRules.map((rule, i) => {
    if (!weightedIndices.includes(i)) return rule;
    const refs = rule.backendRefs ?? [];
    const canaryRef = refs.find((ref) => isOurs(ref, config.canaryService))!;
    // Only the experiment backends gradual recorded are removed; any other backend is someone else's.
    const backendRefs: BackendRef[] = refs
      .filter((ref) => !(experimentServices.has(ref.name) && isOurs(ref, ref.name)))
      .map((ref) =>
        isOurs(ref, config.canaryService)
          ? { ...ref, weight: desired.canaryWeight }
          : isOurs(ref, config.stableService)
            ? { ...ref, weight: stableWeight }
            : ref,
      );
    for (const [e, experiment] of desired.experiments.entries()) {
      backendRefs.push({
        name: experimentBackends[e]!.serviceName,
        ...(canaryRef.port === undefined ? {} : { port: canaryRef.port }),
        weight: experiment.weight,
      });
    }
    return { ...rule, backendRefs };
  });

  const managedRules: Rule[] = [];
  if (options.useHeaderRoutes !== false) {
    const wanted = [
      ...desired.headerRoutes.map((route) => ({ kind: 'header' as const, route })),
      ...desired.mirrorRoutes.map((route) => ({ kind: 'mirror' as const, route })),
    ];
    for (const { route } of wanted) {
      if (!managedNames.includes(route.name)) {
        throw gatewayApiConfigError(
          `route '${route.name}' is not listed in spec.strategy.canary.trafficRouting.managedRoutes; list it there so gradual may create and remove it`,
        );
      }
    }
    wanted.sort((a, b) => managedNames.indexOf(a.route.name) - managedNames.indexOf(b.route.name));
    for (const entry of wanted) {
      for (const [k, index] of weightedIndices.entries()) {
        const source = rules[index]!;
        const name = managedRuleName(entry.route.name, k);
        const sourceMatches = source.matches && source.matches.length > 0 ? source.matches : [{} as Match];
        const canaryRef = (source.backendRefs ?? []).find((ref) => isOurs(ref, config.canaryService))!;
        const { weight: _weight, ...canaryTarget } = canaryRef;
        if (entry.kind === 'header') {
          const headers = entry.route.match.map((condition, m) => {
            const converted = toHeaderMatch(condition.headerName, condition.headerValue);
            if ('problem' in converted)
              throw gatewayApiConfigError(`header route '${entry.route.name}' match[${m}]: ${converted.problem}`);
            return converted;
          });
          managedRules.push({
            ...source,
            name,
            matches: sourceMatches.map((match) => ({ ...match, headers: [...(match.headers ?? []), ...headers] })),
            ...(source.filters ? { filters: source.filters } : {}),
            backendRefs: [canaryTarget],
          });
        } else {
          const mirrors = entry.route.match.length > 0 ? entry.route.match : [{}];
          const matches = mirrors.flatMap((mirror, m) =>
            sourceMatches.map((match) => {
              const narrowed = kind.narrowForMirror(match, mirror);
              if ('problem' in narrowed)
                throw gatewayApiConfigError(`mirror route '${entry.route.name}' match[${m}]: ${narrowed.problem}`);
              return narrowed;
            }),
          );
          const percentage = entry.route.percentage;
          const share = Number.isInteger(percentage)
            ? { percent: percentage }
            : { fraction: { numerator: Math.round(percentage * 1000), denominator: 100_000 } };
          managedRules.push({
            ...source,
            name,
            matches,
            filters: [
              ...(source.filters ?? []),
              { type: 'RequestMirror', requestMirror: { backendRef: canaryTarget, ...share } },
            ],
          });
        }
      }
    }
  }

  const metadata: ObjectMeta = { ...current.metadata };
  const annotations = { ...(metadata.annotations ?? {}) };
  if (experimentBackends.length > 0) annotations[experimentBackendsAnnotation] = JSON.stringify(experimentBackends);
  else delete annotations[experimentBackendsAnnotation];
  if (Object.keys(annotations).length > 0) metadata.annotations = annotations;
  else delete metadata.annotations;
  if (!config.disableInProgressLabel) {
    const key = config.inProgressLabelKey ?? defaultInProgressLabel.key;
    const labels = { ...(metadata.labels ?? {}) };
    if (desired.canaryWeight > 0) labels[key] = config.inProgressLabelValue ?? defaultInProgressLabel.value;
    else delete labels[key];
    if (Object.keys(labels).length > 0) metadata.labels = labels;
    else delete metadata.labels;
  }
  return { ...current, metadata, spec: { ...current.spec, rules: [...managedRules, ...rules] } };
}

/** The experiment backends gradual recorded on the route, or none. */
export function readExperimentBackends(metadata: ObjectMeta): ExperimentBackend[] {
  const text = metadata.annotations?.[experimentBackendsAnnotation];
  if (!text) return [];
  try {
    const parsed: unknown = JSON.parse(text);
    return Array.isArray(parsed)
      ? parsed.filter(
          (entry): entry is ExperimentBackend => typeof entry?.name === 'string' && typeof entry?.serviceName === 'string',
        )
      : [];
  } catch {
    // A hand-mangled annotation: treat as no experiments rather than deleting backends we cannot attribute.
    return [];
  }
}
