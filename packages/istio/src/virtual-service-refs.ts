import type { IstioVirtualServiceRef } from '@gradual/core';
import { istioConfigError } from './istio-config-error.js';
import type { IstioRoutingConfig } from './istio-routing-config.js';
import { parseResourceRef } from './parse-resource-ref.js';

/** `virtualService` or `virtualServices` of the config; exactly one must be set, as Argo validates. */
export function virtualServiceRefs(config: IstioRoutingConfig): IstioVirtualServiceRef[] {
  if (config.virtualService && config.virtualServices) {
    throw istioConfigError('trafficRouting.istio: either virtualService or virtualServices must be configured, not both');
  }
  const refs = config.virtualService ? [config.virtualService] : (config.virtualServices ?? []);
  if (refs.length === 0) throw istioConfigError('trafficRouting.istio: virtualService or virtualServices must be configured');
  if (!config.destinationRule && (!config.canaryService || !config.stableService)) {
    throw istioConfigError(
      'trafficRouting.istio: host-level splitting needs canaryService and stableService (or a destinationRule)',
    );
  }
  if (!config.destinationRule && config.canaryService === config.stableService) {
    throw istioConfigError(`canaryService and stableService must differ (both are '${config.canaryService}')`);
  }
  return refs;
}

/** The ref in `config` that names this VirtualService (by name, and namespace when both say one). */
export function virtualServiceRefFor(
  config: IstioRoutingConfig,
  metadata: { name?: string; namespace?: string } | undefined,
): IstioVirtualServiceRef {
  const refs = virtualServiceRefs(config);
  const name = metadata?.name;
  const found = refs.find((ref) => {
    const parsed = parseResourceRef(ref.name, metadata?.namespace ?? '');
    return parsed.name === name && (!metadata?.namespace || !parsed.namespace || parsed.namespace === metadata.namespace);
  });
  if (found) return found;
  if (refs.length === 1 && name === undefined) return refs[0]!;
  throw istioConfigError(
    `VirtualService '${name ?? '(unnamed)'}' is not one of trafficRouting.istio's: ${refs.map((ref) => ref.name).join(', ')}`,
  );
}
