import {
  type CallOptions,
  type RolloutSpec,
  type TrafficApplyOptions,
  type TrafficRouter,
  TrafficRouterError,
  type TrafficState,
} from '@gradual/core';
import { throwIfAborted } from '@gradual/core/adapter';
import { AppsV1Api, CoreV1Api, type KubeConfig, type V1ReplicaSet, type V1Service } from '@kubernetes/client-node';
import { kubeCall } from '../kube/kube-call.js';
import { KubernetesApiError } from '../kube/kubernetes-api-error.js';
import { managedByAnnotation, podTemplateHashLabel } from '../kube/labels.js';
import { observedTraffic } from './observed-traffic.js';
import { formatRecordedTraffic, recordedTrafficAnnotation } from './recorded-traffic.js';
import { type ReplicaSetAvailability, replicaSetAvailability } from './replica-set-availability.js';
import { type SelectorTarget, selectorTargets } from './selector-targets.js';
import { serviceSelectorIssues } from './service-selector-issues.js';
import { isBlueGreenServices, type ServiceSelectorServices } from './service-selector-services.js';

/** Options of `createServiceSelectorRouter`. */
export interface ServiceSelectorRouterOptions {
  /** Where the API server is and who the router is (needs get/update on services, list on replicasets). */
  kubeConfig: KubeConfig;
  /** Namespace of the Rollout, its Services and its ReplicaSets. */
  namespace: string;
  /** The Rollout's name: written to `argo-rollouts.argoproj.io/managed-by-rollouts`, and owner of the ReplicaSets. */
  rolloutName: string;
  /** Blue/green or canary Services; `serviceSelectorRoutingFromRollout(spec)` reads them from a Rollout. */
  services: ServiceSelectorServices;
  /** Writes per Service after a 409 Conflict (each re-reads the Service first); default 5. */
  maxConflictRetries?: number | undefined;
}

const routerName = 'service-selector';

/**
 * A `TrafficRouter` that moves the `rollouts-pod-template-hash` selector of a Rollout's Services, as Argo
 * Rollouts does without a mesh. Blue/green: the active Service selects the stable revision and moves at the
 * cut-over, the preview Service selects the newest one. Canary: the stable and canary Services select their
 * revisions; the weight is the replica split (the Workload's), so any weight is accepted and recorded on the
 * canary Service, not refused — and header routes, mirror routes and experiment weights need a mesh.
 *
 * A selector never moves to a revision whose ReplicaSet is not available (the active Service needs every pod,
 * as Argo's `reconcileActiveService`; the canary and stable Services follow `ensureSVCTargets`): `apply`
 * rejects with a retryable error naming the ReplicaSet and its counts, and the engine retries. Everything is
 * read and checked before anything is written; each write is a PUT with the resourceVersion read, re-read and
 * retried (bounded) on a 409; no write when nothing changes. A Service managed by another rollout is refused.
 */
