// Benchmark of the Rollout controller (createRolloutController with this package's parts) against the Kubernetes
// API test server (real HTTPS, real client-node, in this process): API requests per rollout against the states
// it passes through, writes at steady state, memory per managed rollout at 10,000, event-loop delay while
// 10,000 are resynced, failover time after the leader dies.
// Run alone: pnpm bench controller   (node --expose-gc --import tsx integration/bench/controller.bench.ts)
// GRADUAL_BENCH_ROLLOUTS=1000 for a quicker run.
import { readFileSync } from 'node:fs';
import { connect, createServer, type Socket } from 'node:net';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { parseRollout } from '@gradual/core';
import { createFakeClock, type FakeClock } from '@gradual/core/testing';
import { createIstioTrafficRouter, istioRoutingFromRollout } from '@gradual/istio';
import { type KubeApiServer, startKubeApiServer } from '@gradual/kube-api-test-server';
import { createRolloutController, type RolloutController } from '@gradual/kubernetes';
import { AppsV1Api, KubeConfig } from '@kubernetes/client-node';
import { parse } from 'yaml';
import { type BenchRow, reportRows } from '../../scripts/bench-report.js';

const fleet = Number(process.env.GRADUAL_BENCH_ROLLOUTS ?? 10_000);
const rows: BenchRow[] = [];
const start = Date.UTC(2026, 0, 1);
const reads = (server: KubeApiServer, from = 0) =>
  server.requests.slice(from).filter((r) => r.verb === 'get' || r.verb === 'list').length;
const writes = (server: KubeApiServer, from = 0) =>
  server.requests
    .slice(from)
    .filter((r) => ['create', 'update', 'patch', 'delete'].includes(r.verb) && r.status > 0 && r.status < 400).length;
const argo = (server: KubeApiServer, name: string) =>
  ((server.get('rollouts', 'default', name) as { status?: Record<string, unknown> } | undefined)?.status ?? {}) as {
    phase?: string;
    currentStepIndex?: number;
    stableRS?: string;
  };
