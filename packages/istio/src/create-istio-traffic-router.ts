import {
  type CallOptions,
  CancelledError,
  GradualError,
  type TrafficRouter,
  TrafficRouterError,
  type TrafficState,
} from '@gradual/core';
import { throwIfAborted } from '@gradual/core/adapter';
import type { KubeConfig } from '@kubernetes/client-node';
import { assertReadBack } from './assert-read-back.js';
import { describeDestinationRuleChanges, describeVirtualServiceChanges } from './describe-changes.js';
import { istioConfigError } from './istio-config-error.js';
import type { DestinationRule, VirtualService } from './istio-objects.js';
import { createIstioObjectsClient, type IstioObjectsClient } from './istio-objects-client.js';
import type { IstioRoutingConfig } from './istio-routing-config.js';
import { istioRoutingIssues } from './istio-routing-issues.js';
import { mayHaveBeenWritten } from './may-have-been-written.js';
import { parseResourceRef, type ResourceRef } from './parse-resource-ref.js';
import { planWrites } from './plan-writes.js';
import { readTrafficState } from './read-traffic-state.js';
import type { RelabelledRoles } from './relabelled-roles.js';
import { podTemplateHashLabel } from './render-destination-rule.js';
import type { Service } from './render-service-selector.js';
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
  apiVersion?: 'v1alpha3' | 'v1beta1' | 'v1' | undefined;
  /** Tries per object when the API server answers 409 Conflict or a retryable error; default 5. */
  maxAttempts?: number | undefined;
  /** First backoff between tries, doubled each time up to 2 s, on the injected clock; default 50 ms. */
  backoffMs?: number | undefined;
  /**
   * Gives up on one request after this long, on the injected clock. Off by
   * default: cancel with the call's AbortSignal instead. Do not combine with a
   * fake clock in auto mode, which would fire it while a request is in flight.
   */
  requestTimeoutMs?: number | undefined;
  /**
   * Host-level splitting only: also point the `canaryService` and
   * `stableService` selectors at `canaryRevision` / `stableRevision` by the
   * `rollouts-pod-template-hash` label, as the Argo Rollouts controller does
   * (needs `get` and `update` on `services`). Off by default, for setups
   * where something else owns the Services.
   */
  manageServiceSelectors?: boolean | undefined;
}

