// Benchmark of @gradual/prometheus against a real Prometheus (Debian's package), run by `pnpm bench prometheus`.
// 1. One `measure` versus a raw `fetch` of the same query (goal: within 1.3x, compared on medians).
// 2. 100 concurrent measures: connections must be reused. Checked on the server's side with Prometheus'
//    own counter of accepted connections (net_conntrack_listener_conn_accepted_total), read before and after.
import { type Clock, systemClock } from '@gradual/core';
import { createPrometheusProvider } from '@gradual/prometheus';
import { reportRows } from '../../../scripts/bench-report.js';
import { anchorNow, knownSeries, prometheusMetric, SERVICES, seedSuccessRateQuery } from '../test/support/known-series.js';
import { INSTALL_HINT, prometheusInstalled } from '../test/support/prometheus-availability.js';
import { startPrometheus } from '../test/support/prometheus-server.js';

if (!prometheusInstalled) {
  console.log(`skipped: ${INSTALL_HINT}`);
  process.exit(process.env.GRADUAL_REQUIRE_PROMETHEUS === '1' ? 1 : 0);
}

const anchor = anchorNow(Date.now());
const clock: Clock = { now: () => anchor * 1000, sleep: systemClock.sleep };
const server = await startPrometheus({ openMetrics: knownSeries(anchor) });
const query = seedSuccessRateQuery(SERVICES.healthy);
const metric = prometheusMetric({ address: server.address, query });
const rawUrl = `${server.address}/api/v1/query?${new URLSearchParams({ query, time: String(anchor), timeout: '30s' })}`;

const provider = createPrometheusProvider();
const call = () => ({ signal: new AbortController().signal, clock });
const viaProvider = async () => {
  await provider.measure(metric, call());
};
const viaFetch = async () => {
  const response = await fetch(rawUrl, { signal: new AbortController().signal });
  await response.json();
};

async function timeEach(run: () => Promise<void>, count: number): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < count; i++) {
    const start = performance.now();
    await run();
    times.push(performance.now() - start);
  }
  return times;
}
const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] as number;
};
const median = (values: number[]) => percentile(values, 0.5);
const mean = (values: number[]) => values.reduce((sum, value) => sum + value, 0) / values.length;

// Warm up both paths (JIT, keep-alive connections, Prometheus' caches), then alternate call by call so that
// load from anything else on the machine hits both alike.
await timeEach(viaProvider, 200);
await timeEach(viaFetch, 200);
const providerTimes: number[] = [];
const fetchTimes: number[] = [];
for (let round = 0; round < 1000; round++) {
  if (round % 100 === 0) (globalThis as { gc?: () => void }).gc?.();
  const [first, second] = round % 2 === 0 ? [viaProvider, viaFetch] : [viaFetch, viaProvider];
  const a = (await timeEach(first, 1))[0] as number;
  const b = (await timeEach(second, 1))[0] as number;
  providerTimes.push(first === viaProvider ? a : b);
  fetchTimes.push(first === viaProvider ? b : a);
}
const ratio = median(providerTimes) / median(fetchTimes);

async function acceptedConnections(): Promise<number> {
  const text = await (await fetch(`${server.address}/metrics`)).text();
  const line = text.split('\n').find((row) => row.startsWith('net_conntrack_listener_conn_accepted_total{listener_name="http"}'));
  return Number(line?.split(' ')[1]);
}

const concurrent = createPrometheusProvider();
const burst = async () => {
  const start = performance.now();
  await Promise.all(Array.from({ length: 100 }, () => concurrent.measure(metric, call())));
  return performance.now() - start;
};
await acceptedConnections(); // opens fetch's own connection before counting
const before = await acceptedConnections();
const firstBurstMs = await burst();
const afterFirst = await acceptedConnections();
const secondBurstMs = await burst();
const afterSecond = await acceptedConnections();
const openedFirst = afterFirst - before;
const openedSecond = afterSecond - afterFirst;
concurrent.close();
provider.close();
await server.stop();

const ms = (value: number) => `${value.toFixed(3)} ms`;
const rows = [
  [
    'one `measure` vs raw `fetch` (median of 1000 each)',
    '≤ 1.30x',
    `${ratio.toFixed(2)}x (${ms(median(providerTimes))} vs ${ms(median(fetchTimes))})`,
    ratio <= 1.3,
  ],
  [
    '100 concurrent measures, first burst: new connections',
    '≤ 32 (maxSockets)',
    `${openedFirst} connections, ${ms(firstBurstMs)} total`,
    openedFirst <= 32,
  ],
  [
    '100 concurrent measures, second burst: new connections',
    '0 (all reused)',
    `${openedSecond} connections, ${ms(secondBurstMs)} total`,
    openedSecond === 0,
  ],
];
console.log(`Node ${process.version}, Prometheus ${server.address}, query: the seed's success rate`);
console.log('\n| goal | target | measured | met? |\n|---|---|---|---|');
for (const [goal, target, measured, met] of rows) console.log(`| ${goal} | ${target} | ${measured} | ${met ? 'yes' : 'no'} |`);
console.log('\n| call | p50 | p95 | mean |\n|---|---|---|---|');
for (const [name, times] of [
  ['raw `fetch` + JSON.parse', fetchTimes],
  ['`provider.measure` (validation, node:http query, conversion)', providerTimes],
] as const)
  console.log(`| ${name} | ${ms(median(times))} | ${ms(percentile(times, 0.95))} | ${ms(mean(times))} |`);
reportRows(
  'prometheus/measure',
  rows.map(([working, goal, measured, met], i) => ({
    working: working as string,
    cheapest: i === 0 ? `raw fetch: ${ms(median(fetchTimes))}` : '-',
    goal: goal as string,
    measured: measured as string,
    met: met as boolean,
  })),
);
