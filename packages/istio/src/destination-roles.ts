import type { ExperimentDestination } from '@gradual/core';
import type { Destination } from './istio-objects.js';
import type { IstioRoutingConfig } from './istio-routing-config.js';

/** What a route destination is to the rollout. */
export type DestinationRole = 'stable' | 'canary' | 'experiment' | 'additional' | 'other';

/** Host short name: the text before the first dot, as Argo compares hosts. */
export function shortHost(host: string): string {
  const dot = host.indexOf('.');
  return dot < 0 ? host : host.slice(0, dot);
}

/** The Service that fronts an experiment template: its `serviceName`, else its name. */
export function experimentHost(experiment: ExperimentDestination): string {
  return experiment.serviceName ?? experiment.name;
}

/** Whether the config splits by DestinationRule subsets (else by Service hosts). */
export function isSubsetLevel(config: IstioRoutingConfig): boolean {
  return config.destinationRule !== undefined;
}

/** Classifies a destination by host (host-level) or subset (subset-level), as Argo's istio.go does. */
export function destinationRole(
  destination: Destination,
  config: IstioRoutingConfig,
  experiments: readonly ExperimentDestination[],
): DestinationRole {
  const host = shortHost(destination.host);
  const rule = config.destinationRule;
  if (rule) {
    if (destination.subset === rule.canarySubsetName) return 'canary';
    if (destination.subset === rule.stableSubsetName) return 'stable';
    if (destination.subset !== undefined && rule.additionalSubsetNames?.includes(destination.subset)) return 'additional';
  } else {
    if (host === config.canaryService) return 'canary';
    if (host === config.stableService) return 'stable';
  }
  if (experiments.some((experiment) => shortHost(experimentHost(experiment)) === host)) return 'experiment';
  return 'other';
}
