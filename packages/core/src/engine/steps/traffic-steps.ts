import type { SetCanaryScaleStep, SetHeaderRouteStep, SetMirrorRouteStep, SetWeightStep } from '../../manifest/rollout-types.js';
import type { PlanContext } from '../plan-context.js';
import { trafficStatesEqual } from '../traffic-states-equal.js';
import type { StepKind } from './step-kind.js';

// The weight, route and scale steps change what the traffic and the workload want (canary-traffic.ts,
// canary-replicas.ts read them); each is done once the router confirmed that traffic.
const trafficConfirmed = (ctx: PlanContext) => trafficStatesEqual(ctx.status.traffic, ctx.desiredTraffic);

export const setWeightStep: StepKind<SetWeightStep> = {
  describe: (step) => `setWeight: ${step.setWeight}`,
  complete: trafficConfirmed,
  needsPods: true,
  exemptFromProgressDeadline: false,
  missingCapability: (step, capabilities) =>
    step.setWeight % capabilities.weightGranularity === 0
      ? undefined
      : {
          capability: `a weight of ${step.setWeight}`,
          field: '.setWeight',
          detail: `it moves weights in steps of ${capabilities.weightGranularity}`,
        },
};

export const setHeaderRouteStep: StepKind<SetHeaderRouteStep> = {
  describe: (step) => `setHeaderRoute: ${step.setHeaderRoute.name}`,
  complete: trafficConfirmed,
  needsPods: true,
  exemptFromProgressDeadline: false,
  missingCapability: (_, capabilities) =>
    capabilities.headerRoutes ? undefined : { capability: 'header routes', field: '.setHeaderRoute' },
};

export const setMirrorRouteStep: StepKind<SetMirrorRouteStep> = {
  describe: (step) => `setMirrorRoute: ${step.setMirrorRoute.name}`,
  complete: trafficConfirmed,
  needsPods: true,
  exemptFromProgressDeadline: false,
  missingCapability: (_, capabilities) =>
    capabilities.mirrorRoutes ? undefined : { capability: 'mirror routes', field: '.setMirrorRoute' },
};

export const setCanaryScaleStep: StepKind<SetCanaryScaleStep> = {
  describe: ({ setCanaryScale: scale }) => {
    if (scale.replicas !== undefined) return `setCanaryScale{replicas: ${scale.replicas}}`;
    if (scale.weight !== undefined) return `setCanaryScale{weight: ${scale.weight}}`;
    return 'setCanaryScale{matchTrafficWeight: true}';
  },
  complete: trafficConfirmed,
  needsPods: true,
  exemptFromProgressDeadline: false,
};
