import type { TrafficState } from '@gradual/core';
import { isBlueGreenServices, type ServiceSelectorServices } from './service-selector-services.js';

/**
 * How available a revision's ReplicaSet must be before a Service may select it (Argo's rules):
 * `full` — every wanted pod available (blue/green's active Service: `reconcileActiveService` waits for a
 * saturated ReplicaSet); `adoption` — `ensureSVCTargets`: full availability to adopt a Service no rollout
 * manages yet, then at least one available pod; `none` — the preview Service follows the newest revision at once.
 */
export type AvailabilityRule = 'full' | 'adoption' | 'none';

/** One Service and the revision the desired state puts behind it. */
export interface SelectorTarget {
  service: string;
  /** Which field of the Rollout names the Service, for messages. */
  role: 'activeService' | 'previewService' | 'canaryService' | 'stableService';
  /** Undefined: the state names no revision for it (a first deploy), so the selector is left alone. */
  revision: string | undefined;
  rule: AvailabilityRule;
}

/**
 * Where each Service's `rollouts-pod-template-hash` selector goes for `desired`, in write order. Blue/green
 * as the engine plans it (plan-blue-green.ts): active on `stableRevision` (or the canary at weight 100),
 * preview on `canaryRevision`, preview first so testers see a version before users do. Canary: each
 * Service on its revision; the canary Service first. Pure.
 */
export function selectorTargets(services: ServiceSelectorServices, desired: TrafficState): SelectorTarget[] {
  const canary = desired.canaryRevision ?? desired.stableRevision;
  if (isBlueGreenServices(services)) {
    const active = desired.canaryWeight === 100 ? canary : desired.stableRevision;
    return [
      ...(services.previewService
        ? [{ service: services.previewService, role: 'previewService' as const, revision: canary, rule: 'none' as const }]
        : []),
      { service: services.activeService, role: 'activeService', revision: active, rule: 'full' },
    ];
  }
  return [
    { service: services.canaryService, role: 'canaryService', revision: canary, rule: 'adoption' },
    { service: services.stableService, role: 'stableService', revision: desired.stableRevision, rule: 'adoption' },
  ];
}
