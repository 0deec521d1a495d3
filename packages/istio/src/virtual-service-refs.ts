import { istioConfigError } from './istio-config-error.js';
import type { IstioRoutingConfig, IstioVirtualServiceRef } from './istio-routing-config.js';
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

/**
 * The ref in `config` that names this VirtualService. A bare `name` lives in
 * `namespace` (the router's, where the Rollout is); a `name.namespace` ref
 * in its namespace. Without `namespace` (a pure render), an exact
 * `name.namespace` match wins over a bare name, and a bare name must be the
 * only candidate.
 */
export function virtualServiceRefFor(
  config: IstioRoutingConfig,
  metadata: { name?: string | undefined; namespace?: string | undefined } | undefined,
  namespace?: string,
): IstioVirtualServiceRef {
  const refs = virtualServiceRefs(config);
  const name = metadata?.name;
  const objectNamespace = metadata?.namespace;
  const byName = refs
    .map((ref) => ({ ref, parsed: parseResourceRef(ref.name, namespace ?? '') }))
    .filter(({ parsed }) => parsed.name === name);
  const exact = byName.find(({ parsed }) => objectNamespace !== undefined && parsed.namespace === objectNamespace);
  if (exact) return exact.ref;
  const loose = byName.filter(({ parsed }) => parsed.namespace === '' || objectNamespace === undefined);
  if (loose.length === 1) return loose[0]!.ref;
  if (refs.length === 1 && name === undefined) return refs[0]!;
  const where = objectNamespace ? `${objectNamespace}/${name ?? '(unnamed)'}` : (name ?? '(unnamed)');
  throw istioConfigError(
    loose.length > 1
      ? `VirtualService '${where}' matches several of trafficRouting.istio's (${loose.map(({ ref }) => ref.name).join(', ')}); name its namespace`
      : `VirtualService '${where}' is not one of trafficRouting.istio's: ${refs.map((ref) => ref.name).join(', ')}${namespace ? ` (bare names are in namespace '${namespace}')` : ''}`,
  );
}
