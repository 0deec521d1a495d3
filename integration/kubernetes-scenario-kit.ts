// Shared by the integration/kubernetes-*.test.ts scenarios: what a person (or kubectl) does to a Rollout, what
// `kubectl get` shows back, and a cuttable TCP path to the API server (a replica that dies or is cut off).
import { connect, createServer, type Socket } from 'node:net';
import type { FakeClock } from '@gradual/core/testing';
import type { KubeApiServer } from '@gradual/kube-api-test-server';
import { AppsV1Api, CoreV1Api, CustomObjectsApi, KubeConfig, PatchStrategy, setHeaderOptions } from '@kubernetes/client-node';
import { expect, vi } from 'vitest';

const rollouts = { group: 'argoproj.io', version: 'v1alpha1', plural: 'rollouts' };

/** Argo's status fields as `kubectl get rollout -o yaml` shows them. */
export interface ArgoStatus {
  phase?: string;
  message?: string;
  currentStepIndex?: number;
  currentPodHash?: string;
  stableRS?: string;
  abort?: boolean;
  pauseConditions?: { reason: string }[];
  blueGreen?: { activeSelector?: string; previewSelector?: string };
}

/** The Rollout's Argo status, read from the server's store. */
export function argoStatus(server: KubeApiServer, namespace: string, name: string): ArgoStatus {
  return ((server.get('rollouts', namespace, name) as { status?: ArgoStatus } | undefined)?.status ?? {}) as ArgoStatus;
}

/** Waits (bounded, polling) until `check` stops throwing. */
export async function eventually(check: () => void | Promise<void>, timeoutMs?: number | undefined): Promise<void> {
  await vi.waitFor(check, { timeout: timeoutMs ?? 10_000, interval: 10 });
}

/**
 * Lets `ms` of fake time pass one second at a time, with the event loop (and the API server) answering in
 * between, as time passes for a running controller: Lease renewals and requeues come due in order, never
 * skipped over by one jump.
 */
export async function passTime(server: KubeApiServer, clock: FakeClock, ms: number): Promise<void> {
  const until = clock.now() + ms;
  await eventually(async () => {
    await tick(server, clock, Math.min(1000, Math.max(0, until - clock.now())));
    expect(clock.now()).toBeGreaterThanOrEqual(until);
  }, 60_000);
}

/**
 * Moves the fake clock on by `ms` only while the API server has answered every request it received (watches
 * aside): time passes between requests, never during one, as it does for a controller whose API calls take
 * milliseconds against renew deadlines of seconds.
 */
export async function tick(server: KubeApiServer, clock: FakeClock, ms: number): Promise<void> {
  const busy = server.requests.some((request) => request.verb !== 'watch' && request.status === 0);
  const count = server.requests.length;
  // Quiet twice in a row (one poll apart): a request on its way has had a poll's time to arrive.
  const quiet = !busy && lastCount.get(server) === count;
  lastCount.set(server, count);
  if (quiet) await clock.advance(ms);
}
const lastCount = new WeakMap<KubeApiServer, number>();

/**
 * Waits until the Rollout shows `phase` (and `also`, when given). With `tick`, the fake clock moves on by that
 * clock between polls (1 s), so retries the engine schedules (a Service waiting for its ReplicaSet) come due.
 */
export async function untilPhase(
  server: KubeApiServer,
  ref: { namespace: string; name: string },
  phase: string,
  also: (status: ArgoStatus) => boolean = () => true,
  options: { tick?: FakeClock | undefined; timeoutMs?: number | undefined } = {},
): Promise<ArgoStatus> {
  let seen: ArgoStatus = {};
  await eventually(async () => {
    if (options.tick) await tick(server, options.tick, 1000);
    seen = argoStatus(server, ref.namespace, ref.name);
    expect({ phase: seen.phase, also: also(seen), message: seen.message }).toMatchObject({ phase, also: true });
  }, options.timeoutMs);
  return seen;
}

/** The ReplicaSets of a namespace: name, pod-template hash, replicas, via the real client. */
export async function replicaSets(kubeConfig: KubeConfig, namespace: string) {
  const list = await kubeConfig.makeApiClient(AppsV1Api).listNamespacedReplicaSet({ namespace });
  return list.items
    .map((rs) => ({
      name: rs.metadata?.name ?? '',
      hash: rs.metadata?.labels?.['rollouts-pod-template-hash'] ?? '',
      replicas: rs.spec?.replicas ?? 0,
      available: rs.status?.availableReplicas ?? 0,
    }))
    .sort((a, b) => a.name.localeCompare(b.name));
}

