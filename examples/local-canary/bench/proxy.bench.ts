// What the demo's proxy costs a request, against the same request sent straight to the service, in the same run:
//   (a) latency added by the proxy on loopback, weighted split 70/30 (goal: median overhead <= 1 ms);
//   (b) the same with every request mirrored to v2 (goal: the user's median within 0.5 ms of (a): mirrors are fire-and-forget);
//   (c) one routing decision (chooseRoute) against one Math.random() weighted pick (goal <= 10x).
// Run: pnpm bench local-canary   (node --expose-gc --import tsx examples/local-canary/bench/proxy.bench.ts)
import { Agent, get } from 'node:http';
import { systemClock, type TrafficState } from '@gradual/core';
import { chooseRoute, type RouteCounters } from '../src/proxy/choose-route.js';
import { createProxy } from '../src/proxy/create-proxy.js';
import type { RoutingTable } from '../src/proxy/routing-table.js';
import { createProxyTrafficRouter } from '../src/router/create-proxy-traffic-router.js';
import { startVersionService } from '../src/services/start-version-service.js';

const requests = 3000;
const agent = new Agent({ keepAlive: true, maxSockets: 1 });
const call = { signal: new AbortController().signal, clock: systemClock };

function once(url: string): Promise<void> {
  return new Promise((resolve, reject) => {
    get(url, { agent }, (res) => {
      res.resume();
      res.on('end', resolve);
    }).on('error', reject);
  });
}

async function latencies(url: string): Promise<number[]> {
  for (let i = 0; i < 300; i++) await once(url); // warm-up
  const out: number[] = [];
  for (let i = 0; i < requests; i++) {
    const started = performance.now();
    await once(url);
    out.push(performance.now() - started);
  }
  return out.sort((a, b) => a - b);
}
const at = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] as number;
const ms = (value: number) => `${value.toFixed(3)} ms`;

const v1 = await startVersionService({ version: 'v1' });
const v2 = await startVersionService({ version: 'v2' });
const stable = { version: 'v1', service: 'stable', url: v1.url };
const canary = { version: 'v2', service: 'canary', url: v2.url };
const proxy = await createProxy({ stable, stableRevision: 'a' });
const router = createProxyTrafficRouter({ dataPlane: proxy, backends: { a: stable, b: canary } });
const base: TrafficState = {
  canaryWeight: 30,
  stableRevision: 'a',
  canaryRevision: 'b',
  headerRoutes: [],
  mirrorRoutes: [],
  experiments: [],
};
const rows: [string, string, string, string][] = [];
try {
  // Alternate baseline and subject so that drift of the shared machine hits both.
  const direct = await latencies(v1.url);
  await router.apply(base, call);
  const proxied = await latencies(proxy.url);
  await router.apply({ ...base, mirrorRoutes: [{ name: 'm', percentage: 100, match: [{ method: { exact: 'GET' } }] }] }, call);
  const mirrored = await latencies(proxy.url);
  const direct2 = await latencies(v1.url);
  const baseline = Math.min(at(direct, 50), at(direct2, 50));
  const overhead = at(proxied, 50) - baseline;
  rows.push([
    '(a) proxy overhead per request, median (p99)',
    '<= 1 ms',
    `${ms(overhead)} (direct ${ms(baseline)} / p99 ${ms(at(direct, 99))}; proxied ${ms(at(proxied, 50))} / p99 ${ms(at(proxied, 99))}; ${requests} sequential requests each)`,
    overhead <= 1 ? 'yes' : 'NO',
  ]);
  const mirrorCost = at(mirrored, 50) - at(proxied, 50);
  rows.push([
    '(b) user latency with 100% mirrored, median vs (a)',
    '<= +0.5 ms',
    `${ms(at(mirrored, 50))} (${mirrorCost >= 0 ? '+' : ''}${ms(mirrorCost)}; p99 ${ms(at(mirrored, 99))})`,
    mirrorCost <= 0.5 ? 'yes' : 'NO',
  ]);

  // (c)
  const table: RoutingTable = {
    generation: 1,
    state: {
      ...base,
      headerRoutes: [{ name: 'h', match: [{ headerName: 'end-user', headerValue: { exact: 'Alexandra' } }] }],
      mirrorRoutes: [{ name: 'm', percentage: 10, match: [{ method: { exact: 'GET' } }] }],
    },
    stable,
    canary,
  };
  const request = { method: 'GET', path: '/', headers: { 'end-user': 'Bob' } };
  const n = 1_000_000;
  let sink = 0;
  const timeIt = (body: () => void) => {
    const started = performance.now();
    body();
    return ((performance.now() - started) * 1e6) / n;
  };
  const random = timeIt(() => {
    for (let i = 0; i < n; i++) if (Math.random() * 100 < 30) sink++;
  });
  const counters: RouteCounters = { weighted: 0, mirrored: {} };
  const decision = timeIt(() => {
    for (let i = 0; i < n; i++) if (chooseRoute(table, request, counters).target === 'canary') sink++;
  });
  rows.push([
    '(c) one routing decision (header route, split, mirror) vs a Math.random() pick',
    '<= 10x',
    `${decision.toFixed(0)} ns vs ${random.toFixed(1)} ns (${(decision / random).toFixed(1)}x; ${n.toLocaleString('en')} calls; checksum ${sink % 7})`,
    decision / random <= 10 ? 'yes' : 'NO',
  ]);
} finally {
  agent.destroy();
  await proxy.close();
  await v1.close();
  await v2.close();
}

console.log('| measure | goal | result | met |');
console.log('|---|---|---|---|');
for (const row of rows) console.log(`| ${row.join(' | ')} |`);
if (rows.some((row) => row[3] === 'NO')) process.exitCode = 1;
