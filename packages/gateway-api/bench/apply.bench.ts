// Benchmark of @gradual/gateway-api against the Kubernetes API test server (real HTTPS, real client-node):
// latency of one `apply` (read + render + validate + write) against a raw client read + write of the
// same HTTPRoute on the same server, and of an `apply` that has nothing to write; interleaved, same run.
// Run: pnpm bench gateway-api   (node --expose-gc --import tsx packages/gateway-api/bench/apply.bench.ts)
import { performance } from 'node:perf_hooks';
import { systemClock } from '@gradual/core';
import { createGatewayApiTrafficRouter } from '@gradual/gateway-api';
import { startKubeApiServer } from '@gradual/kube-api-test-server';
import { CustomObjectsApi } from '@kubernetes/client-node';

const iterations = 300;
const warmup = 30;

const server = await startKubeApiServer();
const kubeConfig = server.kubeConfig();
server.seed('httproutes', 'default', {
  metadata: { name: 'bench-route' },
  spec: {
    parentRefs: [{ name: 'gateway' }],
    rules: [
      {
        matches: [{ path: { type: 'PathPrefix', value: '/' } }],
        backendRefs: [
          { name: 'stable', port: 80, weight: 100 },
          { name: 'canary', port: 80, weight: 0 },
        ],
      },
    ],
  },
});
const router = createGatewayApiTrafficRouter({
  httpRoute: 'bench-route',
  canaryService: 'canary',
  stableService: 'stable',
  managedRoutes: [{ name: 'header-route' }],
  rolloutNamespace: 'default',
  kubeConfig,
});
const api = kubeConfig.makeApiClient(CustomObjectsApi);
const target = {
  group: 'gateway.networking.k8s.io',
  version: 'v1',
  namespace: 'default',
  plural: 'httproutes',
  name: 'bench-route',
};
const call = () => ({ signal: new AbortController().signal, clock: systemClock });
const state = (canaryWeight: number) => ({ canaryWeight, headerRoutes: [], mirrorRoutes: [], experiments: [] });

const runs: Record<'raw' | 'writing' | 'noop', (i: number) => Promise<unknown>> = {
  raw: async (i) => {
    const object = await api.getNamespacedCustomObject(target);
    object.spec.rules[0].backendRefs[0].weight = 100 - (i % 2 ? 20 : 21);
    object.spec.rules[0].backendRefs[1].weight = i % 2 ? 20 : 21;
    await api.replaceNamespacedCustomObject({ ...target, body: object });
  },
  writing: (i) => router.apply(state(i % 2 ? 30 : 31), call()),
  // Preceded by a write of 40, so that this apply finds nothing to change.
  noop: () => router.apply(state(40), call()),
};
const samples: Record<keyof typeof runs, number[]> = { raw: [], writing: [], noop: [] };
const before = server.acceptedWrites('bench-route');
for (let i = 0; i < warmup + iterations; i++) {
  if (i === warmup) globalThis.gc?.();
  for (const key of ['raw', 'writing', 'noop'] as const) {
    if (key === 'noop') await router.apply(state(40), call());
    const start = performance.now();
    await runs[key](i);
    const elapsed = performance.now() - start;
    if (i >= warmup) samples[key].push(elapsed);
  }
}
const totalWrites = server.acceptedWrites('bench-route') - before;
await server.close();

const stats = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
  return { p50: at(0.5), p95: at(0.95), mean: sorted.reduce((a, b) => a + b, 0) / sorted.length };
};
const raw = stats(samples.raw);
const rows: [string, ReturnType<typeof stats>][] = [
  ['raw client: get + replace', raw],
  ['router.apply (changes: get + render + validate + replace)', stats(samples.writing)],
  ['router.apply (no change: get + render, no write)', stats(samples.noop)],
];
const ms = (value: number) => value.toFixed(2);
console.log(`Latency of one call, ${iterations} samples after ${warmup} warm-up, HTTPS on 127.0.0.1 (ms)\n`);
console.log('| call | p50 | p95 | mean | p50 vs raw |');
console.log('|---|---|---|---|---|');
for (const [name, s] of rows)
  console.log(`| ${name} | ${ms(s.p50)} | ${ms(s.p95)} | ${ms(s.mean)} | ${(s.p50 / raw.p50).toFixed(2)}x |`);
const expected = 3 * (iterations + warmup);
console.log(
  `\nwrites during the runs: ${totalWrites} (expected ${expected}: raw, apply, and the write of 40 before each no-op apply)`,
);
if (totalWrites !== expected) {
  console.error('FAIL: a no-op apply wrote, or a changing apply did not');
  process.exit(1);
}
