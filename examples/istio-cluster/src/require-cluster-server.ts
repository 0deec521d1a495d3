import type { KubeConfig } from '@kubernetes/client-node';

/**
 * The API server the kubeconfig's current context points at; throws with
 * what to do when there is none, so that the run fails at once instead of
 * retrying a server that is not there. `loadFromDefault()` with no
 * kubeconfig anywhere (no `KUBECONFIG`, no `~/.kube/config`, not in a pod)
 * does not fail: it falls back to `http://localhost:8080` under the names
 * `loaded-context` / `cluster`, which is what the second check recognises.
 */
export function requireClusterServer(kubeConfig: KubeConfig): string {
  const context = kubeConfig.getCurrentContext();
  const cluster = kubeConfig.getCurrentCluster();
  if (
    context === 'loaded-context' &&
    cluster?.name === 'cluster' &&
    cluster.server === 'http://localhost:8080' &&
    kubeConfig.getContexts().length === 1
  ) {
    throw new Error(
      'no kubeconfig found (KUBECONFIG is unset, there is no ~/.kube/config, and this is not a pod): pass --kubeconfig <file> or set KUBECONFIG',
    );
  }
  if (!context) throw new Error('the kubeconfig has no current-context: set one with `kubectl config use-context <name>`');
  if (!cluster) throw new Error(`the kubeconfig's context "${context}" names no cluster that the kubeconfig defines`);
  if (!cluster.server) throw new Error(`the kubeconfig's cluster "${cluster.name}" (context "${context}") has no server address`);
  return cluster.server;
}
