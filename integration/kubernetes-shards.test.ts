// Two replicas of the controller sharing 200 rollouts through shards on Leases: the first takes every shard,
// the second joins while the rollouts are on their way and takes about half; each rollout is reconciled by one
// replica at a time (no replica ever writes a status the other just wrote: no 409 on any Rollout), and every
// one reaches Healthy on its new revision.
import type { TrafficRouter } from '@gradual/core';
import { createFakeClock, type FakeClock } from '@gradual/core/testing';
import { type KubeApiServer, startKubeApiServer } from '@gradual/kube-api-test-server';
import { createRolloutController, type RolloutController } from '@gradual/kubernetes';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { argoStatus, eventually, tick } from './kubernetes-scenario-kit.js';

const count = 200;
const shardCount = 8;
// client-go's ratios scaled x4 (see kubernetes-leader.test.ts).
const lease = { leaseDurationMs: 60_000, renewDeadlineMs: 40_000, retryPeriodMs: 8_000 };
const names = Array.from({ length: count }, (_, i) => `app-${String(i).padStart(3, '0')}`);
// A canary without a mesh or Services: the replica split carries the weight (Argo's basic canary).
const rollout = (name: string, image: string) => ({
  apiVersion: 'argoproj.io/v1alpha1',
  kind: 'Rollout',
  metadata: { name },
  spec: {
    replicas: 2,
    selector: { matchLabels: { app: name } },
    template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'app', image }] } },
    strategy: { canary: { steps: [{ setWeight: 50 }] } },
  },
});

let server: KubeApiServer;
let clock: FakeClock;
const controllers: RolloutController[] = [];
beforeEach(async () => {
  server = await startKubeApiServer({ autoAvailable: true });
  clock = createFakeClock({ start: Date.UTC(2026, 0, 1) });
});
afterEach(async () => {
  await Promise.all(controllers.splice(0).map((c) => c.stop()));
  await server.close();
});

describe('two replicas sharding 200 rollouts', () => {
  it('reconciles each rollout on one replica at a time, rebalances on a join, and brings all to Healthy', async () => {
    // Which replica moved each rollout's traffic, and whether two were ever inside one rollout at once.
    const inside = new Map<string, string>();
    const overlaps: string[] = [];
    const movedBy = new Map<string, Set<string>>();
    const recording = (identity: string, key: string): TrafficRouter => ({
      specificationVersion: 'v1',
      name: 'replica-split',
      capabilities: { headerRoutes: false, mirrorRoutes: false, experiments: false, weightGranularity: 1 },
      async apply() {
        if (inside.has(key) && inside.get(key) !== identity) overlaps.push(key);
        inside.set(key, identity);
        movedBy.set(key, (movedBy.get(key) ?? new Set()).add(identity));
        await new Promise((resolve) => setImmediate(resolve));
        inside.delete(key);
        return { changed: false };
      },
    });
    const replica = (identity: string) => {
      const controller = createRolloutController({
        kubeConfig: server.kubeConfig(),
        namespaces: ['default'],
        clock,
        identity,
        sharding: { shardCount, namespace: 'default', ...lease },
        concurrency: 8,
        routerFor: ({ spec, namespace }) => recording(identity, `${namespace}/${spec.name}`),
      });
      controllers.push(controller);
      return controller;
    };
    const shardHolders = () =>
      Array.from(
        { length: shardCount },
        (_, n) =>
          (server.get('leases', 'default', `gradual-shard-${n}`)?.spec as { holderIdentity?: string } | undefined)
            ?.holderIdentity,
      );

    for (const name of names) server.seed('rollouts', 'default', rollout(name, `${name}:1`));
    await replica('replica-a').start();
    await eventually(async () => {
      await tick(server, clock, 1000);
      expect(shardHolders()).toEqual(Array(shardCount).fill('replica-a'));
    }, 30_000);
    await eventually(async () => {
      await tick(server, clock, 1000);
      expect(names.filter((name) => argoStatus(server, 'default', name).phase !== 'Healthy')).toEqual([]);
    }, 60_000);
    const v1 = new Map(names.map((name) => [name, argoStatus(server, 'default', name).stableRS]));

    // New revisions for half of them, and a second replica joins while they roll out; then the other half.
    const setImage = (name: string) =>
      server.edit('rollouts', 'default', name, (o) => {
        (o.spec as ReturnType<typeof rollout>['spec']).template.spec.containers[0]!.image = `${name}:2`;
      });
    for (const name of names.slice(0, count / 2)) setImage(name);
    await replica('replica-b').start();
    await eventually(async () => {
      await tick(server, clock, 1000);
      const holders = shardHolders();
      expect(holders.filter((h) => h === 'replica-b').length).toBeGreaterThanOrEqual(2);
      expect(holders.every((h) => h === 'replica-a' || h === 'replica-b')).toBe(true);
    }, 60_000);
    for (const name of names.slice(count / 2)) setImage(name);
    await eventually(async () => {
      await tick(server, clock, 1000);
      const behind = names.filter((name) => {
        const status = argoStatus(server, 'default', name);
        return status.phase !== 'Healthy' || status.stableRS === v1.get(name);
      });
      expect(behind).toEqual([]);
    }, 90_000);

    expect(overlaps).toEqual([]);
    // Never two writers on one Rollout: no status write was ever refused.
    expect(server.requests.filter((r) => r.plural === 'rollouts' && r.status === 409)).toEqual([]);
    // Both replicas did part of the work after the join.
    const byB = [...movedBy.values()].filter((set) => set.has('replica-b')).length;
    expect(byB).toBeGreaterThan(0);
    expect(byB).toBeLessThan(count);
  }, 240_000);
});
