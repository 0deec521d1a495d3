import type { IssueCollector } from './issue-collector.js';
import { closest, describe, shortKey } from './issue-collector.js';
import type { CanaryStep } from './rollout-types.js';
import { readArgs, readRolloutAnalysis } from './validate-analysis-ref.js';

/** The step types gradual runs, in Argo's order. */
export const canaryStepTypes = [
  'setWeight',
  'pause',
  'analysis',
  'setCanaryScale',
  'setHeaderRoute',
  'setMirrorRoute',
  'experiment',
] as const;

export type CanaryStepType = (typeof canaryStepTypes)[number];

export interface StepContext {
  maxTrafficWeight: number;
  hasTrafficRouting: boolean;
  managedRouteNames: ReadonlySet<string>;
}

/** Which type a step is; undefined for a malformed step (already reported by readCanaryStep). */
export function canaryStepType(step: CanaryStep): CanaryStepType {
  return Object.keys(step)[0] as CanaryStepType;
}

/** Validates one step (exactly one known key) and returns it normalised, or undefined. */
export function readCanaryStep(
  issues: IssueCollector,
  path: string,
  value: unknown,
  context: StepContext,
): CanaryStep | undefined {
  const step = issues.object(path, value, true);
  if (!step) return undefined;
  const keys = Object.keys(step).filter((key) => step[key] !== undefined);
  if (keys.length === 0) {
    issues.add(path, `a step must set one of ${canaryStepTypes.join(', ')}`);
    return undefined;
  }
  if (keys.length > 1) {
    issues.add(path, `a step must set exactly one of ${canaryStepTypes.join(', ')}, got ${keys.join(' and ')}`);
    return undefined;
  }
  const key = keys[0] as string;
  const at = `${path}.${key}`;
  switch (key) {
    case 'setWeight': {
      const weight = issues.integer(at, step.setWeight, { min: 0, max: context.maxTrafficWeight, required: true });
      return weight === undefined ? undefined : { setWeight: weight };
    }
    case 'pause': {
      // `pause: {}` and a bare `pause:` (null) both mean: wait for promote.
      const pause = step.pause === null ? {} : issues.object(at, step.pause, true);
      if (!pause) return undefined;
      issues.unknownKeys(at, pause, ['duration']);
      if (pause.duration === undefined || pause.duration === null) return { pause: {} };
      const before = issues.issues.length;
      issues.duration(`${at}.duration`, pause.duration);
      return issues.issues.length === before ? { pause: { duration: pause.duration as string | number } } : undefined;
    }
    case 'analysis': {
      const analysis = readRolloutAnalysis(issues, at, step.analysis);
      return analysis ? { analysis } : undefined;
    }
    case 'setCanaryScale':
      return readSetCanaryScale(issues, at, step.setCanaryScale, context);
    case 'setHeaderRoute':
      return readSetHeaderRoute(issues, at, step.setHeaderRoute, context);
    case 'setMirrorRoute':
      return readSetMirrorRoute(issues, at, step.setMirrorRoute, context);
    case 'experiment':
      return readExperiment(issues, at, step.experiment, context);
    case 'plugin':
      issues.add(
        at,
        'step plugins are not supported by gradual; express the gate as an analysis step or a custom MetricProvider',
      );
      return undefined;
    default: {
      const guess = closest(key, canaryStepTypes);
      issues.add(
        path,
        `unknown step type "${shortKey(key)}"${guess ? `; did you mean "${guess}"?` : ''} (expected one of ${canaryStepTypes.join(', ')})`,
      );
      return undefined;
    }
  }
}

function needsTrafficRouting(issues: IssueCollector, path: string, context: StepContext): void {
  if (!context.hasTrafficRouting) issues.add(path, 'needs spec.strategy.canary.trafficRouting');
}

function managedRouteName(issues: IssueCollector, path: string, value: unknown, context: StepContext): string | undefined {
  const name = issues.string(path, value, true);
  if (name && !context.managedRouteNames.has(name)) {
    const listed = [...context.managedRouteNames];
    issues.add(
      path,
      `route "${name}" is not listed in spec.strategy.canary.trafficRouting.managedRoutes (${listed.length ? `listed: ${listed.join(', ')}` : 'none listed'})`,
    );
  }
  return name;
}

