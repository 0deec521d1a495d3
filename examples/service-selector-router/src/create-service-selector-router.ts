import { type CallOptions, GradualError, type TrafficRouter, TrafficRouterError, type TrafficState } from '@gradual/core';
import { throwIfAborted } from '@gradual/core/adapter';
import { CoreV1Api, type KubeConfig, type V1Service } from '@kubernetes/client-node';
import { kubeCall } from './kube-call.js';

export interface ServiceSelectorRouterOptions {
  kubeConfig: KubeConfig;
  namespace: string;
  /** The Service users reach (Argo's `activeService`; the seed's `my-service`). */
  activeService: string;
  /** The Service testers reach before promotion (Argo's `previewService`); optional. */
  previewService?: string;
  /** Pod label holding the revision; Argo's `rollouts-pod-template-hash` by default. */
  hashLabel?: string;
  /** Tries per Service on a 409 Conflict; default 5. */
  maxAttempts?: number;
}

const routerName = 'service-selector';
/** Where the router records which revision is stable, so `observe` can tell "promoted" from "canary at 100%". */
export const stableRevisionAnnotation = 'gradual.dev/stable-revision';

/**
 * Blue/green by switching a Service's selector, as Argo Rollouts does: the
 * active Service selects pods whose `rollouts-pod-template-hash` is the
 * stable revision (or the canary's while it has 100% of traffic), the
 * preview Service selects the canary's. One write per Service, with the
 * resourceVersion it read, so a concurrent edit is never overwritten (409
 * → read again, bounded). It cannot split traffic: weights other than 0
 * and 100 are refused before the rollout starts (`weightGranularity: 100`).
 *
 * The seed's slide relabels pods instead (`kubectl label pod -l app=mynode
 * inservice=mypods`): one write per pod, and for a moment both versions
 * serve. Changing the selector is one atomic write.
 */
export function createServiceSelectorRouter(options: ServiceSelectorRouterOptions): TrafficRouter {
  const api = options.kubeConfig.makeApiClient(CoreV1Api);
  const hashLabel = options.hashLabel ?? 'rollouts-pod-template-hash';
  const maxAttempts = Math.max(1, options.maxAttempts ?? 5);
  const objectName = (name: string) => `Service '${name}' in namespace '${options.namespace}'`;

  const read = (name: string, call: CallOptions) =>
    kubeCall({ verb: 'get', object: objectName(name), router: routerName }, call, (configuration) =>
      api.readNamespacedService({ name, namespace: options.namespace }, configuration),
    );

  /** Makes one Service select `revision`; returns whether it wrote. */
  const point = async (name: string, revision: string, annotations: Record<string, string>, call: CallOptions) => {
    for (let attempt = 1; ; attempt++) {
      const service = await read(name, call);
      const selector = service.spec?.selector ?? {};
      const current = service.metadata?.annotations ?? {};
      if (selector[hashLabel] === revision && Object.entries(annotations).every(([k, v]) => current[k] === v)) return false;
      const next: V1Service = {
        ...service,
        metadata: { ...service.metadata, annotations: { ...current, ...annotations } },
        spec: { ...service.spec, selector: { ...selector, [hashLabel]: revision } },
      };
      try {
        await kubeCall({ verb: 'update', object: objectName(name), router: routerName }, call, (configuration) =>
          api.replaceNamespacedService({ name, namespace: options.namespace, body: next }, configuration),
        );
        return true;
      } catch (error) {
        if (!GradualError.hasCode(error, 'CONFLICT') || attempt >= maxAttempts) throw error;
        await call.clock.sleep(25 * 2 ** attempt, call.signal);
      }
    }
  };

  return {
    specificationVersion: 'v1',
    name: routerName,
    capabilities: { headerRoutes: false, mirrorRoutes: false, experiments: false, weightGranularity: 100 },
    async apply(desired: TrafficState, call) {
      throwIfAborted(call.signal, `${routerName} apply`);
      if (desired.canaryWeight !== 0 && desired.canaryWeight !== 100) {
        throw new TrafficRouterError(
          routerName,
          `a Service selector sends all traffic or none: canaryWeight ${desired.canaryWeight}`,
          {
            retryable: false,
          },
        );
      }
      if (desired.headerRoutes.length + desired.mirrorRoutes.length + desired.experiments.length > 0) {
        throw new TrafficRouterError(
          routerName,
          'header routes, mirror routes and experiments need a mesh, not a Service selector',
          {
            retryable: false,
          },
        );
      }
      const stable = desired.stableRevision;
      if (!stable) throw new TrafficRouterError(routerName, 'the desired state names no stableRevision', { retryable: false });
      const canary = desired.canaryRevision ?? stable;
      const active = desired.canaryWeight === 100 ? canary : stable;
      // Preview first: testers see the new version before users do, never after.
      const previewChanged = options.previewService ? await point(options.previewService, canary, {}, call) : false;
      const activeChanged = await point(options.activeService, active, { [stableRevisionAnnotation]: stable }, call);
      return { changed: previewChanged || activeChanged };
    },
    async observe(call) {
      const service = await read(options.activeService, call);
      const selected = service.spec?.selector?.[hashLabel];
      const stable = service.metadata?.annotations?.[stableRevisionAnnotation] ?? selected;
      const canaryRevision = options.previewService
        ? (await read(options.previewService, call)).spec?.selector?.[hashLabel]
        : undefined;
      return {
        canaryWeight: selected !== undefined && selected !== stable ? 100 : 0,
        ...(stable ? { stableRevision: stable } : {}),
        ...(canaryRevision ? { canaryRevision } : {}),
        headerRoutes: [],
        mirrorRoutes: [],
        experiments: [],
      };
    },
  };
}
