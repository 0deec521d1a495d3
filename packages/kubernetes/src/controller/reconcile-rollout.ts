import { createAnalysisRunner } from '@gradual/analysis';
import {
  type AnalysisRunner,
  type CallOptions,
  type Clock,
  GradualError,
  type Logger,
  type MetricProvider,
  type RolloutEvent,
  type RolloutSpec,
  reconcile,
  type TrafficRouter,
  ValidationError,
} from '@gradual/core';
import type { KubeConfig, V1ReplicaSet } from '@kubernetes/client-node';
import type { ControllerParts, RolloutRef, StoredRollout } from './controller-parts.js';
import { firstDeploy } from './first-deploy.js';
import { noTrafficRouter } from './no-traffic-router.js';
import { rolloutKey } from './rollout-key.js';
import type { AnalysisTemplateObject, RolloutObject } from './rollout-object.js';
import { takeoverCommands } from './takeover-commands.js';
import { workloadCounts } from './workload-counts.js';

/** The objects the informers hold, read without a request. */
export interface ControllerCaches {
  rollout(ref: RolloutRef): RolloutObject | undefined;
  /** The ReplicaSets the Rollout with this uid controls (by owner reference). */
  replicaSets(namespace: string, ownerUid: string): readonly V1ReplicaSet[];
  analysisTemplates(namespace: string): readonly AnalysisTemplateObject[];
}

/**
 * The user's hook for the traffic routing a Rollout asks for (Istio, Gateway API, ...): called at each
 * reconcile with the parsed spec (its revision resolved), the Rollout object, its namespace and the
 * controller's KubeConfig; undefined leaves the choice to the controller.
 */
export type RouterFor = (input: {
  spec: RolloutSpec;
  object: RolloutObject;
  namespace: string;
  kubeConfig: KubeConfig;
}) => TrafficRouter | undefined;

/** How one reconcile ended, and when to come back. */
export type ReconcileStep =
  | { outcome: 'success'; requeueAfterMs: number | undefined; phase: string }
  /** Nothing to do: the rollout is gone, or the cache has not caught up with our own last write yet. */
  | { outcome: 'skipped'; gone: boolean }
  /** A stale status write was refused: read again at once, from the API server. */
  | { outcome: 'conflict' };

/** What `createRolloutReconciler` composes. */
export interface RolloutReconcilerOptions {
  kubeConfig: KubeConfig;
  caches: ControllerCaches;
  parts: Pick<ControllerParts, 'store' | 'adapters' | 'events'>;
  routerFor?: RouterFor | undefined;
  providers: readonly MetricProvider[];
  clock: Clock;
  logger: Logger;
}

/**
 * One reconcile of one rollout: the object from the cache, gradual's status from it, the plugin's commands,
 * the spec (workloadRef resolved), the revision (an existing ReplicaSet with the same pod template keeps its
 * hash), the router and the workload, core's `reconcile`, the status write with the resourceVersion read,
 * then the Events. Keys are serialized by the work queue, so per-key state here needs no lock.
 */
