import { parseRollout, type RolloutStatus, reconcile } from '@gradual/core';
import { createFakeClock, createMemoryRouter } from '@gradual/core/testing';
import { type KubeApiServer, startKubeApiServer } from '@gradual/kube-api-test-server';
import { createKubernetesWorkload, resolveRevision } from '@gradual/kubernetes';
import { afterEach, describe, expect, it } from 'vitest';

const ns = 'shop';
const owner = { name: 'shop', uid: '3f9a1c2e-7b6d-4e8f-a0b1-c2d3e4f5a6b7' };
const oldHash = '7c8d9f6b5';

let server: KubeApiServer;
afterEach(async () => {
  await server.close();
});

describe('the engine on Kubernetes ReplicaSets (basic canary, pods ready as soon as asked for)', () => {
  it("goes from Argo's stable ReplicaSet to the new revision at 50% then 100%, never above replicas + maxSurge", async () => {
    server = await startKubeApiServer({ autoAvailable: true });
    server.seed('replicasets', ns, {
      apiVersion: 'apps/v1',
      kind: 'ReplicaSet',
      metadata: {
        name: `shop-${oldHash}`,
        labels: { app: 'shop', 'rollouts-pod-template-hash': oldHash },
        annotations: { 'rollout.argoproj.io/revision': '1' },
        ownerReferences: [
          { apiVersion: 'argoproj.io/v1alpha1', kind: 'Rollout', name: 'shop', uid: owner.uid, controller: true },
        ],
      },
      spec: {
        replicas: 4,
        selector: { matchLabels: { app: 'shop', 'rollouts-pod-template-hash': oldHash } },
        template: {
          metadata: { labels: { app: 'shop', 'rollouts-pod-template-hash': oldHash } },
          spec: { containers: [{ name: 'shop', image: 'shop:1' }] },
        },
      },
    });
    server.setAvailable(ns, `shop-${oldHash}`);
    const clock = createFakeClock({ start: 0 });
    const call = { signal: new AbortController().signal, clock };
    const kubeConfig = server.kubeConfig();
    const parsed = parseRollout({
      kind: 'Rollout',
      metadata: { name: 'shop', namespace: ns },
      spec: {
        replicas: 4,
        selector: { matchLabels: { app: 'shop' } },
        template: { metadata: { labels: { app: 'shop' } }, spec: { containers: [{ name: 'shop', image: 'shop:2' }] } },
        strategy: { canary: { maxSurge: 1, maxUnavailable: 0, steps: [{ setWeight: 50 }, { pause: { duration: 60 } }] } },
      },
    });
    const probe = createKubernetesWorkload({ kubeConfig, namespace: ns, rollout: owner, spec: parsed });
    const spec = { ...parsed, revision: resolveRevision({ spec: parsed, replicaSets: await probe.replicaSets(call) }) };
    expect(spec.revision).toBe(parsed.revision);
    const workload = createKubernetesWorkload({ kubeConfig, namespace: ns, rollout: owner, spec, stableRevision: oldHash });
    const router = createMemoryRouter();
    const counts = () => {
      const of = (hash: string) =>
        (server.get('replicasets', ns, `shop-${hash}`) as { spec: { replicas: number } } | undefined)?.spec.replicas ?? 0;
      return { old: of(oldHash), new: of(spec.revision) };
    };

    let status: RolloutStatus | undefined;
    const seen: string[] = [];
    for (let i = 0; i < 30 && status?.stableRevision !== spec.revision; i++) {
      const result = await reconcile({ spec, router, clock, workload, ...(status ? { status } : { stableRevision: oldHash }) });
      status = result.status;
      const now = counts();
      expect(now.old + now.new).toBeLessThanOrEqual(5);
      seen.push(`step ${status.currentStepIndex}: ${now.new}/${now.old}`);
      await clock.advance(result.requeueAfterMs ?? 60_000);
    }
    expect(status?.stableRevision).toBe(spec.revision);
    // At the pause the pods carried the weight: 2 of 4 new.
    expect(seen).toContain('step 1: 2/2');
    expect(counts()).toEqual({ old: 0, new: 4 });
    const created = server.get('replicasets', ns, `shop-${spec.revision}`) as {
      metadata: { annotations: Record<string, string> };
    };
    expect(created.metadata.annotations['rollout.argoproj.io/revision']).toBe('2');
    // Steady state: another reconcile writes nothing.
    const writes = server.acceptedWrites();
    await reconcile({ spec, router, clock, workload, status: status as RolloutStatus });
    expect(server.acceptedWrites()).toBe(writes);
  });
});
