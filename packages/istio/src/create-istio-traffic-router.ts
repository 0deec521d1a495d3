import {
  type CallOptions,
  CancelledError,
  GradualError,
  type TrafficRouter,
  TrafficRouterError,
  type TrafficState,
  throwIfAborted,
} from '@gradual/core';
import type { KubeConfig } from '@kubernetes/client-node';
import { describeDestinationRuleChanges, describeVirtualServiceChanges } from './describe-changes.js';
import { istioConfigError } from './istio-config-error.js';
import type { DestinationRule, VirtualService } from './istio-objects.js';
import { createIstioObjectsClient, type IstioObjectsClient, type RoutedResource } from './istio-objects-client.js';
import type { IstioRoutingConfig } from './istio-routing-config.js';
import { parseResourceRef, type ResourceRef } from './parse-resource-ref.js';
import { readTrafficState } from './read-traffic-state.js';
import { podTemplateHashLabel, renderDestinationRule } from './render-destination-rule.js';
import { renderServiceSelector, type Service } from './render-service-selector.js';
import { renderVirtualService } from './render-virtual-service.js';
import { sameJson } from './same-json.js';
import { validateIstioObject } from './validate-istio-object.js';
import { virtualServiceRefs } from './virtual-service-refs.js';

/** Options of {@link createIstioTrafficRouter}. */
export interface IstioTrafficRouterOptions extends IstioRoutingConfig {
  /** Namespace of the Rollout: where `name` references without `.namespace` live. */
  namespace: string;
  /** Cluster and credentials, e.g. `new KubeConfig()` then `loadFromDefault()`. */
  kubeConfig: KubeConfig;
  /** Served version of `networking.istio.io` to read and write; default `v1beta1`. */
  apiVersion?: 'v1alpha3' | 'v1beta1' | 'v1';
  /** Tries per object when the API server answers 409 Conflict or a retryable error; default 5. */
  maxAttempts?: number;
  /** First backoff between tries, doubled each time up to 2 s, on the injected clock; default 50 ms. */
  backoffMs?: number;
  /**
   * Gives up on one request after this long, on the injected clock. Off by
   * default: cancel with the call's AbortSignal instead. Do not combine with a
   * fake clock in auto mode, which would fire it while a request is in flight.
   */
  requestTimeoutMs?: number;
  /**
   * Host-level splitting only: also point the `canaryService` and
   * `stableService` selectors at `canaryRevision` / `stableRevision` by the
   * `rollouts-pod-template-hash` label, as the Argo Rollouts controller does
   * (needs `get` and `update` on `services`). Off by default, for setups
   * where something else owns the Services.
   */
  manageServiceSelectors?: boolean;
}

/**
 * A TrafficRouter for Istio (`@gradual/core` contract v1): moves a Rollout's
 * traffic by rewriting its VirtualServices (and the DestinationRule's subset
 * labels for subset-level splitting) with Argo Rollouts' arithmetic.
 *
 * `apply` reads each object, renders it with {@link renderVirtualService} /
 * {@link renderDestinationRule}, validates it against Istio's schema and
 * writes it only if something changed, with the `resourceVersion` it read:
 * on a 409 Conflict it reads again and re-renders (bounded, with backoff on
 * the injected clock), so another writer's change is never lost. A weight
 * edited by hand is put back on the next apply and reported in `notes`.
 */
