import { readFileSync } from 'node:fs';
import { KubeConfig } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { requireClusterServer } from '../src/require-cluster-server.js';
import { runIstioRollout } from '../src/run-istio-rollout.js';

function kubeconfig(clusters: string): KubeConfig {
  const config = new KubeConfig();
  config.loadFromString(
    [
      'apiVersion: v1',
      'kind: Config',
      'current-context: dev',
      'clusters:',
      clusters,
      'contexts:',
      '  - name: dev',
      '    context: { cluster: dev, user: dev }',
      'users:',
      '  - name: dev',
      '    user: { token: t }',
    ].join('\n'),
  );
  return config;
}

// What loadFromDefault() does with no KUBECONFIG, no ~/.kube/config and no service account.
function clientNodeFallback(): KubeConfig {
  const config = new KubeConfig();
  config.loadFromClusterAndUser({ name: 'cluster', server: 'http://localhost:8080', skipTLSVerify: false }, { name: 'user' });
  return config;
}

describe('the cluster of the kubeconfig', () => {
  it('is its current context server', () => {
    expect(requireClusterServer(kubeconfig('  - name: dev\n    cluster: { server: "https://10.0.0.1:6443" }'))).toBe(
      'https://10.0.0.1:6443',
    );
  });

  it("refuses client-node's localhost:8080 fallback when no kubeconfig exists, saying what to do", () => {
    expect(() => requireClusterServer(clientNodeFallback())).toThrow(
      /no kubeconfig found .*--kubeconfig <file> or set KUBECONFIG/,
    );
  });

  // (A cluster without a server never gets this far: client-node refuses it when loading.)
  it('refuses a context whose cluster the kubeconfig does not define', () => {
    expect(() => requireClusterServer(kubeconfig('  - name: other\n    cluster: { server: "https://x" }'))).toThrow(
      /context "dev" names no cluster/,
    );
  });

  it('makes runIstioRollout fail at once, before any request', async () => {
    await expect(
      runIstioRollout({
        rollout: readFileSync(new URL('../manifests/rollout-analysis.yaml', import.meta.url), 'utf8'),
        templates: [readFileSync(new URL('../manifests/analysistemplate-success-rate.yaml', import.meta.url), 'utf8')],
        kubeConfig: clientNodeFallback(),
        signal: new AbortController().signal,
      }),
    ).rejects.toThrow(/no kubeconfig found/);
  });
});
