import type { IssueCollector } from './issue-collector.js';
import type { BlueGreenStrategy, CanaryStep, CanaryStrategy, RolloutAnalysisBackground } from './rollout-types.js';
import { sharedSteps } from './shared-steps.js';
import { readRolloutAnalysis } from './validate-analysis-ref.js';
import { readCanaryStep } from './validate-canary-step.js';

// The fields of Argo Rollouts' CanaryStrategy and BlueGreenStrategy (types.go).
const canaryFields = [
  'canaryService',
  'stableService',
  'steps',
  'trafficRouting',
  'maxSurge',
  'maxUnavailable',
  'analysis',
  'antiAffinity',
  'canaryMetadata',
  'stableMetadata',
  'scaleDownDelaySeconds',
  'scaleDownDelayRevisionLimit',
  'abortScaleDownDelaySeconds',
  'dynamicStableScale',
  'minPodsPerReplicaSet',
  'replicaProgressThreshold',
  'pingPong',
] as const;
const blueGreenFields = [
  'activeService',
  'previewService',
  'previewReplicaCount',
  'autoPromotionEnabled',
  'autoPromotionSeconds',
  'prePromotionAnalysis',
  'postPromotionAnalysis',
  'scaleDownDelaySeconds',
  'scaleDownDelayRevisionLimit',
  'abortScaleDownDelaySeconds',
  'maxUnavailable',
  'antiAffinity',
  'activeMetadata',
  'previewMetadata',
] as const;

/** Validates `strategy.canary` and applies Argo's defaults. */
export function readCanaryStrategy(issues: IssueCollector, path: string, value: Record<string, unknown>): CanaryStrategy {
  issues.unknownKeys(path, value, canaryFields);
  const canaryService = issues.string(`${path}.canaryService`, value.canaryService);
  const stableService = issues.string(`${path}.stableService`, value.stableService);
  if (canaryService && canaryService === stableService) {
    issues.add(`${path}.stableService`, `must differ from canaryService (both are "${canaryService}")`);
  }
  const trafficRouting = issues.object(`${path}.trafficRouting`, value.trafficRouting);
  const managedRouteNames = new Set<string>();
  const maxTrafficWeight = 100;
  if (trafficRouting) {
    const managed = issues.array(`${path}.trafficRouting.managedRoutes`, trafficRouting.managedRoutes) ?? [];
    managed.forEach((entry, i) => {
      const route = issues.object(`${path}.trafficRouting.managedRoutes[${i}]`, entry, true);
      const name = issues.string(`${path}.trafficRouting.managedRoutes[${i}].name`, route?.name, true);
      if (name && managedRouteNames.has(name))
        issues.add(`${path}.trafficRouting.managedRoutes[${i}].name`, `route "${name}" is listed twice`);
      if (name) managedRouteNames.add(name);
    });
    // TrafficState weights are percentages; Argo itself allows another scale only for nginx and plugins.
    const max = issues.integer(`${path}.trafficRouting.maxTrafficWeight`, trafficRouting.maxTrafficWeight, { min: 1 });
    if (max !== undefined && max !== 100) {
      issues.add(`${path}.trafficRouting.maxTrafficWeight`, `only 100 is supported (weights are percentages), got ${max}`);
    }
  }
  const context = { maxTrafficWeight, hasTrafficRouting: Boolean(trafficRouting), managedRouteNames };
  const rawSteps = issues.array(`${path}.steps`, value.steps) ?? [];
  const steps: CanaryStep[] = [];
  rawSteps.forEach((raw, i) => {
    const step = readCanaryStep(issues, `${path}.steps[${i}]`, raw, context);
    if (step) steps.push(step);
  });
  checkExperimentWeights(issues, path, steps, rawSteps);
  let analysis: RolloutAnalysisBackground | undefined;
  if (value.analysis !== undefined && value.analysis !== null) {
    const read = readRolloutAnalysis(issues, `${path}.analysis`, value.analysis, ['startingStep']);
    const raw = value.analysis as Record<string, unknown>;
    const startingStep = issues.integer(`${path}.analysis.startingStep`, raw.startingStep, { min: 0, max: rawSteps.length });
    if (read) analysis = { ...read, ...(startingStep === undefined ? {} : { startingStep }) };
  }
  for (const field of ['scaleDownDelaySeconds', 'abortScaleDownDelaySeconds', 'minPodsPerReplicaSet'] as const) {
    issues.integer(`${path}.${field}`, value[field], { min: 0 });
  }
  for (const field of ['maxSurge', 'maxUnavailable'] as const) {
    const amount = value[field];
    if (
      amount != null &&
      !(typeof amount === 'number' && Number.isInteger(amount) && amount >= 0) &&
      !(typeof amount === 'string' && /^\d+%?$/.test(amount))
    ) {
      issues.add(`${path}.${field}`, `must be a whole number or a percentage such as "25%", got ${JSON.stringify(amount)}`);
    }
  }
  // Accepted by Argo but not modelled here: refusing beats silently ignoring a setting that changes replica counts.
  for (const field of ['dynamicStableScale', 'replicaProgressThreshold', 'pingPong'] as const) {
    if (value[field] != null && value[field] !== false) issues.add(`${path}.${field}`, 'is not supported by gradual yet');
  }
  return {
    ...(value as unknown as CanaryStrategy),
    // Shared only when every step was read: a list with errors is about to be refused.
    steps: steps.length === rawSteps.length ? sharedSteps(steps) : steps,
    ...(analysis ? { analysis } : {}),
    maxSurge: (value.maxSurge as number | string | undefined) ?? '25%',
    maxUnavailable: (value.maxUnavailable as number | string | undefined) ?? '25%',
  };
}

