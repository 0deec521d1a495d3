import type { TrafficState } from '@gradual/core';
import { describeDestinations } from './describe-object.js';
import { destinationRole, experimentHost, shortHost } from './destination-roles.js';
import { istioConfigError } from './istio-config-error.js';
import type { RouteDestination } from './istio-objects.js';
import type { IstioRoutingConfig } from './istio-routing-config.js';

/**
 * Argo's `SetWeight` for one route (§7.3): canary gets the desired weight,
 * stable `100 - canary - experiments - additional subsets`, experiment
 * destinations their weight (appended, sorted by host, when missing); any
 * other destination with a weight is removed, zero-weight ones are left.
 */
export function reweightDestinations(input: {
  destinations: readonly RouteDestination[] | undefined;
  config: IstioRoutingConfig;
  desired: TrafficState;
  where: string;
}): RouteDestination[] {
  const { config, desired, where } = input;
  const destinations = input.destinations ?? [];
  const roles = destinations.map((entry) => destinationRole(entry.destination, config, desired.experiments));
  const missing = (['canary', 'stable'] as const).filter((role) => !roles.includes(role));
  if (missing.length > 0) {
    const rule = config.destinationRule;
    const what = missing
      .map((role) =>
        rule
          ? `${role === 'canary' ? 'Canary' : 'Stable'} DestinationRule subset '${role === 'canary' ? rule.canarySubsetName : rule.stableSubsetName}'`
          : `${role === 'canary' ? 'Canary' : 'Stable'} Service '${role === 'canary' ? config.canaryService : config.stableService}'`,
      )
      .join(' and ');
    throw istioConfigError(
      `${what} not found in ${where}; its destinations are: ${describeDestinations(destinations)}`,
      'ISTIO_DESTINATION_NOT_FOUND',
    );
  }
  const additional = destinations.reduce((sum, entry, i) => sum + (roles[i] === 'additional' ? (entry.weight ?? 0) : 0), 0);
  const experiments = desired.experiments.reduce((sum, experiment) => sum + experiment.weight, 0);
  const total = desired.canaryWeight + experiments + additional;
  if (total > 100) {
    // Argo clamps stable at 0 and writes a sum above 100 that Istio may reject; say so before writing.
    throw istioConfigError(
      `${where}: canary ${desired.canaryWeight} + experiments ${experiments} + additional subsets ${additional} = ${total}, more than 100`,
      'ISTIO_WEIGHTS_EXCEED_100',
    );
  }
  const stable = 100 - total;
  const next: RouteDestination[] = [];
  destinations.forEach((entry, i) => {
    switch (roles[i]) {
      case 'canary':
        next.push({ ...entry, weight: desired.canaryWeight });
        break;
      case 'stable':
        next.push({ ...entry, weight: stable });
        break;
      case 'experiment': {
        const experiment = desired.experiments.find((e) => shortHost(experimentHost(e)) === shortHost(entry.destination.host));
        next.push({ ...entry, weight: experiment?.weight ?? 0 });
        break;
      }
      case 'additional':
        next.push(entry);
        break;
      default:
        // Weighted leftovers are finished experiments: drop them, as Argo does.
        if ((entry.weight ?? 0) === 0) next.push(entry);
    }
  });
  const present = new Set(next.map((entry) => shortHost(entry.destination.host)));
  const added = desired.experiments
    .filter((experiment) => experiment.weight > 0 && !present.has(shortHost(experimentHost(experiment))))
    .map((experiment) => ({ destination: { host: experimentHost(experiment) }, weight: experiment.weight }))
    .sort((a, b) => a.destination.host.localeCompare(b.destination.host));
  return [...next, ...added];
}