/**
 * A TrafficRouter for Istio (`@gradual/core` contract v1): moves a Rollout's
 * traffic by rewriting its VirtualServices (and the DestinationRule's subset
 * labels for subset-level splitting, or the Services' selectors with
 * `manageServiceSelectors`) with Argo Rollouts' arithmetic.
 *
 * `apply` reads every object, renders and validates every one against
 * Istio's schema before it writes any, then writes only what changed, in an
 * order that never sends traffic to pods that are not selected yet (see
 * `stepDownState`): VirtualServices stepped down, then the
 * DestinationRule or Services, then the VirtualServices' final weights. Each
 * write carries the `resourceVersion` it read: on a 409 Conflict (or another
 * retryable error) the whole apply reads again and re-renders (bounded, with
 * backoff on the injected clock), so another writer's change is never lost.
 * A weight edited by hand is put back on the next apply and reported in `notes`.
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
  // Each entry keeps its config ref: two VirtualServices may share a name in different namespaces.
  const virtualServices = virtualServiceRefs(config).map((entry) => ({
    entry,
    ref: parseResourceRef(entry.name, options.namespace),
  }));
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

  // The last state this router wrote in full: observe reports the VirtualService that differs from it.
  let lastApplied: TrafficState | undefined;

  /** One pass: read everything, render and validate everything, then write in a safe order. */
  const applyOnce = async (pass: {
    desired: TrafficState;
    call: CallOptions;
    attempt: number;
    drift: boolean;
    notes: string[];
    /** Called when a write reached the API server or may have (reply lost). */
    wrote: () => void;
  }): Promise<void> => {
    const { desired, call, attempt, drift, notes } = pass;
    const vsCurrent: VirtualService[] = [];
    for (const { ref } of virtualServices) vsCurrent.push((await client.get('virtualservices', ref, call)) as VirtualService);
    const drCurrent = drRef ? ((await client.get('destinationrules', drRef, call)) as DestinationRule) : undefined;
    const servicesCurrent = serviceRefs
      ? {
          canary: (await client.get('services', serviceRefs.canary, call)) as Service,
          stable: (await client.get('services', serviceRefs.stable, call)) as Service,
        }
      : undefined;

    // Render and validate everything before writing anything: a config error or a bad object leaves every object as it was.
    const plan = planWrites({
      config,
      desired,
      namespace: options.namespace,
      virtualServices: virtualServices.map(({ entry }, i) => ({ entry, current: vsCurrent[i]! })),
      ...(drCurrent ? { destinationRule: drCurrent } : {}),
      ...(servicesCurrent ? { services: servicesCurrent } : {}),
    });
    for (const { current, step, final } of plan.virtualServices) {
      if (!sameJson(step, current)) await validateIstioObject('virtualservices', apiVersion, step);
      if (!sameJson(final, step)) await validateIstioObject('virtualservices', apiVersion, final);
    }
    if (plan.destinationRule && !sameJson(plan.destinationRule.current, plan.destinationRule.next)) {
      await validateIstioObject('destinationrules', apiVersion, plan.destinationRule.next);
    }

    const written = (kind: string, ref: ResourceRef, changes: string[]) => {
      if (drift) notes.push(`drift put back on ${kind} '${ref.namespace}/${ref.name}': ${changes.join('; ')}`);
      if (attempt > 1)
        notes.push(`${kind} '${ref.namespace}/${ref.name}' written after ${attempt - 1} retried conflict(s) or error(s)`);
    };
    const send = async <T>(write: () => Promise<T>): Promise<T> => {
      try {
        const result = await write();
        pass.wrote();
        return result;
      } catch (error) {
        if (mayHaveBeenWritten(error)) pass.wrote();
        throw error;
      }
    };

    // (a) VirtualServices stepped down: the canary no higher than before or after the relabel.
    const stored: VirtualService[] = [];
    for (const [i, { current, step, final }] of plan.virtualServices.entries()) {
      stored[i] = current;
      if (sameJson(step, current)) continue;
      const { ref } = virtualServices[i]!;
      stored[i] = (await send(() =>
        client.replace('virtualservices', ref, step as Record<string, unknown>, call),
      )) as VirtualService;
      if (!sameJson(final.spec, step.spec)) {
        notes.push(
          `VirtualService '${ref.namespace}/${ref.name}' stepped to canary weight ${readCanary(step, i)} before the ${relabelledWhat(plan.relabelled)} changed revision`,
        );
      }
    }
    // (b) The DestinationRule or the Services: pods are selected before weights move to them.
    if (drRef && plan.destinationRule && !sameJson(plan.destinationRule.current, plan.destinationRule.next)) {
      const { current, next } = plan.destinationRule;
      await send(() => client.replace('destinationrules', drRef, next as Record<string, unknown>, call));
      written('DestinationRule', drRef, describeDestinationRuleChanges(current, next));
    }
    if (serviceRefs && plan.services) {
      for (const role of ['canary', 'stable'] as const) {
        const { current, next } = plan.services[role];
        if (sameJson(current, next)) continue;
        const ref = serviceRefs[role];
        // A merge patch of the selector alone keeps every field client-node's Service model does not know.
        const patch = {
          metadata: { resourceVersion: current.metadata?.resourceVersion },
          spec: { selector: next.spec?.selector },
        };
        await send(() => client.mergePatch('services', ref, patch, call));
        written('Service', ref, describeServiceChanges(current, next));
      }
    }
    // (c) VirtualServices at their final weights, on top of what (a) stored (renders change `spec` only).
    for (const [i, { current, step, final }] of plan.virtualServices.entries()) {
      const { ref } = virtualServices[i]!;
      const stepped = stored[i] !== current;
      const base = stepped ? step : current;
      const write = !sameJson(final.spec, base.spec);
      if (write) {
        const body = { ...final, metadata: { ...final.metadata, resourceVersion: stored[i]!.metadata?.resourceVersion } };
        await send(() => client.replace('virtualservices', ref, body as Record<string, unknown>, call));
      }
      if (write || stepped) written('VirtualService', ref, describeVirtualServiceChanges(current, final));
    }
  };

  const readCanary = (vs: VirtualService, i: number) =>
    readTrafficState({ virtualService: vs, config, ref: virtualServices[i]!.entry }).canaryWeight;

  return {
    specificationVersion: 'v1',
    name: 'istio',
    capabilities: { headerRoutes: true, mirrorRoutes: true, experiments: true, weightGranularity: 1 },
    validate: istioRoutingIssues,

    async apply(desired, call) {
      throwIfAborted(call.signal, 'istio apply');
      const notes: string[] = [];
      // The engine says when it puts back a hand edit (it read the traffic back with observe).
      const drift = call.drifted === true;
      // True once a write reached the API server, or may have (its reply was lost): a re-read then shows no change.
      let changed = false;
      for (let attempt = 1; ; attempt++) {
        try {
          await applyOnce({
            desired,
            call,
            attempt,
            drift,
            notes,
            wrote: () => {
              changed = true;
            },
          });
          break;
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
          call.logger?.debug('istio: retrying', { attempt, error: String(error) });
          await call.clock.sleep(Math.min(2000, backoffMs * 2 ** (attempt - 1)), call.signal);
        }
      }
      lastApplied = structuredClone(desired);
      return notes.length > 0 ? { changed, notes } : { changed };
    },

    async observe(call) {
      throwIfAborted(call.signal, 'istio observe');
      const destinationRule = drRef ? ((await client.get('destinationrules', drRef, call)) as DestinationRule) : undefined;
      // What a person edited by hand is checked before it is believed: `weight: "lots"` is an error, not a weight.
      if (destinationRule) assertReadBack('DestinationRule', destinationRule);
      // Every VirtualService is read: the first whose weights differ from what this router last applied is reported,
      // so a hand edit of any of them shows as drift; when they all agree, the first.
      const states: TrafficState[] = [];
      for (const { entry, ref } of virtualServices) {
        const virtualService = (await client.get('virtualservices', ref, call)) as VirtualService;
        assertReadBack('VirtualService', virtualService);
        states.push(readTrafficState({ virtualService, config, ref: entry, ...(destinationRule ? { destinationRule } : {}) }));
      }
      const weights = (state: TrafficState) => [state.canaryWeight, ...state.experiments.map((e) => `${e.name}=${e.weight}`)];
      const state =
        (lastApplied && states.find((candidate) => !sameJson(weights(candidate), weights(lastApplied!)))) ?? states[0]!;
      if (serviceRefs) {
        const revisionOf = async (ref: ResourceRef) => {
          const service = (await client.get('services', ref, call)) as Service;
          assertReadBack('Service', service);
          return service.spec?.selector?.[podTemplateHashLabel];
        };
        const stableRevision = await revisionOf(serviceRefs.stable);
        const canaryRevision = await revisionOf(serviceRefs.canary);
        if (stableRevision !== undefined) state.stableRevision = stableRevision;
        if (canaryRevision !== undefined) state.canaryRevision = canaryRevision;
      }
      return state;
    },
  };
}

function relabelledWhat(relabelled: RelabelledRoles): string {
  return relabelled.canary && relabelled.stable ? 'canary and stable' : relabelled.canary ? 'canary' : 'stable';
}

function describeServiceChanges(before: Service, after: Service): string[] {
  const was = before.spec?.selector?.[podTemplateHashLabel];
  const now = after.spec?.selector?.[podTemplateHashLabel];
  return [`selector ${podTemplateHashLabel}: ${was ?? '(none)'} -> ${now ?? '(none)'}`];
}