/** Validates `strategy.blueGreen` and applies Argo's defaults. */
export function readBlueGreenStrategy(issues: IssueCollector, path: string, value: Record<string, unknown>): BlueGreenStrategy {
  issues.unknownKeys(path, value, blueGreenFields);
  const activeService = issues.string(`${path}.activeService`, value.activeService, true);
  const previewService = issues.string(`${path}.previewService`, value.previewService);
  if (activeService && activeService === previewService) {
    issues.add(`${path}.previewService`, `must differ from activeService (both are "${activeService}")`);
  }
  const previewReplicaCount = issues.integer(`${path}.previewReplicaCount`, value.previewReplicaCount, { min: 0 });
  const autoPromotionEnabled = issues.boolean(`${path}.autoPromotionEnabled`, value.autoPromotionEnabled) ?? true;
  const autoPromotionSeconds = issues.integer(`${path}.autoPromotionSeconds`, value.autoPromotionSeconds, { min: 0 }) ?? 0;
  const scaleDownDelaySeconds = issues.integer(`${path}.scaleDownDelaySeconds`, value.scaleDownDelaySeconds, { min: 0 }) ?? 30;
  const abortScaleDownDelaySeconds =
    issues.integer(`${path}.abortScaleDownDelaySeconds`, value.abortScaleDownDelaySeconds, { min: 0 }) ?? 30;
  const pre =
    value.prePromotionAnalysis == null
      ? undefined
      : readRolloutAnalysis(issues, `${path}.prePromotionAnalysis`, value.prePromotionAnalysis);
  const post =
    value.postPromotionAnalysis == null
      ? undefined
      : readRolloutAnalysis(issues, `${path}.postPromotionAnalysis`, value.postPromotionAnalysis);
  return {
    ...(value as unknown as BlueGreenStrategy),
    activeService: activeService ?? '',
    ...(previewService ? { previewService } : {}),
    ...(previewReplicaCount === undefined ? {} : { previewReplicaCount }),
    autoPromotionEnabled,
    autoPromotionSeconds,
    scaleDownDelaySeconds,
    abortScaleDownDelaySeconds,
    ...(pre ? { prePromotionAnalysis: pre } : {}),
    ...(post ? { postPromotionAnalysis: post } : {}),
  };
}

/**
 * The canary weight in force at an experiment step plus the experiment's
 * weights must fit in 100%: Argo clamps stable at 0 and writes weights that
 * add up to more than 100, which Istio then rejects mid-rollout.
 */
function checkExperimentWeights(issues: IssueCollector, path: string, steps: CanaryStep[], rawSteps: unknown[]): void {
  if (steps.length !== rawSteps.length) return; // positions are only meaningful when every step was valid
  let weight = 0;
  let weightFrom = '';
  steps.forEach((step, i) => {
    if ('setWeight' in step) {
      weight = step.setWeight;
      weightFrom = ` (steps[${i}].setWeight)`;
    }
    if (!('experiment' in step)) return;
    const experiment = step.experiment.templates.reduce((sum, template) => sum + (template.weight ?? 0), 0);
    if (experiment > 0 && weight + experiment > 100) {
      issues.add(
        `${path}.steps[${i}].experiment.templates`,
        `experiment weights (${experiment}) plus the canary weight in force (${weight}${weightFrom}) exceed 100`,
      );
    }
  });
}