export function createRolloutReconciler(options: RolloutReconcilerOptions) {
  const { caches, parts, clock, logger } = options;
  // After our own write the cache holds the version we read until the watch brings ours: never act on it.
  const written = new Map<string, string>();
  // After a conflict the cache is behind the API server: read the next one fresh.
  const readFresh = new Set<string>();
  const runners = new Map<string, { templates: string; runner: AnalysisRunner }>();

  // Only the templates the rollout names: another team's broken template must not stop this rollout.
  const analysisFor = (namespace: string, object: RolloutObject): AnalysisRunner => {
    const named = templateNamesOf(object.spec);
    const templates = caches.analysisTemplates(namespace).filter((t) => named.has(t.metadata?.name ?? ''));
    const versions = templates.map((t) => `${t.metadata?.name}@${t.metadata?.resourceVersion}`).join(',');
    const cacheKey = `${namespace}/${object.metadata?.name ?? ''}`;
    const known = runners.get(cacheKey);
    if (known && known.templates === versions) return known.runner;
    const runner = createAnalysisRunner({ templates, providers: options.providers, clock });
    runners.set(cacheKey, { templates: versions, runner });
    return runner;
  };

  const routerOf = (namespace: string, spec: RolloutSpec, object: RolloutObject): TrafficRouter => {
    const own = options.routerFor?.({ spec, object, namespace, kubeConfig: options.kubeConfig });
    if (own) return own;
    const services = parts.adapters.serviceRouter({ namespace, spec });
    const routing = Object.keys(spec.strategy.canary?.trafficRouting ?? {}).filter((k) => k !== 'managedRoutes');
    if (routing.length > 0) {
      throw new GradualError(
        'NO_ROUTER',
        `Rollout '${spec.name}' in namespace '${namespace}' routes traffic through spec.strategy.canary.trafficRouting.${routing[0]}, ` +
          `which this controller has no router for: pass routerFor to createRolloutController (e.g. createIstioTrafficRouter)`,
      );
    }
    return services ?? noTrafficRouter;
  };

  return {
    /** The next reconcile of `key` reads the Rollout from the API server, not the cache (after a take-over). */
    readFresh(key: string) {
      readFresh.add(key);
    },
    /** Forgets what it kept for a rollout that is gone. */
    forget(key: string) {
      written.delete(key);
      readFresh.delete(key);
      runners.delete(key);
    },
    async reconcile(ref: RolloutRef, signal: AbortSignal): Promise<ReconcileStep> {
      const key = rolloutKey(ref);
      const call: CallOptions = { signal, clock, logger };
      const cached = caches.rollout(ref);
      if (!cached) return { outcome: 'skipped', gone: true };
      let stored: StoredRollout;
      if (readFresh.has(key)) {
        stored = await parts.store.read(ref, call);
        readFresh.delete(key);
      } else {
        if (olderThan(cached.metadata?.resourceVersion, written.get(key))) return { outcome: 'skipped', gone: false };
        stored = parts.store.fromObject(cached);
      }
      written.delete(key);
      const object = stored.object;
      const commands = stored.status ? parts.store.commands(stored) : takeoverCommands(object);
      const template = await parts.adapters.workloadTemplate(object, call);
      let parsed: RolloutSpec;
      try {
        parsed = parts.adapters.parse(object, template);
      } catch (error) {
        // Argo's InvalidSpec: said on the Rollout once per message (the recorder aggregates repeats); the
        // rollout waits, with backoff, for a spec that parses.
        if (ValidationError.isInstance(error)) {
          await parts.events.record(
            object,
            { reason: 'InvalidSpec', type: 'Warning', message: error.message, at: new Date(clock.now()).toISOString() },
            call,
          );
        }
        throw error;
      }
      const uid = object.metadata?.uid ?? '';
      const replicaSets = caches.replicaSets(ref.namespace, uid);
      const spec: RolloutSpec = { ...parsed, revision: parts.adapters.resolveRevision({ spec: parsed, replicaSets }) };
      const router = routerOf(ref.namespace, spec, object);
      const workload = parts.adapters.workload({ namespace: ref.namespace, object, spec, status: stored.status });
      const counts = () => workloadCounts({ replicaSets: caches.replicaSets(ref.namespace, uid), revision: spec.revision, spec });
      const events: RolloutEvent[] = [];
      const result = await reconcile({
        spec,
        status: stored.status,
        router,
        analysis: analysisFor(ref.namespace, object),
        workload,
        clock,
        logger,
        signal,
        commands,
        ...(stored.status ? {} : firstDeploy({ object })),
        onEvent: (event) => events.push(event),
      });
      let version: string;
      try {
        version = await parts.store.write(
          ref,
          {
            resourceVersion: stored.resourceVersion,
            status: result.status,
            spec,
            stored,
            workload: counts(),
          },
          call,
        );
      } catch (error) {
        if (!GradualError.hasCode(error, 'STATUS_CONFLICT')) throw error;
        readFresh.add(key);
        return { outcome: 'conflict' };
      }
      if (version !== stored.resourceVersion) written.set(key, version);
      // The status is stored: now say what happened. A failed Event write is the recorder's to report.
      for (const event of events) await parts.events.record(object, event, call);
      if (template && spec.workloadRef && parts.adapters.scaleWorkloadRef) {
        await parts.adapters.scaleWorkloadRef(
          { namespace: ref.namespace, spec, status: result.status, referenced: template, counts: counts() },
          call,
        );
      }
      return { outcome: 'success', requeueAfterMs: result.requeueAfterMs, phase: result.status.phase };
    },
  };
}

/**
 * Whether the cache's version of an object predates the one we wrote (our own write not seen yet, or only its
 * first half). resourceVersions are opaque by contract but etcd revisions (decimal integers) on API servers.
 */
function olderThan(cached: string | undefined, ours: string | undefined): boolean {
  if (ours === undefined || cached === undefined) return false;
  if (cached === ours) return false;
  if (/^\d+$/.test(cached) && /^\d+$/.test(ours)) return BigInt(cached) < BigInt(ours);
  // Opaque versions cannot be ordered: act, and let a stale write be refused.
  return false;
}

/** Every `templateName` a Rollout's spec names (steps, background, blue/green pre/post, experiments). */
function templateNamesOf(spec: unknown): Set<string> {
  const names = new Set<string>();
  const walk = (value: unknown, depth: number): void => {
    if (depth > 32 || typeof value !== 'object' || value === null) return;
    if (Array.isArray(value)) {
      for (const item of value) walk(item, depth + 1);
      return;
    }
    for (const [key, item] of Object.entries(value)) {
      if (key === 'template') continue; // the pod template names no analysis
      if (key === 'templateName' && typeof item === 'string') names.add(item);
      else walk(item, depth + 1);
    }
  };
  walk(spec, 0);
  return names;
}