export function createServiceSelectorRouter(options: ServiceSelectorRouterOptions): TrafficRouter {
  const core = options.kubeConfig.makeApiClient(CoreV1Api);
  const apps = options.kubeConfig.makeApiClient(AppsV1Api);
  const { namespace, rolloutName, services } = options;
  const blueGreen = isBlueGreenServices(services);
  const maxConflictRetries = Math.max(0, options.maxConflictRetries ?? 5);
  const fail = (message: string, retryable: boolean, code: string, cause?: unknown) =>
    new TrafficRouterError(routerName, message, { code, retryable, ...(cause === undefined ? {} : { cause }) });
  const asRouterError = (error: unknown) =>
    KubernetesApiError.isInstance(error) ? fail(error.message, error.retryable, error.code, error) : error;

  const roleOf = (name: string) =>
    (Object.entries(services) as [SelectorTarget['role'], string | undefined][]).find(([, service]) => service === name)?.[0];
  const readService = async (name: string, call: CallOptions) => {
    try {
      return await kubeCall({ verb: 'get', resource: 'services', name, namespace, signal: call.signal }, (configuration) =>
        core.readNamespacedService({ name, namespace }, configuration),
      );
    } catch (error) {
      const role = roleOf(name);
      if (!KubernetesApiError.isNotFound(error) || !role) throw error;
      const field = `spec.strategy.${blueGreen ? 'blueGreen' : 'canary'}.${role}`;
      throw fail(
        `Service '${name}' in namespace '${namespace}' (${field}) not found; create it or fix ${field}`,
        false,
        'SERVICE_NOT_FOUND',
        error,
      );
    }
  };

  const ownerOf = (service: V1Service) => service.metadata?.annotations?.[managedByAnnotation];
  const checkOwner = (service: V1Service, target: SelectorTarget) => {
    const owner = ownerOf(service);
    if (owner !== undefined && owner !== rolloutName)
      throw fail(
        `Service '${target.service}' in namespace '${namespace}' (${target.role}) is managed by rollout '${owner}' (annotation ${managedByAnnotation}), not by '${rolloutName}'; two rollouts cannot share a Service`,
        false,
        'SERVICE_MANAGED_BY_ANOTHER_ROLLOUT',
      );
  };

  /** The rollout's ReplicaSets of `revision`: owned by the Rollout, or named as Argo names them. */
  const replicaSetsOf = async (revision: string, call: CallOptions): Promise<V1ReplicaSet[]> => {
    const list = await kubeCall({ verb: 'list', resource: 'replicasets.apps', namespace, signal: call.signal }, (configuration) =>
      apps.listNamespacedReplicaSet({ namespace, labelSelector: `${podTemplateHashLabel}=${revision}` }, configuration),
    );
    return list.items.filter(
      (rs) =>
        rs.metadata?.labels?.[podTemplateHashLabel] === revision &&
        (rs.metadata?.name === `${rolloutName}-${revision}` ||
          (rs.metadata?.ownerReferences ?? []).some((ref) => ref.kind === 'Rollout' && ref.name === rolloutName)),
    );
  };

  /** Rejects (retryable) unless `revision`'s ReplicaSet is available enough for `target`'s Service to select it. */
  const checkAvailable = async (target: SelectorTarget, revision: string, adopting: boolean, call: CallOptions) => {
    if (target.rule === 'none') return;
    const found = (await replicaSetsOf(revision, call)).map(replicaSetAvailability);
    const needsFull = target.rule === 'full' || adopting;
    const enough = (a: ReplicaSetAvailability) => (needsFull ? a.full : a.partial);
    if (found.some(enough)) return;
    const what = `${target.role} '${target.service}' in namespace '${namespace}' stays where it is`;
    if (found.length === 0)
      throw fail(
        `no ReplicaSet of rollout '${rolloutName}' with ${podTemplateHashLabel}=${revision} in namespace '${namespace}' yet; ${what}`,
        true,
        'REPLICASET_NOT_AVAILABLE',
      );
    const counts = found.map((a) => `ReplicaSet '${a.name}' has ${a.available}/${a.desired} pods available`).join(', ');
    const need = needsFull
      ? target.rule === 'full'
        ? 'every pod available before the active Service moves'
        : `every pod available before an unmanaged Service is adopted`
      : 'at least one available pod';
    throw fail(`${counts}; it needs ${need}: ${what}`, true, 'REPLICASET_NOT_AVAILABLE');
  };

  /** The Service as it must be for `target` (and, on the primary Service, the recorded state); undefined when it already is. */
  const desiredService = (service: V1Service, target: SelectorTarget, record: string | undefined): V1Service | undefined => {
    const selector = service.spec?.selector ?? {};
    const annotations = service.metadata?.annotations ?? {};
    const revision = target.revision ?? selector[podTemplateHashLabel];
    const wanted: Record<string, string> = {
      ...(revision === undefined && ownerOf(service) === undefined ? {} : { [managedByAnnotation]: rolloutName }),
      ...(record === undefined ? {} : { [recordedTrafficAnnotation]: record }),
    };
    const same =
      selector[podTemplateHashLabel] === revision && Object.entries(wanted).every(([key, value]) => annotations[key] === value);
    if (same) return undefined;
    return {
      ...service,
      metadata: { ...service.metadata, annotations: { ...annotations, ...wanted } },
      spec: {
        ...service.spec,
        selector: revision === undefined ? selector : { ...selector, [podTemplateHashLabel]: revision },
      },
    };
  };

  /** Writes one Service; on a 409 it reads again, checks the owner again and retries. Returns whether it wrote. */
  const write = async (first: V1Service, target: SelectorTarget, record: string | undefined, call: CallOptions) => {
    let service = first;
    for (let attempt = 0; ; attempt++) {
      const next = desiredService(service, target, record);
      if (!next) return false;
      try {
        await kubeCall(
          { verb: 'update', resource: 'services', name: target.service, namespace, signal: call.signal },
          (configuration) => core.replaceNamespacedService({ name: target.service, namespace, body: next }, configuration),
        );
        return true;
      } catch (error) {
        if (!KubernetesApiError.isConflict(error) || attempt >= maxConflictRetries) throw error;
        call.logger?.debug('service-selector: conflict, reading the Service again', { service: target.service, attempt });
        service = await readService(target.service, call);
        checkOwner(service, target);
      }
    }
  };

  const refuseUnsupported = (desired: TrafficState) => {
    if (blueGreen && desired.canaryWeight !== 0 && desired.canaryWeight !== 100)
      throw fail(
        `blue/green Services send all traffic to one revision: canaryWeight ${desired.canaryWeight} cannot be expressed (only 0 or 100)`,
        false,
        'UNSUPPORTED_WEIGHT',
      );
    const routes = desired.headerRoutes.length + desired.mirrorRoutes.length;
    if (routes > 0 || desired.experiments.some((experiment) => experiment.weight > 0))
      throw fail(
        'header routes, mirror routes and experiment weights need a mesh; a Service selector cannot carry them',
        false,
        'UNSUPPORTED_ROUTES',
      );
  };

  return {
    specificationVersion: 'v1',
    name: routerName,
    // Blue/green moves all traffic at once; a canary's weight is the replica split, so any percent is fine.
    capabilities: { headerRoutes: false, mirrorRoutes: false, experiments: false, weightGranularity: blueGreen ? 100 : 1 },

    async apply(desired: TrafficState, call: TrafficApplyOptions) {
      throwIfAborted(call.signal, `${routerName} apply`);
      refuseUnsupported(desired);
      const targets = selectorTargets(services, desired);
      const record = formatRecordedTraffic(desired);
      try {
        // Read and check everything before the first write, so a refusal leaves every Service as it was.
        const read: V1Service[] = [];
        for (const target of targets) {
          const service = await readService(target.service, call);
          checkOwner(service, target);
          read.push(service);
        }
        for (const [index, target] of targets.entries()) {
          const service = read[index] as V1Service;
          const current = service.spec?.selector?.[podTemplateHashLabel];
          if (target.revision !== undefined && target.revision !== current)
            await checkAvailable(target, target.revision, ownerOf(service) === undefined, call);
        }
        let changed = false;
        const notes: string[] = [];
        for (const [index, target] of targets.entries()) {
          const service = read[index] as V1Service;
          // The state is recorded on one Service: the active one (blue/green) or the canary one.
          const primary = target.role === (blueGreen ? 'activeService' : 'canaryService');
          const before = service.spec?.selector?.[podTemplateHashLabel];
          if (await write(service, target, primary ? record : undefined, call)) {
            changed = true;
            if (target.revision !== undefined && before !== target.revision)
              notes.push(`Switched selector for service '${target.service}' from '${before ?? ''}' to '${target.revision}'`);
          }
        }
        return notes.length > 0 ? { changed, notes } : { changed };
      } catch (error) {
        throw asRouterError(error);
      }
    },

    async observe(call: CallOptions) {
      throwIfAborted(call.signal, `${routerName} observe`);
      const names = blueGreen
        ? [services.activeService, ...(services.previewService ? [services.previewService] : [])]
        : [services.canaryService, services.stableService];
      try {
        const read = new Map<string, V1Service>();
        for (const name of names) read.set(name, await readService(name, call));
        return observedTraffic(services, (name) => read.get(name));
      } catch (error) {
        throw asRouterError(error);
      }
    },

    validate: (spec: RolloutSpec) => serviceSelectorIssues(spec, services),
  };
}
