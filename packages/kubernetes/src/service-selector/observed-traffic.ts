import type { TrafficState } from '@gradual/core';
import type { V1Service } from '@kubernetes/client-node';
import { podTemplateHashLabel } from '../kube/labels.js';
import { parseRecordedTraffic, recordedTrafficAnnotation } from './recorded-traffic.js';
import { isBlueGreenServices, type ServiceSelectorServices } from './service-selector-services.js';

const selected = (service: V1Service | undefined) => service?.spec?.selector?.[podTemplateHashLabel];

/**
 * The traffic the Services say, from their selectors and the state the router recorded. Blue/green: the
 * active Service on a revision other than the recorded stable one is the canary at 100%. Canary: a selector
 * cannot show a weight (the replica split carries it), so the recorded weight is reported while the canary
 * Service still selects the recorded canary revision, 0% once it was moved away, and 100% when the stable
 * Service was moved onto the canary revision — so that the engine notices a hand-moved selector. Pure.
 */
export function observedTraffic(services: ServiceSelectorServices, read: (name: string) => V1Service | undefined): TrafficState {
  const empty = { headerRoutes: [], mirrorRoutes: [], experiments: [] };
  if (isBlueGreenServices(services)) {
    const active = read(services.activeService);
    const recorded = parseRecordedTraffic(active?.metadata?.annotations?.[recordedTrafficAnnotation]);
    const onActive = selected(active);
    const stableRevision = recorded?.stableRevision ?? onActive;
    const canaryRevision =
      (services.previewService ? selected(read(services.previewService)) : undefined) ?? recorded?.canaryRevision;
    return {
      canaryWeight: onActive !== undefined && stableRevision !== undefined && onActive !== stableRevision ? 100 : 0,
      ...(stableRevision ? { stableRevision } : {}),
      ...(canaryRevision ? { canaryRevision } : {}),
      ...empty,
    };
  }
  const canary = read(services.canaryService);
  const recorded = parseRecordedTraffic(canary?.metadata?.annotations?.[recordedTrafficAnnotation]);
  const canaryRevision = selected(canary);
  const stableRevision = selected(read(services.stableService));
  let canaryWeight = 0;
  if (recorded && canaryRevision === (recorded.canaryRevision ?? recorded.stableRevision)) canaryWeight = recorded.canaryWeight;
  if (
    recorded?.canaryRevision &&
    recorded.canaryRevision !== recorded.stableRevision &&
    stableRevision === recorded.canaryRevision
  )
    canaryWeight = 100;
  return {
    canaryWeight,
    ...(stableRevision ? { stableRevision } : {}),
    ...(canaryRevision ? { canaryRevision } : {}),
    ...empty,
  };
}
