import { performance } from 'node:perf_hooks';
import { ApiException, type V1ReplicaSet } from '@kubernetes/client-node';

/**
 * Waits, turn by turn of the event loop (no timers), until `condition` holds; fails after
 * `withinMs` of wall time, so a loaded machine is not a failure but a hang is.
 */
export async function waitFor(condition: () => boolean, withinMs = 5000): Promise<void> {
  const start = performance.now();
  while (!condition()) {
    if (performance.now() - start > withinMs) throw new Error(`condition not met within ${withinMs} ms`);
    await new Promise((resolve) => setImmediate(resolve));
  }
}

/** The code and Status body of a refused call (fails the test when the call succeeds). */
export async function failure(promise: Promise<unknown>): Promise<{ code: number; body: Record<string, unknown> }> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof ApiException) {
      return { code: error.code, body: JSON.parse(String(error.body)) as Record<string, unknown> };
    }
    throw error;
  }
  throw new Error('expected an ApiException');
}

/** A ReplicaSet manifest with these labels and replicas. */
export function replicaSet(name: string, labels: Record<string, string> = {}, replicas = 3): V1ReplicaSet {
  return {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: { name, labels },
    spec: {
      replicas,
      selector: { matchLabels: { app: name } },
      template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'app', image: 'nginx:1' }] } },
    },
  };
}
