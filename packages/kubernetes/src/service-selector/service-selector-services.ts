/** Blue/green: the Service users reach and, optionally, the one testers reach before promotion. */
export interface BlueGreenServices {
  /** `spec.strategy.blueGreen.activeService`: selects the stable revision; switched at promotion. */
  activeService: string;
  /** `spec.strategy.blueGreen.previewService`: selects the newest revision. */
  previewService?: string | undefined;
}

/** Canary without a mesh: one Service per revision; the replica split carries the weight. */
export interface CanaryServices {
  /** `spec.strategy.canary.canaryService`: selects the canary revision. */
  canaryService: string;
  /** `spec.strategy.canary.stableService`: selects the stable revision; switched at promotion. */
  stableService: string;
}

/** The Services whose `rollouts-pod-template-hash` selector a rollout moves. */
export type ServiceSelectorServices = BlueGreenServices | CanaryServices;

/** True for the blue/green pair. */
export function isBlueGreenServices(services: ServiceSelectorServices): services is BlueGreenServices {
  return 'activeService' in services && typeof services.activeService === 'string';
}