function readStringMatch(issues: IssueCollector, path: string, value: unknown): boolean {
  const match = issues.object(path, value, true);
  if (!match) return false;
  const kind = issues.exactlyOne(path, match, ['exact', 'prefix', 'regex']);
  if (!kind) return false;
  const text = issues.string(`${path}.${kind}`, match[kind], true);
  if (kind === 'regex' && text !== undefined) {
    try {
      new RegExp(text);
    } catch {
      issues.add(`${path}.regex`, `${describe(text)} is not a valid regular expression`);
    }
  }
  return text !== undefined;
}

function readSetCanaryScale(issues: IssueCollector, at: string, value: unknown, context: StepContext): CanaryStep | undefined {
  const scale = issues.object(at, value, true);
  if (!scale) return undefined;
  issues.unknownKeys(at, scale, ['replicas', 'weight', 'matchTrafficWeight']);
  needsTrafficRouting(issues, at, context);
  const kind = issues.exactlyOne(at, scale, ['replicas', 'weight', 'matchTrafficWeight']);
  if (kind === 'replicas' && issues.integer(`${at}.replicas`, scale.replicas, { min: 0 }) !== undefined) {
    return { setCanaryScale: { replicas: scale.replicas as number } };
  }
  if (kind === 'weight' && issues.integer(`${at}.weight`, scale.weight, { min: 0, max: 100 }) !== undefined) {
    return { setCanaryScale: { weight: scale.weight as number } };
  }
  if (kind === 'matchTrafficWeight') {
    if (scale.matchTrafficWeight !== true) issues.add(`${at}.matchTrafficWeight`, 'can only be true');
    else return { setCanaryScale: { matchTrafficWeight: true } };
  }
  return undefined;
}

function readSetHeaderRoute(issues: IssueCollector, at: string, value: unknown, context: StepContext): CanaryStep | undefined {
  const route = issues.object(at, value, true);
  if (!route) return undefined;
  needsTrafficRouting(issues, at, context);
  const before = issues.issues.length;
  issues.unknownKeys(at, route, ['name', 'match']);
  const name = managedRouteName(issues, `${at}.name`, route.name, context);
  const match = issues.array(`${at}.match`, route.match);
  match?.forEach((entry, i) => {
    const item = issues.object(`${at}.match[${i}]`, entry, true);
    if (!item) return;
    issues.unknownKeys(`${at}.match[${i}]`, item, ['headerName', 'headerValue']);
    issues.string(`${at}.match[${i}].headerName`, item.headerName, true);
    readStringMatch(issues, `${at}.match[${i}].headerValue`, item.headerValue);
  });
  if (match && match.length === 0) issues.add(`${at}.match`, 'must have at least one entry; omit match to remove the route');
  if (issues.issues.length !== before || !name) return undefined;
  return { setHeaderRoute: { name, ...(match ? { match: match as never } : {}) } };
}

function readSetMirrorRoute(issues: IssueCollector, at: string, value: unknown, context: StepContext): CanaryStep | undefined {
  const route = issues.object(at, value, true);
  if (!route) return undefined;
  needsTrafficRouting(issues, at, context);
  const before = issues.issues.length;
  issues.unknownKeys(at, route, ['name', 'percentage', 'match']);
  const name = managedRouteName(issues, `${at}.name`, route.name, context);
  const percentage = issues.integer(`${at}.percentage`, route.percentage, { min: 0, max: 100 });
  const match = issues.array(`${at}.match`, route.match);
  match?.forEach((entry, i) => {
    const item = issues.object(`${at}.match[${i}]`, entry, true);
    if (!item) return;
    issues.unknownKeys(`${at}.match[${i}]`, item, ['method', 'path', 'headers']);
    if (item.method !== undefined) readStringMatch(issues, `${at}.match[${i}].method`, item.method);
    if (item.path !== undefined) readStringMatch(issues, `${at}.match[${i}].path`, item.path);
    const headers = issues.object(`${at}.match[${i}].headers`, item.headers);
    for (const [header, headerMatch] of Object.entries(headers ?? {})) {
      readStringMatch(issues, `${at}.match[${i}].headers.${header}`, headerMatch);
    }
    if (item.method === undefined && item.path === undefined && headers === undefined) {
      issues.add(`${at}.match[${i}]`, 'must set at least one of method, path, headers');
    }
  });
  if (match && match.length === 0) issues.add(`${at}.match`, 'must have at least one entry; omit match to remove the route');
  if (issues.issues.length !== before || !name) return undefined;
  return { setMirrorRoute: { name, percentage: percentage ?? 100, ...(match ? { match: match as never } : {}) } };
}

