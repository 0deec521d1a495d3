import { parseRollout } from '@gradual/core';
import {
  experimentReplicaSetName,
  labelSelectorString,
  podTemplatesEqual,
  replicaSetName,
  resolveRevision,
} from '@gradual/kubernetes';
import type { V1ReplicaSet } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';

// The Rollout's template as a user writes it.
const written = {
  metadata: { labels: { app: 'shop' } },
  spec: {
    containers: [
      {
        name: 'shop',
        image: 'example/shop:1.4',
        ports: [{ name: 'http', containerPort: 8080 }],
        readinessProbe: { httpGet: { path: '/ready', port: 8080 } },
        resources: { limits: { cpu: '500m', memory: '128Mi' } },
        env: [{ name: 'POD', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } }],
      },
    ],
    volumes: [{ name: 'config', configMap: { name: 'shop' } }],
  },
};

// The same template as the API server stores it on a ReplicaSet Argo Rollouts created (the shape of
// `kubectl get rs -o yaml`: hash label, defaults filled in, limits copied to requests, creationTimestamp null).
const storedByArgo = {
  metadata: { creationTimestamp: null, labels: { app: 'shop', 'rollouts-pod-template-hash': '6d4b9c7f5d' } },
  spec: {
    containers: [
      {
        name: 'shop',
        image: 'example/shop:1.4',
        imagePullPolicy: 'IfNotPresent',
        ports: [{ name: 'http', containerPort: 8080, protocol: 'TCP' }],
        readinessProbe: {
          httpGet: { path: '/ready', port: 8080, scheme: 'HTTP' },
          timeoutSeconds: 1,
          periodSeconds: 10,
          successThreshold: 1,
          failureThreshold: 3,
        },
        resources: { limits: { cpu: '500m', memory: '128Mi' }, requests: { cpu: '500m', memory: '128Mi' } },
        env: [{ name: 'POD', valueFrom: { fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.name' } } }],
        terminationMessagePath: '/dev/termination-log',
        terminationMessagePolicy: 'File',
      },
    ],
    volumes: [{ name: 'config', configMap: { name: 'shop', defaultMode: 420 } }],
    dnsPolicy: 'ClusterFirst',
    restartPolicy: 'Always',
    schedulerName: 'default-scheduler',
    securityContext: {},
    terminationGracePeriodSeconds: 30,
  },
};

const replicaSet = (hash: string, template: object, extra: { created?: string; annotations?: Record<string, string> } = {}) =>
  ({
    metadata: {
      name: `shop-${hash}`,
      labels: { app: 'shop', 'rollouts-pod-template-hash': hash },
      ...(extra.annotations ? { annotations: extra.annotations } : {}),
      creationTimestamp: new Date(Date.parse(extra.created ?? '2026-01-01T00:00:00Z')),
    },
    spec: { replicas: 3, selector: { matchLabels: { app: 'shop' } }, template },
  }) as unknown as V1ReplicaSet;

const spec = parseRollout({
  kind: 'Rollout',
  metadata: { name: 'shop' },
  spec: { replicas: 3, selector: { matchLabels: { app: 'shop' } }, template: written, strategy: { canary: { steps: [] } } },
});
const changed = (edit: (template: typeof storedByArgo) => void) => {
  const copy = structuredClone(storedByArgo);
  edit(copy);
  return copy;
};

describe('podTemplatesEqual (Argo PodTemplateEqualIgnoreHash, against the stored form)', () => {
  it('a template equals its stored form with the hash label and the server defaults', () => {
    expect(podTemplatesEqual(written, storedByArgo)).toBe(true);
  });

  it.each([
    ['another image', (t: typeof storedByArgo) => (t.spec.containers[0]!.image = 'example/shop:1.5')],
    ['a default changed to another value', (t: typeof storedByArgo) => (t.spec.restartPolicy = 'Never')],
    [
      'a field the user removed (a label still on the stored one)',
      (t: typeof storedByArgo) => Object.assign(t.metadata.labels, { tier: 'web' }),
    ],
    ['an extra container', (t: typeof storedByArgo) => t.spec.containers.push({ ...t.spec.containers[0]!, name: 'sidecar' })],
    ['requests that are not the limits', (t: typeof storedByArgo) => (t.spec.containers[0]!.resources.requests.cpu = '100m')],
    ['a non-default probe period', (t: typeof storedByArgo) => (t.spec.containers[0]!.readinessProbe.periodSeconds = 5)],
  ])('differs with %s', (_name, edit) => {
    expect(podTemplatesEqual(written, changed(edit))).toBe(false);
  });

  it('a field only the desired side sets is a difference, unless it is empty', () => {
    expect(podTemplatesEqual({ ...written, spec: { ...written.spec, hostNetwork: true } }, storedByArgo)).toBe(false);
    expect(podTemplatesEqual({ ...written, spec: { ...written.spec, tolerations: [] } }, storedByArgo)).toBe(true);
  });

  it('pulls an untagged or :latest image Always by default, any other tag IfNotPresent', () => {
    const latest = { spec: { containers: [{ name: 'a', image: 'example/a' }] } };
    expect(
      podTemplatesEqual(latest, { spec: { containers: [{ name: 'a', image: 'example/a', imagePullPolicy: 'Always' }] } }),
    ).toBe(true);
    expect(
      podTemplatesEqual(latest, { spec: { containers: [{ name: 'a', image: 'example/a', imagePullPolicy: 'IfNotPresent' }] } }),
    ).toBe(false);
  });

  it('ignores the deprecated serviceAccount the server mirrors from serviceAccountName (argo-rollouts#1356)', () => {
    const desired = { spec: { serviceAccountName: 'shop', containers: [] } };
    expect(podTemplatesEqual(desired, { spec: { serviceAccountName: 'shop', serviceAccount: 'shop', containers: [] } })).toBe(
      true,
    );
  });
});

describe('resolveRevision', () => {
  it("adopts the ReplicaSet Argo created for the same template: its hash, not gradual's", () => {
    const sets = [replicaSet('6d4b9c7f5d', storedByArgo)];
    expect(resolveRevision({ spec, replicaSets: sets })).toBe('6d4b9c7f5d');
    expect(spec.revision).not.toBe('6d4b9c7f5d');
  });

  it("uses gradual's hash for a template no ReplicaSet runs", () => {
    const other = changed((t) => (t.spec.containers[0]!.image = 'example/shop:1.3'));
    expect(resolveRevision({ spec, replicaSets: [replicaSet('5f7c8d9b4c', other)] })).toBe(spec.revision);
  });

  it("prefers a ReplicaSet already labelled with gradual's hash, then the oldest equal one", () => {
    const own = replicaSet(spec.revision, {
      ...storedByArgo,
      metadata: { labels: { app: 'shop', 'rollouts-pod-template-hash': spec.revision } },
    });
    expect(resolveRevision({ spec, replicaSets: [replicaSet('6d4b9c7f5d', storedByArgo), own] })).toBe(spec.revision);
    const newer = replicaSet('7b8c9d5f6g', storedByArgo, { created: '2026-02-01T00:00:00Z' });
    const older = replicaSet('6d4b9c7f5d', storedByArgo, { created: '2026-01-01T00:00:00Z' });
    expect(resolveRevision({ spec, replicaSets: [newer, older] })).toBe('6d4b9c7f5d');
  });

  it("never adopts an experiment's ReplicaSet", () => {
    const experiment = replicaSet('8c9d4f5b6h', storedByArgo, { annotations: { 'experiment.argoproj.io/name': 'shop-x-1-0' } });
    expect(resolveRevision({ spec, replicaSets: [experiment] })).toBe(spec.revision);
  });
});

describe('names and selectors', () => {
  it('names ReplicaSets as Argo: <rollout>-<hash>, experiments <rollout>-<hash>-<revision>-<step>-<template>', () => {
    expect(replicaSetName('shop', '6d4b9c7f5d')).toBe('shop-6d4b9c7f5d');
    expect(
      experimentReplicaSetName({ rollout: 'shop', canaryHash: '6d4b9c7f5d', revision: 2, stepIndex: 1, template: 'baseline' }),
    ).toBe('shop-6d4b9c7f5d-2-1-baseline');
  });

  it('writes a LabelSelector as the labelSelector query, and refuses an empty one', () => {
    expect(
      labelSelectorString(
        {
          matchLabels: { app: 'shop' },
          matchExpressions: [
            { key: 'tier', operator: 'In', values: ['a', 'b'] },
            { key: 'legacy', operator: 'DoesNotExist' },
            { key: 'team', operator: 'Exists' },
            { key: 'env', operator: 'NotIn', values: ['dev'] },
          ],
        },
        'Rollout "shop"',
      ),
    ).toBe('app=shop,tier in (a,b),!legacy,team,env notin (dev)');
    expect(() => labelSelectorString({}, 'Rollout "shop"')).toThrow(/spec\.selector: is required/);
  });
});
