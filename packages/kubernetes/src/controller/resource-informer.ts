import type { Clock, Logger } from '@gradual/core';
import {
  type KubeConfig,
  type KubernetesListObject,
  type KubernetesObject,
  makeInformer,
  type ObjectCache,
} from '@kubernetes/client-node';

/** One list+watch of one resource in one namespace (or all), kept running until stopped. */
export interface ResourceInformer<T extends KubernetesObject> extends ObjectCache<T> {
  /** Resolves once a first list is in the cache (retrying a failed one), or when stopped; the watch runs on. */
  start(): Promise<void>;
  stop(): Promise<void>;
}

/** What `createResourceInformer` needs. */
export interface ResourceInformerOptions<T extends KubernetesObject> {
  kubeConfig: KubeConfig;
  /** The watch path, e.g. `/apis/argoproj.io/v1alpha1/namespaces/prod/rollouts`. */
  path: string;
  /** The list request for that path (the client's typed call). */
  list: () => Promise<KubernetesListObject<T>>;
  /** Each object added, changed (by resourceVersion) or deleted, with what happened. */
  onChange: (object: T, change: 'add' | 'update' | 'delete') => void;
  clock: Clock;
  logger: Logger;
  /** What the logs call it, e.g. `rollouts in prod`. */
  description: string;
}

// client-node's ListWatch stops for good on a failed list or a watch error (it re-watches only after a clean
// end, and re-lists only after a 410): the restart with backoff is ours. Times on the injected clock.
const firstBackoffMs = 500;
const maxBackoffMs = 30_000;

/**
 * An informer (client-node's `makeInformer`: list, then watch from the list's resourceVersion, re-list on
 * `410 Gone`) that restarts itself after an error with capped exponential backoff, so a dropped watch or an
 * API server restart loses no update: the re-list brings every change made meanwhile.
 */
export function createResourceInformer<T extends KubernetesObject>(options: ResourceInformerOptions<T>): ResourceInformer<T> {
  let listed = false;
  const list = async () => {
    const result = await options.list();
    listed = true;
    return result;
  };
  const informer = makeInformer<T>(options.kubeConfig, options.path, list);
  const stopping = new AbortController();
  let backoffMs = firstBackoffMs;
  let restarting = false;
  let synced: () => void = () => {};
  const firstSync = new Promise<void>((resolve) => {
    synced = resolve;
  });
  // ListWatch fills its cache right after the list, before its start() resolves.
  const begin = async () => {
    await informer.start();
    if (listed) synced();
  };
  informer.on('add', (object) => options.onChange(object, 'add'));
  informer.on('update', (object) => options.onChange(object, 'update'));
  informer.on('delete', (object) => options.onChange(object, 'delete'));
  informer.on('connect', () => {
    backoffMs = firstBackoffMs;
  });
  informer.on('error', (error: unknown) => {
    if (stopping.signal.aborted || restarting) return;
    restarting = true;
    const delay = backoffMs;
    backoffMs = Math.min(maxBackoffMs, backoffMs * 2);
    options.logger.warn(`watch of ${options.description} failed; restarting`, {
      error: error instanceof Error ? error.message : String(error),
      retryInMs: delay,
    });
    options.clock.sleep(delay, stopping.signal).then(
      () => {
        restarting = false;
        return begin();
      },
      () => {
        // Stopped while waiting.
      },
    );
  });
  return {
    get: (name, namespace) => informer.get(name, namespace),
    list: (namespace) => informer.list(namespace),
    async start() {
      await begin();
      await Promise.race([firstSync, abortion(stopping.signal)]);
    },
    async stop() {
      stopping.abort();
      await informer.stop();
    },
  };
}

function abortion(signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
}