function readExperiment(issues: IssueCollector, at: string, value: unknown, context: StepContext): CanaryStep | undefined {
  const experiment = issues.object(at, value, true);
  if (!experiment) return undefined;
  const before = issues.issues.length;
  issues.unknownKeys(at, experiment, [
    'duration',
    'templates',
    'analyses',
    'dryRun',
    'analysisRunMetadata',
    'scaleDownDelaySeconds',
  ]);
  if (experiment.duration !== undefined) issues.duration(`${at}.duration`, experiment.duration);
  const templates = issues.array(`${at}.templates`, experiment.templates, true) ?? [];
  if (Array.isArray(experiment.templates) && templates.length === 0)
    issues.add(`${at}.templates`, 'must have at least one template');
  const names = new Set<string>();
  let totalWeight = 0;
  templates.forEach((entry, i) => {
    const template = issues.object(`${at}.templates[${i}]`, entry, true);
    if (!template) return;
    issues.unknownKeys(`${at}.templates[${i}]`, template, [
      'name',
      'specRef',
      'replicas',
      'weight',
      'metadata',
      'selector',
      'service',
    ]);
    const name = issues.string(`${at}.templates[${i}].name`, template.name, true);
    if (name && names.has(name)) issues.add(`${at}.templates[${i}].name`, `template "${name}" is listed twice`);
    if (name) names.add(name);
    if (template.specRef !== 'stable' && template.specRef !== 'canary') {
      issues.add(`${at}.templates[${i}].specRef`, `must be "stable" or "canary", got ${describe(template.specRef)}`);
    }
    issues.integer(`${at}.templates[${i}].replicas`, template.replicas, { min: 0 });
    const weight = issues.integer(`${at}.templates[${i}].weight`, template.weight, { min: 0, max: 100 });
    if (weight !== undefined) {
      needsTrafficRouting(issues, `${at}.templates[${i}].weight`, context);
      totalWeight += weight;
    }
  });
  if (totalWeight > 100) issues.add(`${at}.templates`, `template weights add up to ${totalWeight}, more than 100`);
  const analyses = issues.array(`${at}.analyses`, experiment.analyses) ?? [];
  const analysisNames = new Set<string>();
  analyses.forEach((entry, i) => {
    const analysis = issues.object(`${at}.analyses[${i}]`, entry, true);
    if (!analysis) return;
    issues.unknownKeys(`${at}.analyses[${i}]`, analysis, [
      'name',
      'templateName',
      'clusterScope',
      'args',
      'requiredForCompletion',
      'analysisRunMetadata',
    ]);
    const name = issues.string(`${at}.analyses[${i}].name`, analysis.name, true);
    if (name && analysisNames.has(name)) issues.add(`${at}.analyses[${i}].name`, `analysis "${name}" is listed twice`);
    if (name) analysisNames.add(name);
    issues.string(`${at}.analyses[${i}].templateName`, analysis.templateName, true);
    issues.boolean(`${at}.analyses[${i}].requiredForCompletion`, analysis.requiredForCompletion);
    readArgs(issues, `${at}.analyses[${i}].args`, analysis.args);
  });
  if (issues.issues.length !== before) return undefined;
  return { experiment: experiment as never };
}