/** Polls `done` (bounded), letting the fake clock move `stepMs` whenever the API server has nothing in flight. */
async function until(server: KubeApiServer, clock: FakeClock, done: () => boolean, stepMs = 0, timeoutMs = 600_000) {
  const deadline = performance.now() + timeoutMs;
  let quietBefore = -1;
  while (!done()) {
    if (performance.now() > deadline) throw new Error('bench: timed out');
    const busy = server.requests.some((r) => r.verb !== 'watch' && r.status === 0);
    if (stepMs > 0 && !busy && quietBefore === server.requests.length) await clock.advance(stepMs);
    quietBefore = busy ? -1 : server.requests.length;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

// (a) The talk's canary, one rollout, from the CR to Healthy twice (initial deploy, then a new image through
// 20% 1m, 50% 2m): requests by kind against the distinct states Argo's status shows.
{
  const server = await startKubeApiServer({ autoAvailable: true });
  for (const name of ['rollouts-demo-canary', 'rollouts-demo-backend']) {
    server.seed('services', 'default', {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name },
      spec: { ports: [{ port: 80 }] },
    });
  }
  server.seed('virtualservices', 'default', {
    apiVersion: 'networking.istio.io/v1beta1',
    kind: 'VirtualService',
    metadata: { name: 'rollout-vsvc' },
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
  const clock = createFakeClock({ start });
  const controller = createRolloutController({
    kubeConfig: server.kubeConfig(),
    namespaces: ['default'],
    clock,
    routerFor: ({ spec, namespace, kubeConfig }) =>
      spec.strategy.canary?.trafficRouting?.istio
        ? createIstioTrafficRouter({ ...istioRoutingFromRollout(spec), namespace, kubeConfig })
        : undefined,
  });
  const states = new Set<string>();
  const seen = () => {
    const s = argo(server, 'rollouts-demo');
    states.add(`${s.phase}/${s.currentStepIndex}/${s.stableRS}`);
  };
  await controller.start();
  const from = server.requests.length;
  const seed = parse(
    readFileSync(fileURLToPath(new URL('../../examples/manifests/rollout-canary.yaml', import.meta.url)), 'utf8'),
  );
  server.seed('rollouts', 'default', seed);
  await until(
    server,
    clock,
    () => {
      seen();
      return argo(server, 'rollouts-demo').phase === 'Healthy';
    },
    1000,
  );
  const v1 = argo(server, 'rollouts-demo').stableRS;
  server.edit('rollouts', 'default', 'rollouts-demo', (o) => {
    (o.spec as { template: { spec: { containers: { image: string }[] } } }).template.spec.containers[0]!.image =
      'argoproj/rollouts-demo:yellow';
  });
  await until(
    server,
    clock,
    () => {
      seen();
      return argo(server, 'rollouts-demo').phase === 'Healthy' && argo(server, 'rollouts-demo').stableRS !== v1;
    },
    1000,
  );
  const r = reads(server, from);
  const w = writes(server, from);
  const byPlural = new Map<string, number>();
  for (const request of server.requests.slice(from)) {
    if (!['create', 'update', 'patch', 'delete'].includes(request.verb) || request.status >= 400 || request.status <= 0) continue;
    byPlural.set(request.plural, (byPlural.get(request.plural) ?? 0) + 1);
  }
  const detail = [...byPlural].map(([plural, n]) => `${plural} ${n}`).join(', ');
  rows.push({
    working: `talk canary on the controller, CR → Healthy → new image → Healthy: ${states.size} distinct states`,
    cheapest: `one status write per state would be ${states.size} writes`,
    goal: 'reads and writes per state, informative',
    measured: `${r} reads, ${w} writes (${detail}); ${(w / states.size).toFixed(1)} writes per state`,
  });
  await controller.stop();
  await server.close();
}

// (b) Initial deploys: a few hundred new Rollouts to Healthy on one replica (requests per rollout, rate).
const basicCanary = (name: string) => ({
  apiVersion: 'argoproj.io/v1alpha1',
  kind: 'Rollout',
  metadata: { name },
  spec: {
    replicas: 2,
    selector: { matchLabels: { app: name } },
    template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'app', image: `${name}:1` }] } },
    strategy: { canary: { steps: [{ setWeight: 50 }] } },
  },
});
const deployed = Number(process.env.GRADUAL_BENCH_DEPLOYS ?? 300);
let settled: { rollout: Record<string, unknown>; replicaSet: Record<string, unknown>; hash: string } | undefined;
{
  const server = await startKubeApiServer({ autoAvailable: true });
  const names = Array.from({ length: deployed }, (_, i) => `app-${String(i).padStart(5, '0')}`);
  for (const name of names) server.seed('rollouts', 'default', basicCanary(name));
  const clock = createFakeClock({ start });
  const controller = createRolloutController({ kubeConfig: server.kubeConfig(), namespaces: ['default'], clock, concurrency: 8 });
  const from = server.requests.length;
  const started = performance.now();
  await controller.start();
  await until(server, clock, () => names.every((name) => argo(server, name).phase === 'Healthy'));
  const seconds = (performance.now() - started) / 1000;
  rows.push({
    working: `${deployed} new Rollouts → Healthy (initial deploy: a ReplicaSet, the status, an Event) on one replica`,
    cheapest: '-',
    goal: 'informative',
    measured: `${(reads(server, from) / deployed).toFixed(1)} reads, ${(writes(server, from) / deployed).toFixed(1)} writes per rollout; ${(deployed / seconds).toFixed(0)} rollouts/s`,
  });
  await controller.stop();
  // One settled rollout and its ReplicaSet, to clone into the fleet below.
  const rollout = structuredClone(server.get('rollouts', 'default', names[0]!)!);
  const replicaSet = (
    await server
      .kubeConfig()
      .makeApiClient(AppsV1Api)
      .listNamespacedReplicaSet({ namespace: 'default', labelSelector: `app=${names[0]}` })
  ).items[0]!;
  settled = { rollout, replicaSet: JSON.parse(JSON.stringify(replicaSet)), hash: argo(server, names[0]!).stableRS! };
  await server.close();
}