/** The Events on a Rollout (reason, message, count), as `kubectl describe rollout` lists them. */
export async function rolloutEvents(server: KubeApiServer, name: string, namespace = 'default') {
  const list = await server.kubeConfig().makeApiClient(CoreV1Api).listNamespacedEvent({ namespace });
  return list.items
    .filter((event) => event.involvedObject.kind === 'Rollout' && event.involvedObject.name === name)
    .map((event) => ({ reason: event.reason ?? '', message: event.message ?? '', count: event.count ?? 1 }));
}

/** What `kubectl argo rollouts abort` writes: a merge patch of `.status` on the status subresource. */
export async function pluginAbort(kubeConfig: KubeConfig, ref: { namespace: string; name: string }) {
  await kubeConfig
    .makeApiClient(CustomObjectsApi)
    .patchNamespacedCustomObjectStatus(
      { ...rollouts, ...ref, body: { status: { abort: true } } },
      setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
    );
}

/** What `kubectl argo rollouts promote` writes at a pause: `{"status":{"pauseConditions":null}}` on /status. */
export async function pluginPromote(kubeConfig: KubeConfig, ref: { namespace: string; name: string }) {
  await kubeConfig
    .makeApiClient(CustomObjectsApi)
    .patchNamespacedCustomObjectStatus(
      { ...rollouts, ...ref, body: { status: { pauseConditions: null } } },
      setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
    );
}

/** Sets the first container's image, as `kubectl argo rollouts set image` does. */
export function setImage(server: KubeApiServer, ref: { namespace: string; name: string }, image: string) {
  server.edit('rollouts', ref.namespace, ref.name, (rollout) => {
    const spec = rollout.spec as { template: { spec: { containers: { image: string }[] } } };
    spec.template.spec.containers[0]!.image = image;
  });
}

/**
 * A TCP path to the API server that can be cut: a replica behind it that is cut off can neither renew its
 * Lease nor write, as a dead or partitioned process. TLS passes through untouched.
 */
export async function startCuttablePath(server: KubeApiServer) {
  const target = new URL(server.url);
  const sockets = new Set<Socket>();
  let cut = false;
  const proxy = createServer((client) => {
    if (cut) {
      client.destroy();
      return;
    }
    const upstream = connect(Number(target.port), target.hostname);
    sockets.add(client);
    sockets.add(upstream);
    client.pipe(upstream).pipe(client);
    const end = () => {
      client.destroy();
      upstream.destroy();
      sockets.delete(client);
      sockets.delete(upstream);
    };
    client.on('error', end).on('close', end);
    upstream.on('error', end).on('close', end);
  });
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  const port = (proxy.address() as { port: number }).port;
  return {
    kubeConfig(namespace = 'default'): KubeConfig {
      const base = server.kubeConfig({ namespace });
      const config = new KubeConfig();
      config.loadFromOptions({
        clusters: base.clusters.map((cluster) => ({ ...cluster, server: `https://127.0.0.1:${port}` })),
        users: base.users,
        contexts: base.contexts,
        currentContext: base.currentContext,
      });
      return config;
    },
    /** Every connection drops and new ones are refused from now on. */
    cut() {
      cut = true;
      for (const socket of sockets) socket.destroy();
    },
    close: () => new Promise<void>((resolve) => proxy.close(() => resolve())),
  };
}

/** The talk's canary mesh: its two Services and the VirtualService `rollout-vsvc` at stable 100 / canary 0. */
export function seedTalkCanaryMesh(server: KubeApiServer, namespace = 'default'): void {
  for (const name of ['rollouts-demo-canary', 'rollouts-demo-backend']) {
    server.seed('services', namespace, {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name },
      spec: { ports: [{ port: 80 }], selector: { app: 'rollouts-demo' } },
    });
  }
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
            { destination: { host: 'rollouts-demo-backend' }, weight: 100 },
            { destination: { host: 'rollouts-demo-canary' }, weight: 0 },
          ],
        },
      ],
    },
  });
}
