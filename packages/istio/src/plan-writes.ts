import type { TrafficState } from '@gradual/core';
import type { DestinationRule, VirtualService } from './istio-objects.js';
import type { IstioRoutingConfig, IstioVirtualServiceRef } from './istio-routing-config.js';
import { type RelabelledRoles, relabelledRoles } from './relabelled-roles.js';
import { renderDestinationRule } from './render-destination-rule.js';
import { renderServiceSelector, type Service } from './render-service-selector.js';
import { renderVirtualService } from './render-virtual-service.js';
import { stepDownState } from './step-down-state.js';

/** Every object of one apply as read, and as it must be written. */
export interface WritePlan {
  virtualServices: {
    current: VirtualService;
    /** Written first: safe while the DestinationRule or Services change (equals `final` when nothing is relabelled). */
    step: VirtualService;
    /** Written last. */
    final: VirtualService;
  }[];
  destinationRule?: { current: DestinationRule; next: DestinationRule } | undefined;
  services?: { canary: { current: Service; next: Service }; stable: { current: Service; next: Service } } | undefined;
  relabelled: RelabelledRoles;
}

/**
 * Renders every object for `desired` before anything is written, so a
 * config error (a missing route, a weight above 100) throws with every
 * object untouched; and the step each VirtualService must take before the
 * DestinationRule or Services select other pods (`stepDownState`).
 * Pure.
 */
export function planWrites(input: {
  config: IstioRoutingConfig;
  desired: TrafficState;
  namespace: string;
  virtualServices: { entry: IstioVirtualServiceRef; current: VirtualService }[];
  destinationRule?: DestinationRule | undefined;
  services?: { canary: Service; stable: Service } | undefined;
}): WritePlan {
  const { config, desired, namespace } = input;
  const destinationRuleHost = input.destinationRule?.spec.host;
  const render = (current: VirtualService, entry: IstioVirtualServiceRef, state: TrafficState) =>
    renderVirtualService(current, config, state, {
      ref: entry,
      namespace,
      ...(destinationRuleHost === undefined ? {} : { destinationRuleHost }),
    });
  const finals = input.virtualServices.map(({ entry, current }) => render(current, entry, desired));
  const destinationRule = input.destinationRule
    ? { current: input.destinationRule, next: renderDestinationRule(input.destinationRule, config, desired) }
    : undefined;
  const services = input.services
    ? {
        canary: { current: input.services.canary, next: renderServiceSelector(input.services.canary, desired.canaryRevision) },
        stable: { current: input.services.stable, next: renderServiceSelector(input.services.stable, desired.stableRevision) },
      }
    : undefined;
  const relabelled = relabelledRoles({
    config,
    ...(destinationRule ? { destinationRule } : {}),
    ...(services ? { services } : {}),
  });
  return {
    virtualServices: input.virtualServices.map(({ entry, current }, i) => ({
      current,
      step:
        relabelled.canary || relabelled.stable
          ? render(current, entry, stepDownState({ current, config, ref: entry, desired, relabelled }))
          : finals[i]!,
      final: finals[i]!,
    })),
    ...(destinationRule ? { destinationRule } : {}),
    ...(services ? { services } : {}),
    relabelled,
  };
}
