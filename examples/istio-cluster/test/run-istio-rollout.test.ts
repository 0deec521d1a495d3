import { readFileSync } from 'node:fs';
import { type AnalysisMetric, CancelledError } from '@gradual/core';
import { createFakeClock, createScriptedProvider } from '@gradual/core/testing';
import type { VirtualService } from '@gradual/istio';
// The istio package's HTTPS Kubernetes API test server: the real client-node talks to it as to a cluster.
import { type KubeApiServer, startKubeApiServer } from '@gradual/kube-api-test-server';
import { createPrometheusProvider } from '@gradual/prometheus';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { runIstioRollout } from '../src/run-istio-rollout.js';

const manifest = (file: string) => readFileSync(new URL(`../manifests/${file}`, import.meta.url), 'utf8');
const rollout = manifest('rollout-analysis.yaml');
const template = manifest('analysistemplate-success-rate.yaml');

let server: KubeApiServer;
beforeAll(async () => {
  server = await startKubeApiServer();
});
afterAll(async () => {
  await server.close();
});

// Each test in its own namespace, so that counts of writes do not mix.
function seedVirtualService(namespace: string): void {
  server.seed('virtualservices', namespace, {
    apiVersion: 'networking.istio.io/v1beta1',
    kind: 'VirtualService',
    metadata: { name: 'rollout-vsvc' },
    spec: {
      hosts: ['rollouts-demo.local'],
      http: [
        {
          name: 'primary',
          route: [
            { destination: { host: 'rollouts-demo-stable' }, weight: 100 },
            { destination: { host: 'rollouts-demo-canary' }, weight: 0 },
          ],
        },
      ],
    },
  });
}

// "stable/canary" weights of the primary route now.
function weightsNow(namespace: string): string {
  const vs = server.get('virtualservices', namespace, 'rollout-vsvc') as unknown as VirtualService;
  const route = vs.spec.http?.find((r) => r.name === 'primary')?.route ?? [];
  const of = (host: string) => route.find((d) => d.destination.host === host)?.weight;
  return `${of('rollouts-demo-stable')}/${of('rollouts-demo-canary')}`;
}

describe("the seed's analysed canary against a Kubernetes API with Istio's resources", () => {
  it('a healthy canary walks the VirtualService through every weight and is promoted', async () => {
    const namespace = 'canary-good';
    seedVirtualService(namespace);
    const seen: string[] = [];
    // Stands in for Prometheus (no Istio metrics here): the seed query's answer, a healthy 99%.
    const prometheus = createScriptedProvider({ type: 'prometheus', script: { 'success-rate': [{ value: [0.99] }] } });
    const result = await runIstioRollout({
      rollout,
      templates: [template],
      kubeConfig: server.kubeConfig(),
      namespace,
      stableRevision: 'stable-hash',
      providers: [prometheus],
      clock: createFakeClock({ auto: true, start: Date.UTC(2026, 0, 1) }),
      signal: new AbortController().signal,
      onEvent: (event) => {
        if (event.reason === 'TrafficWeightUpdated') seen.push(weightsNow(namespace));
      },
    });
    expect(result.outcome).toBe('Promoted');
    expect(seen).toEqual(['70/30', '60/40', '40/60', '20/80', '10/90', '0/100', '100/0']);
    // The seed template's query reached the provider with the Rollout's arg substituted.
    const query = String((prometheus.measured[0]?.provider.prometheus as { query: string }).query);
    expect(query).toContain('destination_service=~"rollouts-demo-canary.canary.svc.cluster.local"');
    // One write per distinct state.
    expect(server.acceptedWrites('rollout-vsvc')).toBeGreaterThanOrEqual(7);
    expect(server.requests.filter((r) => r.namespace === namespace && r.verb === 'update')).toHaveLength(7);
  });

  it('a failing canary is aborted by the analysis and the VirtualService is back at 100/0', async () => {
    const namespace = 'canary-bad';
    seedVirtualService(namespace);
    const prometheus = createScriptedProvider({ type: 'prometheus', script: { 'success-rate': [{ value: [0.7] }] } });
    const result = await runIstioRollout({
      rollout,
      templates: [template],
      kubeConfig: server.kubeConfig(),
      namespace,
      stableRevision: 'stable-hash',
      providers: [prometheus],
      clock: createFakeClock({ auto: true, start: Date.UTC(2026, 0, 1) }),
      signal: new AbortController().signal,
    });
    expect(result.outcome).toBe('Aborted');
    expect(result.message).toMatch(/failureLimit \(2\)/);
    expect(weightsNow(namespace)).toBe('100/0');
    // Three failed measurements (failureLimit 2), each [0.7].
    expect(prometheus.measured).toHaveLength(3);
  });

  it('reports a missing VirtualService by name, and stops when told to', async () => {
    const stop = new AbortController();
    const errors: string[] = [];
    const running = runIstioRollout({
      rollout: rollout.replace('name: rollout-vsvc', 'name: no-such-vsvc'),
      templates: [template],
      kubeConfig: server.kubeConfig(),
      namespace: 'canary-missing',
      stableRevision: 'stable-hash',
      providers: [createScriptedProvider({ type: 'prometheus', script: { 'success-rate': [{ value: [1] }] } })],
      clock: createFakeClock({ auto: true, start: Date.UTC(2026, 0, 1) }),
      signal: stop.signal,
      onEvent: (event) => {
        // The engine keeps the step and retries with backoff (the object may be created yet); a script may give up.
        if (event.reason === 'TrafficRoutingError') {
          errors.push(event.message);
          stop.abort(new Error('giving up'));
        }
      },
    });
    await expect(running).rejects.toSatisfy((error: unknown) => CancelledError.isCancellation(error));
    expect(errors[0]).toMatch(/VirtualService 'no-such-vsvc' in namespace 'canary-missing' not found/);
  });

  it("the default provider is @gradual/prometheus, and it accepts the seed's metric unchanged", () => {
    const metric = (parse(template) as { spec: { metrics: AnalysisMetric[] } }).spec.metrics[0]!;
    expect(createPrometheusProvider().validate({ ...metric, provider: metric.provider })).toEqual([]);
  });
});
