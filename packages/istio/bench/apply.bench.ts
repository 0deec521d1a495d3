// Benchmark of @gradual/istio against the Kubernetes API test server (real HTTPS, real client-node):
// 1. writes per rollout: the seed rollout-canary.yaml driven by the core runner on a fake clock;
// 2. latency of one `apply` (read + render + validate + write) against a raw client read + write
//    of the same object on the same server, and of an `apply` that has nothing to write.
// Run: pnpm bench istio   (node --expose-gc --import tsx packages/istio/bench/apply.bench.ts)
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { createRollout, parseRollout, systemClock, type TrafficRouter } from '@gradual/core';
import { createFakeClock } from '@gradual/core/testing';
import { createIstioTrafficRouter, istioRoutingFromRollout } from '@gradual/istio';
import { startKubeApiServer } from '@gradual/kube-api-test-server';
import { CustomObjectsApi } from '@kubernetes/client-node';
import { reportRows } from '../../../scripts/bench-report.js';

const iterations = 300;
const warmup = 30;

const server = await startKubeApiServer();
const kubeConfig = server.kubeConfig();
const virtualService = (name: string) => ({
  apiVersion: 'networking.istio.io/v1beta1',
  kind: 'VirtualService',
  metadata: { name },
  spec: {
    hosts: ['rollouts-demo.local'],
    http: [
      {
        name: 'primary',
        route: [
          { destination: { host: 'rollouts-demo-backend' }, weight: 100 },
          { destination: { host: 'rollouts-demo-canary' }, weight: 0 },
        ],
      },
    ],
  },
});

// 1. Writes per rollout.
server.seed('virtualservices', 'default', virtualService('rollout-vsvc'));
const spec = parseRollout(readFileSync(new URL('../../../examples/manifests/rollout-canary.yaml', import.meta.url), 'utf8'));
const router = createIstioTrafficRouter({ ...istioRoutingFromRollout(spec), namespace: 'default', kubeConfig });
let applies = 0;
const counting: TrafficRouter = {
  ...router,
  apply: (desired, options) => {
    applies++;
    return router.apply(desired, options);
  },
};
const clock = createFakeClock({ auto: true });
const result = await createRollout({ spec, router: counting, clock, stableRevision: 'blue' }).run();
const rolloutWrites = server.acceptedWrites('rollout-vsvc');
const final = result.status.traffic!;
const before = server.acceptedWrites('rollout-vsvc');
for (let i = 0; i < 10; i++) await router.apply(final, { signal: new AbortController().signal, clock: systemClock });
const repeatWrites = server.acceptedWrites('rollout-vsvc') - before;

// 2. Latency: one apply that writes, one that does not, and the raw client doing read + write.
server.seed('virtualservices', 'default', virtualService('bench-vsvc'));
const benchRouter = createIstioTrafficRouter({
  ...istioRoutingFromRollout(spec),
  virtualService: { name: 'bench-vsvc', routes: ['primary'] },
  namespace: 'default',
  kubeConfig,
});
const api = kubeConfig.makeApiClient(CustomObjectsApi);
const target = {
  group: 'networking.istio.io',
  version: 'v1beta1',
  namespace: 'default',
  plural: 'virtualservices',
  name: 'bench-vsvc',
};
const call = () => ({ signal: new AbortController().signal, clock: systemClock });
const state = (canaryWeight: number) => ({ canaryWeight, headerRoutes: [], mirrorRoutes: [], experiments: [] });

const runs: Record<'raw' | 'writing' | 'noop', (i: number) => Promise<unknown>> = {
  raw: async (i) => {
    const object = await api.getNamespacedCustomObject(target);
    object.spec.http[0].route[0].weight = 100 - (i % 2 ? 20 : 21);
    object.spec.http[0].route[1].weight = i % 2 ? 20 : 21;
    await api.replaceNamespacedCustomObject({ ...target, body: object });
  },
  writing: (i) => benchRouter.apply(state(i % 2 ? 30 : 31), call()),
  // Precedes every sample by a write of 40, so that this apply finds nothing to change.
  noop: () => benchRouter.apply(state(40), call()),
};
const samples: Record<keyof typeof runs, number[]> = { raw: [], writing: [], noop: [] };
const rawWrites = server.acceptedWrites('bench-vsvc');
// Interleaved, so warm-up, GC and the neighbours' load fall on all three alike.
for (let i = 0; i < warmup + iterations; i++) {
  if (i === warmup) globalThis.gc?.();
  for (const key of ['raw', 'writing', 'noop'] as const) {
    if (key === 'noop') await benchRouter.apply(state(40), call());
    const start = performance.now();
    await runs[key](i);
    const elapsed = performance.now() - start;
    if (i >= warmup) samples[key].push(elapsed);
  }
}
const raw = samples.raw.sort((a, b) => a - b);
const writing = samples.writing.sort((a, b) => a - b);
const noop = samples.noop.sort((a, b) => a - b);
const totalWrites = server.acceptedWrites('bench-vsvc') - rawWrites;
await server.close();

const ms = (value: number) => value.toFixed(2);
const stats = (samples: number[]) => {
  const mean = samples.reduce((a, b) => a + b, 0) / samples.length;
  const at = (q: number) => samples[Math.min(samples.length - 1, Math.floor(q * samples.length))]!;
  return { p50: at(0.5), p95: at(0.95), mean };
};
const rawStats = stats(raw);
const rows: [string, ReturnType<typeof stats>][] = [
  ['raw client: get + replace', rawStats],
  ['router.apply (changes: get + render + validate + replace)', stats(writing)],
  ['router.apply (no change: get + render, no write)', stats(noop)],
];

console.log(`Writes per rollout (seed rollout-canary.yaml, core runner, fake clock)\n`);
console.log('| measure | value |');
console.log('|---|---|');
console.log(`| apply calls by the runner | ${applies} |`);
console.log(`| writes (distinct traffic states: 80/20, 50/50, 0/100, 100/0) | ${rolloutWrites} |`);
console.log(`| writes for 10 repeated applies of the final state | ${repeatWrites} |`);
console.log(`\nLatency of one call, ${iterations} samples after ${warmup} warm-up, HTTPS on 127.0.0.1 (ms)\n`);
console.log('| call | p50 | p95 | mean | p50 vs raw |');
console.log('|---|---|---|---|---|');
for (const [name, s] of rows)
  console.log(`| ${name} | ${ms(s.p50)} | ${ms(s.p95)} | ${ms(s.mean)} | ${(s.p50 / rawStats.p50).toFixed(2)}x |`);
console.log(
  `\nwrites during the latency runs: ${totalWrites} (expected ${3 * (iterations + warmup)}: raw, apply, and the write of 40 before each no-op apply)`,
);
reportRows('istio/apply', [
  {
    working: 'writes per seed rollout (core runner)',
    cheapest: `${applies} apply calls`,
    goal: '4 (one per distinct traffic state)',
    measured: String(rolloutWrites),
    met: rolloutWrites === 4,
  },
  {
    working: 'writes for 10 repeated applies',
    cheapest: '-',
    goal: '0',
    measured: String(repeatWrites),
    met: repeatWrites === 0,
  },
  ...rows.slice(1).map(([name, s]) => ({
    working: `${name}, p50`,
    cheapest: `raw client get + replace: ${ms(rawStats.p50)} ms`,
    goal: '-',
    measured: `${ms(s.p50)} ms (${(s.p50 / rawStats.p50).toFixed(2)}x)`,
  })),
]);
if (rolloutWrites !== 4 || repeatWrites !== 0) {
  console.error('FAIL: expected 4 writes per rollout and 0 on repeated applies');
  process.exit(1);
}
