// CPU per `measure()` against a real Prometheus (Debian's package), run by `pnpm bench prometheus` (issue 13).
// Wall time hides CPU behind the server's own work; at 10,000 rollouts measured every 10 s what counts is this
// process' CPU per call. Baseline in the same run: a plain `node:http` GET of the same query with
// `accept-encoding: gzip` on a keep-alive agent, the body gunzipped and JSON.parse'd. Rounds alternate so load
// from other work hits both alike; the figure is the ratio of medians of `process.cpuUsage()` per call.
// Goal: measure <= 1.5x the plain request.
import { Agent, get } from 'node:http';
import { gunzipSync } from 'node:zlib';
import { type Clock, systemClock } from '@gradual/core';
import { createPrometheusProvider } from '@gradual/prometheus';
import { type BenchRow, median, reportRows } from '../../../scripts/bench-report.js';
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
const path = `/api/v1/query?${new URLSearchParams({ query, time: String(anchor), timeout: '30s' })}`;
const { hostname, port } = new URL(server.address);

const provider = createPrometheusProvider();
const viaProvider = async () => {
  const measurement = await provider.measure(metric, { signal: new AbortController().signal, clock });
  if (!Array.isArray(measurement.value)) throw new Error('measure returned no vector');
};
const agent = new Agent({ keepAlive: true, maxSockets: 32 });
const viaHttp = () =>
  new Promise<void>((resolve, reject) => {
    const request = get({ hostname, port, path, agent, headers: { 'accept-encoding': 'gzip' } }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => {
        const raw = Buffer.concat(chunks);
        const text = response.headers['content-encoding'] === 'gzip' ? gunzipSync(raw).toString() : raw.toString();
        const body = JSON.parse(text) as { status?: string };
        if (body.status !== 'success') reject(new Error(`Prometheus answered ${text.slice(0, 200)}`));
        else resolve();
      });
      response.on('error', reject);
    });
    request.on('error', reject);
  });

/** CPU (user + system, µs) per call over `calls` sequential calls. */
async function cpuPerCall(run: () => Promise<void>, calls: number): Promise<number> {
  const before = process.cpuUsage();
  for (let i = 0; i < calls; i++) await run();
  const used = process.cpuUsage(before);
  return (used.user + used.system) / calls;
}

const gc = (globalThis as { gc?: () => void }).gc ?? (() => {});
const samples = { provider: [] as number[], http: [] as number[] };
const rounds = Number(process.env.GRADUAL_BENCH_ROUNDS ?? 15);
const calls = 100;
for (let round = -3; round < rounds; round++) {
  gc();
  const order = round % 2 === 0 ? (['provider', 'http'] as const) : (['http', 'provider'] as const);
  for (const name of order) {
    const cpu = await cpuPerCall(name === 'provider' ? viaProvider : viaHttp, calls);
    if (round >= 0) samples[name].push(cpu);
  }
}
provider.close();
agent.destroy();
await server.stop();

const cpuProvider = median(samples.provider);
const cpuHttp = median(samples.http);
const ratio = cpuProvider / cpuHttp;
const rows: BenchRow[] = [
  {
    working: `\`measure\` CPU per call (process.cpuUsage, median of ${rounds} rounds of ${calls})`,
    cheapest: `plain node:http + gzip + JSON.parse: ${cpuHttp.toFixed(0)} µs`,
    goal: '<= 1.5x',
    measured: `${ratio.toFixed(2)}x (${cpuProvider.toFixed(0)} µs)`,
    met: ratio <= 1.5,
  },
];
reportRows('prometheus/measure-cpu', rows);
