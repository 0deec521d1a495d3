import { type CallOptions, parseRollout } from '@gradual/core';
import { createFakeClock } from '@gradual/core/testing';
import { type KubeApiServer, startKubeApiServer } from '@gradual/kube-api-test-server';
import { readWorkloadRef, scaleWorkloadRef, workloadRefScaleDown } from '@gradual/kubernetes';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

const ns = 'shop';
const deployment = {
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'shop' },
  spec: {
    replicas: 5,
    selector: { matchLabels: { app: 'shop' } },
    template: { metadata: { labels: { app: 'shop' } }, spec: { containers: [{ name: 'shop', image: 'shop:1' }] } },
  },
};
// Argo's docs/migrating.md: the Rollout names the Deployment and has no template of its own.
const manifest = {
  apiVersion: 'argoproj.io/v1alpha1',
  kind: 'Rollout',
  metadata: { name: 'shop', namespace: ns },
  spec: {
    replicas: 5,
    workloadRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'shop', scaleDown: 'progressively' },
    strategy: { canary: { steps: [{ setWeight: 20 }, { pause: {} }] } },
  },
};

let server: KubeApiServer;
let call: CallOptions;
beforeEach(async () => {
  server = await startKubeApiServer();
  call = { signal: new AbortController().signal, clock: createFakeClock({ start: 0 }) };
  server.seed('deployments', ns, deployment);
});
afterEach(async () => {
  await server.close();
});

describe('workloadRef to a Deployment', () => {
  it("reads the Deployment's template, selector and generation; parseRollout runs from them", async () => {
    const read = await readWorkloadRef({ kubeConfig: server.kubeConfig(), namespace: ns, ref: manifest.spec.workloadRef }, call);
    expect(read.template).toEqual(deployment.spec.template);
    expect(read.selector).toEqual({ matchLabels: { app: 'shop' } });
    expect(read.generation).toBe(
      (server.get('deployments', ns, 'shop') as { metadata: { generation: number } }).metadata.generation,
    );
    expect(read.replicas).toBe(5);
    const spec = parseRollout(manifest, { workloadTemplate: read.template, workloadSelector: read.selector });
    expect(spec.template).toEqual(deployment.spec.template);
    expect(spec.selector).toEqual({ matchLabels: { app: 'shop' } });
    expect(spec.workloadRef?.scaleDown).toBe('progressively');
  });

  it('a changed Deployment template is a new revision and a new generation', async () => {
    const ref = { kubeConfig: server.kubeConfig(), namespace: ns, ref: manifest.spec.workloadRef };
    const first = await readWorkloadRef(ref, call);
    server.edit('deployments', ns, 'shop', (object) => {
      (object.spec as { template: { spec: { containers: { image: string }[] } } }).template.spec.containers[0]!.image = 'shop:2';
      (object.metadata as { generation: number }).generation += 1;
    });
    const second = await readWorkloadRef(ref, call);
    expect(second.generation).toBeGreaterThan(first.generation);
    expect(parseRollout(manifest, { workloadTemplate: second.template }).revision).not.toBe(
      parseRollout(manifest, { workloadTemplate: first.template }).revision,
    );
  });

  it('scales the Deployment progressively as the rollout gains pods, with one PUT per change and none when right', async () => {
    const kubeConfig = server.kubeConfig();
    const step = async (availableReplicas: number, healthy: boolean) => {
      const { replicas } = await readWorkloadRef({ kubeConfig, namespace: ns, ref: manifest.spec.workloadRef }, call);
      const wanted = workloadRefScaleDown({
        scaleDown: 'progressively',
        replicas: 5,
        availableReplicas,
        healthy,
        deploymentReplicas: replicas,
      });
      return scaleWorkloadRef({ kubeConfig, namespace: ns, name: 'shop', replicas: wanted }, call);
    };
    expect(await step(0, false)).toBe(false);
    expect(await step(2, false)).toBe(true);
    expect((server.get('deployments', ns, 'shop') as { spec: { replicas: number } }).spec.replicas).toBe(3);
    const writes = server.acceptedWrites('shop');
    expect(await step(2, false)).toBe(false);
    expect(server.acceptedWrites('shop')).toBe(writes);
    expect(await step(5, true)).toBe(true);
    expect((server.get('deployments', ns, 'shop') as { spec: { replicas: number } }).spec.replicas).toBe(0);
  });

  it('retries a PUT answered 409 from a fresh read', async () => {
    server.inject({ fault: { kind: 'conflict' }, name: 'shop', plural: 'deployments', times: 1 });
    const wrote = await scaleWorkloadRef({ kubeConfig: server.kubeConfig(), namespace: ns, name: 'shop', replicas: 0 }, call);
    expect(wrote).toBe(true);
    expect((server.get('deployments', ns, 'shop') as { spec: { replicas: number } }).spec.replicas).toBe(0);
  });

  it('names the Deployment when it does not exist', async () => {
    await expect(
      readWorkloadRef({ kubeConfig: server.kubeConfig(), namespace: ns, ref: { name: 'gone' } }, call),
    ).rejects.toMatchObject({
      code: 'KUBERNETES_NOT_FOUND',
      message: expect.stringContaining("deployments.apps 'gone' in namespace 'shop'"),
    });
  });
});