export function createIstioTrafficRouter(options: IstioTrafficRouterOptions): TrafficRouter {
  const config: IstioRoutingConfig = {
    ...(options.virtualService ? { virtualService: options.virtualService } : {}),
    ...(options.virtualServices ? { virtualServices: options.virtualServices } : {}),
    ...(options.destinationRule ? { destinationRule: options.destinationRule } : {}),
    ...(options.canaryService ? { canaryService: options.canaryService } : {}),
    ...(options.stableService ? { stableService: options.stableService } : {}),
    ...(options.managedRoutes ? { managedRoutes: options.managedRoutes } : {}),
  };
  const vsRefs = virtualServiceRefs(config).map((ref) => parseResourceRef(ref.name, options.namespace));
  const drRef = config.destinationRule ? parseResourceRef(config.destinationRule.name, options.namespace) : undefined;
  const apiVersion = options.apiVersion ?? 'v1beta1';
  const maxAttempts = Math.max(1, options.maxAttempts ?? 5);
  const backoffMs = options.backoffMs ?? 50;
  const client: IstioObjectsClient = createIstioObjectsClient({
    kubeConfig: options.kubeConfig,
    apiVersion,
    ...(options.requestTimeoutMs === undefined ? {} : { requestTimeoutMs: options.requestTimeoutMs }),
  });
  if (options.manageServiceSelectors && (config.destinationRule || !config.canaryService || !config.stableService)) {
    throw istioConfigError(
      'manageServiceSelectors needs host-level splitting: canaryService and stableService, and no destinationRule',
    );
  }
  const serviceRefs =
    options.manageServiceSelectors && config.canaryService && config.stableService
      ? {
          canary: { name: config.canaryService, namespace: options.namespace },
          stable: { name: config.stableService, namespace: options.namespace },
        }
      : undefined;
  // The last state this router wrote in full: a later apply of the same state that must write again found drift.
  let lastApplied: TrafficState | undefined;

  const update = async <T extends VirtualService | DestinationRule | Service>(input: {
    resource: RoutedResource;
    ref: ResourceRef;
    render: (current: T) => T;
    describe: (before: T, after: T) => string[];
    drift: boolean;
    notes: string[];
    call: CallOptions;
  }): Promise<boolean> => {
    const { resource, ref, call } = input;
    const kind = { virtualservices: 'VirtualService', destinationrules: 'DestinationRule', services: 'Service' }[resource];
    for (let attempt = 1; ; attempt++) {
      try {
        const current = (await client.get(resource, ref, call)) as T;
        const next = input.render(current);
        if (sameJson(current, next)) return false;
        if (resource !== 'services') await validateIstioObject(resource, apiVersion, next as VirtualService | DestinationRule);
        await client.replace(resource, ref, next as Record<string, unknown>, call);
        if (input.drift) {
          input.notes.push(
            `drift put back on ${kind} '${ref.namespace}/${ref.name}': ${input.describe(current, next).join('; ')}`,
          );
        }
        if (attempt > 1)
          input.notes.push(`${kind} '${ref.namespace}/${ref.name}' written after ${attempt - 1} retried conflict(s) or error(s)`);
        return true;
      } catch (error) {
        // isInstance rather than instanceof: the error may come from another copy of @gradual/core.
        const retryable =
          GradualError.isInstance(error) &&
          (error as TrafficRouterError).retryable === true &&
          !CancelledError.isCancellation(error);
        if (!retryable || attempt >= maxAttempts) {
          if (retryable && attempt > 1) {
            throw new TrafficRouterError('istio', `${error.message} (gave up after ${attempt} attempts)`, {
              code: (error as TrafficRouterError).code,
              retryable: true,
              cause: error,
            });
          }
          throw error;
        }
        call.logger?.debug('istio: retrying', { kind, name: ref.name, namespace: ref.namespace, attempt, error: String(error) });
        await call.clock.sleep(Math.min(2000, backoffMs * 2 ** (attempt - 1)), call.signal);
      }
    }
  };

  return {
    specificationVersion: 'v1',
    name: 'istio',
    capabilities: { headerRoutes: true, mirrorRoutes: true, experiments: true, weightGranularity: 1 },

    async apply(desired, call) {
      throwIfAborted(call.signal, 'istio apply');
      const notes: string[] = [];
      const drift = lastApplied !== undefined && sameJson(lastApplied, desired);
      let changed = false;
      // Services first, like the DestinationRule: they must select the right pods before weights move to them.
      if (serviceRefs) {
        for (const [role, ref] of [
          ['canary', serviceRefs.canary],
          ['stable', serviceRefs.stable],
        ] as const) {
          const wrote = await update<Service>({
            resource: 'services',
            ref,
            render: (current) =>
              renderServiceSelector(current, role === 'canary' ? desired.canaryRevision : desired.stableRevision),
            describe: describeServiceChanges,
            drift,
            notes,
            call,
          });
          changed = changed || wrote;
        }
      }
      // The DestinationRule first: subsets must select the right pods before weights move to them.
      if (drRef) {
        const wrote = await update<DestinationRule>({
          resource: 'destinationrules',
          ref: drRef,
          render: (current) => renderDestinationRule(current, config, desired),
          describe: describeDestinationRuleChanges,
          drift,
          notes,
          call,
        });
        changed = changed || wrote;
      }
      for (const ref of vsRefs) {
        const wrote = await update<VirtualService>({
          resource: 'virtualservices',
          ref,
          render: (current) => renderVirtualService(current, config, desired),
          describe: describeVirtualServiceChanges,
          drift,
          notes,
          call,
        });
        changed = changed || wrote;
      }
      lastApplied = structuredClone(desired);
      return notes.length > 0 ? { changed, notes } : { changed };
    },

    async observe(call) {
      throwIfAborted(call.signal, 'istio observe');
      const first = vsRefs[0]!;
      const virtualService = (await client.get('virtualservices', first, call)) as VirtualService;
      const destinationRule = drRef ? ((await client.get('destinationrules', drRef, call)) as DestinationRule) : undefined;
      const state = readTrafficState({ virtualService, config, ...(destinationRule ? { destinationRule } : {}) });
      if (serviceRefs) {
        const revisionOf = async (ref: ResourceRef) =>
          ((await client.get('services', ref, call)) as Service).spec?.selector?.[podTemplateHashLabel];
        const stableRevision = await revisionOf(serviceRefs.stable);
        const canaryRevision = await revisionOf(serviceRefs.canary);
        if (stableRevision !== undefined) state.stableRevision = stableRevision;
        if (canaryRevision !== undefined) state.canaryRevision = canaryRevision;
      }
      return state;
    },
  };
}

function describeServiceChanges(before: Service, after: Service): string[] {
  const was = before.spec?.selector?.[podTemplateHashLabel];
  const now = after.spec?.selector?.[podTemplateHashLabel];
  return [`selector ${podTemplateHashLabel}: ${was ?? '(none)'} -> ${now ?? '(none)'}`];
}