// (c)-(d) A fleet of settled rollouts (cloned from the one above, each with its own labels, revision and
// ReplicaSet, as the controller leaves them): a fresh replica takes it over, then resyncs it.
{
  const server = await startKubeApiServer({ autoAvailable: true });
  const names = Array.from({ length: fleet }, (_, i) => `app-${String(i).padStart(5, '0')}`);
  const model = settled!;
  const bare = (object: Record<string, unknown>) => {
    const metadata = { ...(object.metadata as Record<string, unknown>) };
    for (const key of ['uid', 'resourceVersion', 'creationTimestamp', 'generation', 'managedFields']) delete metadata[key];
    return JSON.stringify({ ...object, metadata });
  };
  const rolloutText = bare(model.rollout);
  const replicaSetText = bare(model.replicaSet);
  const modelName = (model.rollout.metadata as { name: string }).name;
  for (const name of names) {
    const hash = parseRollout(basicCanary(name)).revision;
    const clone = (text: string) =>
      JSON.parse(text.split(modelName).join(name).split(model.hash).join(hash)) as Record<string, unknown>;
    const rollout = clone(rolloutText);
    const stored = server.seed('rollouts', 'default', rollout);
    server.edit('rollouts', 'default', name, (o) => {
      o.status = rollout.status;
    });
    const replicaSet = clone(replicaSetText);
    const owner = (replicaSet.metadata as { ownerReferences: { uid: string }[] }).ownerReferences[0]!;
    owner.uid = (stored.metadata as { uid: string }).uid;
    server.seed('replicasets', 'default', replicaSet);
    server.setAvailable('default', (replicaSet.metadata as { name: string }).name);
  }
  const resyncMs = 15 * 60_000;
  const clock = createFakeClock({ start: start + 3_600_000 });
  // A fresh replica on the settled fleet: its caches and per-rollout state, then a full resync.
  globalThis.gc?.();
  const heapBefore = process.memoryUsage().heapUsed;
  const second = createRolloutController({
    kubeConfig: server.kubeConfig(),
    namespaces: ['default'],
    clock,
    resyncMs,
    concurrency: 8,
  });
  const resyncFrom = server.requests.length;
  await second.start();
  const reconciled = async () => {
    const metric = await second.registry.getSingleMetric('gradual_reconcile_total')?.get();
    return (metric?.values ?? []).reduce((sum, v) => sum + v.value, 0);
  };
  let done = 0;
  await until(server, clock, () => {
    void reconciled().then((n) => {
      done = n;
    });
    return done >= fleet;
  });
  globalThis.gc?.();
  const heapAfter = process.memoryUsage().heapUsed;
  const firstPassWrites = writes(server, resyncFrom);
  rows.push({
    working: `memory of a replica managing ${fleet} rollouts (informer caches, queue, engine state), after GC`,
    cheapest: '-',
    goal: '<= 64 KiB per rollout',
    measured: `${((heapAfter - heapBefore) / fleet / 1024).toFixed(1)} KiB per rollout`,
    met: (heapAfter - heapBefore) / fleet <= 64 * 1024,
  });

  const delay = monitorEventLoopDelay({ resolution: 10 });
  const beforeResync = server.requests.length;
  const target = done + fleet;
  delay.enable();
  const resyncStarted = performance.now();
  await clock.advance(resyncMs);
  await until(server, clock, () => {
    void reconciled().then((n) => {
      done = n;
    });
    return done >= target;
  });
  delay.disable();
  const resyncWrites = writes(server, beforeResync) + firstPassWrites;
  rows.push({
    working: `writes while a fresh replica takes over and resyncs ${fleet} Healthy rollouts (two passes)`,
    cheapest: 'nothing changed',
    goal: '0',
    measured: `${resyncWrites} writes; ${(reads(server, beforeResync) / fleet).toFixed(1)} reads per rollout per resync`,
    met: resyncWrites === 0,
  });
  rows.push({
    working: `event-loop delay while ${fleet} rollouts are resynced (API server in the same process)`,
    cheapest: '-',
    goal: 'p99 <= 100 ms',
    measured: `p99 ${(delay.percentile(99) / 1e6).toFixed(1)} ms, max ${(delay.max / 1e6).toFixed(1)} ms; resync ${((performance.now() - resyncStarted) / 1000).toFixed(1)} s wall`,
    met: delay.percentile(99) / 1e6 <= 100,
  });
  await second.stop();
  await server.close();
}

// (e) Failover: two replicas with client-go's lease timings; the leader is cut off (a crash, as far as the API
// server can tell); fake time until the other holds the Lease and has reconciled.
{
  const server = await startKubeApiServer({ autoAvailable: true });
  const clock = createFakeClock({ start });
  const target = new URL(server.url);
  const sockets = new Set<Socket>();
  let cut = false;
  const proxy = createServer((client) => {
    if (cut) return void client.destroy();
    const upstream = connect(Number(target.port), target.hostname);
    sockets.add(client).add(upstream);
    client.pipe(upstream).pipe(client);
    const end = () => {
      client.destroy();
      upstream.destroy();
    };
    client.on('error', end).on('close', end);
    upstream.on('error', end).on('close', end);
  });
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  const base = server.kubeConfig();
  const viaProxy = new KubeConfig();
  viaProxy.loadFromOptions({
    clusters: base.clusters.map((c) => ({ ...c, server: `https://127.0.0.1:${(proxy.address() as { port: number }).port}` })),
    users: base.users,
    contexts: base.contexts,
    currentContext: base.currentContext,
  });
  const replica = (identity: string, kubeConfig: KubeConfig): RolloutController =>
    createRolloutController({ kubeConfig, namespaces: ['default'], clock, identity, leaderElection: { namespace: 'default' } });
  const holder = () =>
    (server.get('leases', 'default', 'gradual-controller')?.spec as { holderIdentity?: string } | undefined)?.holderIdentity;
  const a = replica('a', viaProxy);
  await a.start();
  await until(server, clock, () => holder() === 'a', 250);
  const b = replica('b', server.kubeConfig());
  await b.start();
  cut = true;
  for (const socket of sockets) socket.destroy();
  const cutAt = clock.now();
  await until(server, clock, () => holder() === 'b', 250);
  const failover = (clock.now() - cutAt) / 1000;
  const bound = 15 + 2 * 1.2 * 2;
  rows.push({
    working: 'failover after the leader dies (lease 15 s, renew deadline 10 s, retry 2 s), on the fake clock',
    cheapest: `client-go's bound: lease duration + 2 jittered retry periods = ${bound.toFixed(1)} s`,
    goal: `<= ${bound.toFixed(1)} s`,
    measured: `${failover.toFixed(1)} s`,
    met: failover <= bound,
  });
  await Promise.all([a.stop(), b.stop()]);
  proxy.close();
  await server.close();
}

console.log(`Rollout controller, ${fleet} rollouts for the fleet rows, HTTPS on 127.0.0.1\n`);
reportRows('kubernetes controller', rows);
process.exit();
