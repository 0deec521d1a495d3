import { CancelledError, type Clock, type Logger, type MetricProvider, noopLogger, systemClock } from '@gradual/core';
import { AppsV1Api, CustomObjectsApi, type KubeConfig, type V1ReplicaSet } from '@kubernetes/client-node';
import type { Registry } from 'prom-client';
import { signalConfiguration } from '../kube/signal-configuration.js';
import { createControllerMetrics } from './controller-metrics.js';
import type { ControllerParts } from './controller-parts.js';
import { createRolloutReconciler, type RouterFor } from './reconcile-rollout.js';
import { createReplicaSetIndex } from './replica-set-index.js';
import { createResourceInformer, type ResourceInformer } from './resource-informer.js';
import { parseRolloutKey, rolloutKey } from './rollout-key.js';
import type { AnalysisTemplateObject, RolloutObject } from './rollout-object.js';

/** A running controller. */
export interface RolloutController {
  /** Lists and watches, then reconciles what this replica owns; resolves once the caches are filled. */
  start(): Promise<void>;
  /** Stops taking work, lets the reconciles in flight finish, releases the leases, stops the watches. */
  stop(): Promise<void>;
  /** The metrics, on the Registry given or a new one (serve `registry.metrics()` yourself). */
  readonly registry: Registry;
}

/** The options the controller's parts do not see. */
export interface ControllerCoreOptions {
  /** The cluster and credentials, e.g. `new KubeConfig()` then `loadFromDefault()`. */
  kubeConfig: KubeConfig;
  /** Namespaces to watch; all (cluster-wide list and watch) when absent or empty. */
  namespaces?: readonly string[] | undefined;
  /**
   * The TrafficRouter for a Rollout (Istio, Gateway API, yours), or undefined for the default: the Service
   * selector router when the spec names Services, none for a canary that only splits replicas.
   */
  routerFor?: RouterFor | undefined;
  /** The metric providers AnalysisTemplates use, matched by `type` (`prometheus`, `web`, `job`, ...). */
  analysis?: { providers: readonly MetricProvider[] } | undefined;
  /** Time of pauses, requeues, backoff and Leases; the system clock by default. */
  clock?: Clock | undefined;
  /** Where the controller and the engine log; nothing by default. */
  logger?: Logger | undefined;
  /** Rollouts reconciled at once (different rollouts; one rollout is never reconciled twice at once); default 4. */
  concurrency?: number | undefined;
  /** Every rollout owned is queued again this often, as client-go's resync; default 15 minutes, as Argo. */
  resyncMs?: number | undefined;
  /**
   * How long `stop()` lets reconciles in flight finish before their signal aborts them (on the injected clock);
   * default 10 s, inside Kubernetes' 30 s termination grace, so the Leases are released before the pod is killed.
   */
  stopGraceMs?: number | undefined;
  /** The prom-client Registry to register the controller's metrics on; a new one when absent. */
  metrics?: Registry | undefined;
}

const argo = { group: 'argoproj.io', version: 'v1alpha1' };

/**
 * The controller from its parts (see `createRolloutController` for the one wired to this package's own).
 * Informers feed one work queue; a key is reconciled only while this replica owns it (leader, shard owner,
 * or alone), with a signal that fires when it stops owning it.
 */
