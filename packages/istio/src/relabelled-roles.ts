import type { DestinationRule } from './istio-objects.js';
import type { IstioRoutingConfig } from './istio-routing-config.js';
import { podTemplateHashLabel } from './render-destination-rule.js';
import type { Service } from './render-service-selector.js';

/** Which roles select other pods after a write: the canary and stable subsets (or Services). */
export interface RelabelledRoles {
  canary: boolean;
  stable: boolean;
}

/**
 * Whether the canary and the stable role select other pods once the
 * rendered DestinationRule (subset-level) or Services (host-level with
 * `manageServiceSelectors`) are written: their `rollouts-pod-template-hash`
 * label changes. Pure.
 */
export function relabelledRoles(input: {
  config: IstioRoutingConfig;
  destinationRule?: { current: DestinationRule; next: DestinationRule } | undefined;
  services?: { canary: { current: Service; next: Service }; stable: { current: Service; next: Service } } | undefined;
}): RelabelledRoles {
  const { config, destinationRule, services } = input;
  const roles: RelabelledRoles = { canary: false, stable: false };
  const rule = config.destinationRule;
  if (rule && destinationRule) {
    const label = (object: DestinationRule, subset: string) =>
      object.spec.subsets?.find((candidate) => candidate.name === subset)?.labels?.[podTemplateHashLabel];
    for (const [role, subset] of [
      ['canary', rule.canarySubsetName],
      ['stable', rule.stableSubsetName],
    ] as const) {
      if (label(destinationRule.current, subset) !== label(destinationRule.next, subset)) roles[role] = true;
    }
  }
  if (services) {
    const label = (object: Service) => object.spec?.selector?.[podTemplateHashLabel];
    for (const role of ['canary', 'stable'] as const) {
      if (label(services[role].current) !== label(services[role].next)) roles[role] = true;
    }
  }
  return roles;
}
