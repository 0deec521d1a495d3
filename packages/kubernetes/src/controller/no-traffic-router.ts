import type { TrafficRouter } from '@gradual/core';

/**
 * The router of a canary with neither a mesh nor Services to switch: traffic follows the pods, so the
 * replica split (the Workload) carries the weight, as Argo's basic canary. Nothing to write or read.
 */
export const noTrafficRouter: TrafficRouter = {
  specificationVersion: 'v1',
  name: 'replica-split',
  capabilities: { headerRoutes: false, mirrorRoutes: false, experiments: false, weightGranularity: 1 },
  async apply() {
    return { changed: false };
  },
};