export function buildRolloutController(options: ControllerCoreOptions, parts: ControllerParts): RolloutController {
  const clock = options.clock ?? systemClock;
  const logger = options.logger ?? noopLogger;
  const namespaces = options.namespaces && options.namespaces.length > 0 ? [...options.namespaces] : [undefined];
  const { queue, ownership } = parts;
  const metrics = createControllerMetrics({ registry: options.metrics, queueDepth: () => queue.length });
  const stopping = new AbortController();
  const custom = options.kubeConfig.makeApiClient(CustomObjectsApi);
  const apps = options.kubeConfig.makeApiClient(AppsV1Api);
  const replicaSets = createReplicaSetIndex();
  const inFlight = new Map<string, Promise<void>>();
  const enqueue = (key: string) => {
    if (ownership.owns(key)) queue.add(key);
  };
  const pathOf = (group: string, plural: string, namespace: string | undefined) =>
    `${group === '' ? '/api/v1' : `/apis/${group}`}${namespace ? `/namespaces/${namespace}` : ''}/${plural}`;

  const rollouts = new Map<string, ResourceInformer<RolloutObject>>();
  const templates = new Map<string, ResourceInformer<AnalysisTemplateObject>>();
  const informers: ResourceInformer<never>[] = [];
  for (const namespace of namespaces) {
    const scope = namespace ?? '';
    const where = namespace ? `in namespace '${namespace}'` : 'in all namespaces';
    const customList = (plural: string) => () =>
      namespace
        ? custom.listNamespacedCustomObject({ ...argo, namespace, plural }, signalConfiguration(stopping.signal))
        : custom.listClusterCustomObject({ ...argo, plural }, signalConfiguration(stopping.signal));
    const rolloutInformer = createResourceInformer<RolloutObject>({
      kubeConfig: options.kubeConfig,
      path: pathOf(`${argo.group}/${argo.version}`, 'rollouts', namespace),
      list: customList('rollouts'),
      onChange: (object) =>
        enqueue(rolloutKey({ namespace: object.metadata?.namespace ?? '', name: object.metadata?.name ?? '' })),
      clock,
      logger,
      description: `rollouts ${where}`,
    });
    const templateInformer = createResourceInformer<AnalysisTemplateObject>({
      kubeConfig: options.kubeConfig,
      path: pathOf(`${argo.group}/${argo.version}`, 'analysistemplates', namespace),
      list: customList('analysistemplates'),
      // A template is read when a run starts; a rollout waiting for a missing one retries with backoff.
      onChange: () => {},
      clock,
      logger,
      description: `analysistemplates ${where}`,
    });
    const replicaSetInformer = createResourceInformer<V1ReplicaSet>({
      kubeConfig: options.kubeConfig,
      path: pathOf('apps/v1', 'replicasets', namespace),
      list: () =>
        namespace
          ? apps.listNamespacedReplicaSet({ namespace }, signalConfiguration(stopping.signal))
          : apps.listReplicaSetForAllNamespaces({}, signalConfiguration(stopping.signal)),
      onChange: (replicaSet, change) => {
        replicaSets.update(replicaSet, change);
        // A ReplicaSet's availability moves its Rollout on: requeue the owner.
        const owner = replicaSets.ownerOf(replicaSet);
        if (owner) enqueue(rolloutKey({ namespace: replicaSet.metadata?.namespace ?? '', name: owner.name }));
      },
      clock,
      logger,
      description: `replicasets ${where}`,
    });
    rollouts.set(scope, rolloutInformer);
    templates.set(scope, templateInformer);
    informers.push(
      rolloutInformer as ResourceInformer<never>,
      templateInformer as ResourceInformer<never>,
      replicaSetInformer as ResourceInformer<never>,
    );
  }
  const scopeOf = (namespace: string) => (rollouts.has(namespace) ? namespace : '');
  const allKeys = () => {
    const keys: string[] = [];
    for (const informer of rollouts.values()) {
      for (const object of informer.list()) {
        keys.push(rolloutKey({ namespace: object.metadata?.namespace ?? '', name: object.metadata?.name ?? '' }));
      }
    }
    return keys;
  };

  const reconciler = createRolloutReconciler({
    kubeConfig: options.kubeConfig,
    caches: {
      rollout: (ref) => rollouts.get(scopeOf(ref.namespace))?.get(ref.name, ref.namespace),
      replicaSets: (_namespace, uid) => replicaSets.owned(uid),
      analysisTemplates: (namespace) => templates.get(scopeOf(namespace))?.list(namespace) ?? [],
    },
    parts,
    routerFor: options.routerFor,
    providers: options.analysis?.providers ?? [],
    clock,
    logger,
  });

  const handle = async (key: string): Promise<void> => {
    const lease = ownership.signalFor(key);
    if (!lease || !ownership.owns(key)) {
      // Another replica owns it now; its informer queues it there.
      queue.forget(key);
      return;
    }
    const ref = parseRolloutKey(key);
    const started = clock.now();
    const work = (async () => {
      try {
        const step = await reconciler.reconcile(ref, lease);
        const seconds = (clock.now() - started) / 1000;
        metrics.reconciled(step.outcome, seconds);
        if (step.outcome === 'conflict') {
          // Read fresh and tried again, with backoff: a writer that keeps winning must not make a hot loop.
          queue.addRateLimited(key);
          return;
        }
        queue.forget(key);
        if (step.outcome === 'skipped') {
          if (step.gone) {
            reconciler.forget(key);
            metrics.phase(key, undefined);
          }
          return;
        }
        metrics.phase(key, step.phase);
        if (step.requeueAfterMs !== undefined) queue.addAfter(key, step.requeueAfterMs);
      } catch (error) {
        if (CancelledError.isCancellation(error) && lease.aborted) {
          // The lease was lost mid-way: the new owner starts from the stored status.
          metrics.reconciled('skipped', (clock.now() - started) / 1000);
          return;
        }
        metrics.reconciled('error', (clock.now() - started) / 1000);
        logger.error(`reconcile of rollout '${ref.name}' in namespace '${ref.namespace}' failed; retrying with backoff`, {
          rollout: key,
          error: error instanceof Error ? error.message : String(error),
          code: (error as { code?: unknown }).code,
        });
        queue.addRateLimited(key);
      }
    })();
    inFlight.set(key, work);
    try {
      await work;
    } finally {
      inFlight.delete(key);
    }
  };

  let running: Promise<unknown> | undefined;
  return {
    registry: metrics.registry,
    async start() {
      if (running) throw new Error('the rollout controller is already started');
      await Promise.all(informers.map((informer) => informer.start()));
      const elections = ownership.run(stopping.signal, {
        acquired: ({ takenOver } = {}) => {
          for (const key of allKeys()) {
            // The previous owner may have written after this cache last heard: the first reconcile reads fresh.
            if (takenOver) reconciler.readFresh(key);
            enqueue(key);
          }
        },
        async releasing(lost) {
          await Promise.all([...inFlight].filter(([key]) => lost(key)).map(([, work]) => work));
          for (const key of allKeys()) if (lost(key)) metrics.phase(key, undefined);
        },
      });
      const workers = queue.process(handle, { concurrency: options.concurrency ?? 4, signal: stopping.signal });
      const resync = (async () => {
        const every = options.resyncMs ?? 15 * 60_000;
        for (;;) {
          try {
            await clock.sleep(every, stopping.signal);
          } catch {
            return;
          }
          for (const key of allKeys()) enqueue(key);
        }
      })();
      running = Promise.allSettled([elections, workers, resync]);
      logger.info('rollout controller started', { namespaces: namespaces.map((n) => n ?? '*') });
    },
    async stop() {
      // In-flight reconciles finish first (queued keys are the next owner's: its informer lists them); then the
      // leases go, then the watches.
      const drained = queue.shutdown({ drain: false });
      // A reconcile stuck on a call gets a grace period, then its signal: the Leases must go before the pod is killed.
      const grace = new AbortController();
      await Promise.race([drained, clock.sleep(options.stopGraceMs ?? 10_000, grace.signal).catch(() => {})]);
      grace.abort();
      stopping.abort();
      await drained;
      await running;
      await Promise.all(informers.map((informer) => informer.stop()));
    },
  };
}
