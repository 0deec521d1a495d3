import { type RolloutCommand, type RolloutStatus, reconcile } from '@gradual/core';
import { createFakeClock, createMemoryRouter } from '@gradual/core/testing';
import { type KubeApiServer, startKubeApiServer } from '@gradual/kube-api-test-server';
import {
  commandsFromRollout,
  createRolloutStatusStore,
  gradualStatusAnnotation,
  type RolloutStatusRead,
  type RolloutStatusStore,
} from '@gradual/kubernetes';
import { CustomObjectsApi, type KubeConfig, PatchStrategy, setHeaderOptions } from '@kubernetes/client-node';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { canaryManifest, canarySpec, statusOf } from './status-fixtures.js';

const ref = { namespace: 'shop', name: 'web' };
const signal = new AbortController().signal;
const rollout = { group: 'argoproj.io', version: 'v1alpha1', plural: 'rollouts', namespace: 'shop', name: 'web' };

let server: KubeApiServer;
let kubeConfig: KubeConfig;
let store: RolloutStatusStore;
let clock: ReturnType<typeof createFakeClock>;

beforeEach(async () => {
  server = await startKubeApiServer();
  kubeConfig = server.kubeConfig({ namespace: 'shop' });
  clock = createFakeClock({ start: Date.UTC(2026, 11, 6, 20, 0, 0) });
  store = createRolloutStatusStore({ kubeConfig, clock });
  server.seed('rollouts', 'shop', canaryManifest);
});
afterEach(async () => {
  await server.close();
});

/**
 * What `kubectl argo rollouts <verb>` sends, per its source (pkg/kubectl-argo-rollouts/cmd/*): merge patches,
 * status fields on the status subresource, spec fields on the main resource; promote reads the Rollout first.
 */
async function plugin(verb: 'promote' | 'promote --full' | 'abort' | 'retry' | 'pause'): Promise<void> {
  const api = kubeConfig.makeApiClient(CustomObjectsApi);
  const merge = setHeaderOptions('Content-Type', PatchStrategy.MergePatch);
  const patchStatus = (body: object) => api.patchNamespacedCustomObjectStatus({ ...rollout, body }, merge);
  const patchSpec = (body: object) => api.patchNamespacedCustomObject({ ...rollout, body }, merge);
  if (verb === 'abort') return void (await patchStatus({ status: { abort: true } }));
  if (verb === 'retry') return void (await patchStatus({ status: { abort: false } }));
  if (verb === 'pause') return void (await patchSpec({ spec: { paused: true } }));
  const ro = (await api.getNamespacedCustomObject(rollout)) as {
    spec: { paused?: boolean; strategy: { canary?: { steps: unknown[] } } };
    status?: { pauseConditions?: unknown[]; currentStepIndex?: number; currentPodHash?: string; stableRS?: string };
  };
  const status = ro.status ?? {};
  if (verb === 'promote --full') {
    if (status.currentPodHash !== status.stableRS) await patchStatus({ status: { promoteFull: true } });
  } else if ((status.pauseConditions?.length ?? 0) > 0) {
    await patchStatus({ status: { pauseConditions: null } });
  } else if (ro.spec.strategy.canary) {
    const steps = ro.spec.strategy.canary.steps.length;
    const index = status.currentStepIndex ?? 0;
    await patchStatus({ status: { pauseConditions: null, currentStepIndex: index < steps ? index + 1 : index } });
  }
  if (ro.spec.paused) await patchSpec({ spec: { paused: false } });
}

const router = createMemoryRouter();
/** One pass of a controller: read, take the plugin's commands, reconcile, write. */
async function pass(): Promise<{ commands: RolloutCommand[]; status: RolloutStatus; read: RolloutStatusRead }> {
  const read = await store.read(ref, { signal });
  const commands = commandsFromRollout(read);
  const result = await reconcile({ spec: canarySpec, status: read.status, router, clock, commands, stableRevision: 'old' });
  await store.write(ref, { read, status: result.status, spec: canarySpec }, { signal });
  return { commands, status: result.status, read };
}

describe('the Rollout status store against the API server', () => {
  it("round-trips gradual's status through the annotation, and a plain GET shows Argo's fields", async () => {
    const first = await store.read(ref, { signal });
    expect(first.status).toBeNull();
    expect(first.written).toBeNull();
    const status = statusOf(canarySpec, {
      phase: 'Paused',
      message: 'CanaryPauseStep',
      currentStepIndex: 1,
      controllerPause: true,
      pauseConditions: [{ reason: 'CanaryPauseStep', startTime: clock.now() }],
    });
    const resourceVersion = await store.write(ref, { read: first, status, spec: canarySpec }, { signal });

    // A plain GET, as kubectl does.
    const stored = (await kubeConfig.makeApiClient(CustomObjectsApi).getNamespacedCustomObject(rollout)) as Record<
      string,
      unknown
    >;
    expect((stored.metadata as { resourceVersion: string }).resourceVersion).toBe(resourceVersion);
    expect(stored.status).toMatchObject({
      phase: 'Paused',
      message: 'CanaryPauseStep',
      currentStepIndex: 1,
      currentPodHash: canarySpec.revision,
      stableRS: 'old',
      observedGeneration: '1',
      controllerPause: true,
      pauseConditions: [{ reason: 'CanaryPauseStep', startTime: '2026-12-06T20:00:00Z' }],
    });
    const annotation = JSON.parse(
      (stored.metadata as { annotations: Record<string, string> }).annotations[gradualStatusAnnotation]!,
    );
    expect(annotation.status).toEqual(status);

    const again = await store.read(ref, { signal });
    expect(again.status).toEqual(status);
    expect(again.resourceVersion).toBe(resourceVersion);
    expect(store.fromObject(stored)).toEqual(again);
    expect(commandsFromRollout(again)).toEqual([]);

    // The same status again: no request at all.
    const requests = server.requests.length;
    expect(await store.write(ref, { read: again, status, spec: canarySpec }, { signal })).toBe(resourceVersion);
    expect(server.requests.length).toBe(requests);
  });

  it('refuses a stale write: the second of two stores gets STATUS_CONFLICT and the first one’s status stays', async () => {
    const other = createRolloutStatusStore({ kubeConfig, clock });
    const [readA, readB] = await Promise.all([store.read(ref, { signal }), other.read(ref, { signal })]);
    const statusA = statusOf(canarySpec, { currentStepIndex: 1, message: 'written by A' });
    const statusB = statusOf(canarySpec, { currentStepIndex: 2, message: 'written by B' });
    await store.write(ref, { read: readA, status: statusA, spec: canarySpec }, { signal });
    const refused = await other.write(ref, { read: readB, status: statusB, spec: canarySpec }, { signal }).catch((e) => e);
    expect(refused).toMatchObject({ name: 'RolloutStatusConflictError', code: 'STATUS_CONFLICT', retryable: true });
    expect(refused.message).toContain("rollout 'web' in namespace 'shop'");
    const now = await store.read(ref, { signal });
    expect(now.status).toEqual(statusA);
    expect(now.argoStatus).toMatchObject({ currentStepIndex: 1, message: 'written by A' });
  });

  it('a cancelled call rejects as a cancellation and sends nothing', async () => {
    const read = await store.read(ref, { signal });
    const cancelled = new AbortController();
    cancelled.abort(new Error('shutting down'));
    const requests = server.requests.length;
    await expect(store.read(ref, { signal: cancelled.signal })).rejects.toMatchObject({ code: 'CANCELLED' });
    const write = store.write(ref, { read, status: statusOf(canarySpec), spec: canarySpec }, { signal: cancelled.signal });
    await expect(write).rejects.toMatchObject({ code: 'CANCELLED' });
    expect(server.requests.length).toBe(requests);
  });

  it('refuses a status too large for annotations before sending it, naming the rollout and measurementRetention', async () => {
    const read = await store.read(ref, { signal });
    const big = 'x'.repeat(300 * 1024);
    const status = statusOf(canarySpec, {
      analysisRuns: [{ kind: 'background', state: { name: 'web-bg', phase: 'Running', data: { measurements: big } } }],
    });
    const writes = server.acceptedWrites();
    const refused = await store.write(ref, { read, status, spec: canarySpec }, { signal }).catch((e) => e);
    expect(refused).toMatchObject({ name: 'RolloutStatusTooLargeError', code: 'STATUS_TOO_LARGE', retryable: false });
    expect(refused.message).toMatch(/rollout 'web' in namespace 'shop'.*measurementRetention/);
    expect(server.acceptedWrites()).toBe(writes);
  });
});

describe("the kubectl plugin's commands, each exactly once", () => {
  it('promote, abort, retry, pause, promote after pause and promote --full, as the plugin writes them', async () => {
    // setWeight 20, then the indefinite pause.
    expect((await pass()).status).toMatchObject({ phase: 'Paused', currentStepIndex: 1 });
    expect((await pass()).commands).toEqual([]);

    const sequence: [Parameters<typeof plugin>[0], RolloutCommand[], Partial<RolloutStatus>][] = [
      // promote clears the step's pause: setWeight 50, then the timed pause (60 s).
      ['promote', [{ type: 'promote' }], { phase: 'Paused', currentStepIndex: 3 }],
      ['abort', [{ type: 'abort' }], { phase: 'Degraded', abort: true }],
      ['retry', [{ type: 'retry' }], { abort: false, currentStepIndex: 1 }],
      ['pause', [{ type: 'pause' }], { pausedByCommand: true, phase: 'Paused' }],
      // The plugin unpauses spec and, the rollout being at a pause step, clears its pause condition: two effects.
      ['promote', [{ type: 'promote' }, { type: 'promote' }], { phase: 'Paused', currentStepIndex: 3 }],
      ['promote --full', [{ type: 'promote', full: true }], { phase: 'Healthy', stableRevision: canarySpec.revision }],
    ];
    for (const [verb, commands, outcome] of sequence) {
      await plugin(verb);
      const taken = await pass();
      expect(taken.commands, verb).toEqual(commands);
      expect(taken.status, verb).toMatchObject(outcome);
      // Acknowledged by that write: the next pass sees nothing.
      expect((await pass()).commands, `${verb}, next pass`).toEqual([]);
    }
    const recorded = (await store.read(ref, { signal })).status?.commands?.map(
      (c) => `${c.type}${'full' in c && c.full ? ' full' : ''}`,
    );
    expect(recorded).toEqual(['promote', 'abort', 'retry', 'pause', 'promote', 'promote', 'promote full']);
    // The plugin's writes went where its source sends them: merge patches, status fields on /status.
    const merges = server.requests.filter((r) => r.verb === 'patch' && r.contentType?.startsWith('application/merge-patch+json'));
    expect(merges.filter((r) => r.subresource === 'status').length).toBe(5);
    expect(merges.filter((r) => r.subresource !== 'status').length).toBeGreaterThanOrEqual(2);
  });
});

describe('a crash between the annotation write and the projection write is no command', () => {
  it('projection dropped: gradual paused (the old projection has no pause condition), which is not a promote', async () => {
    server.inject({ fault: { kind: 'drop' }, plural: 'rollouts', subresource: 'status', name: 'web' });
    await expect(pass()).rejects.toMatchObject({ code: 'KUBERNETES_UNREACHABLE' });
    const read = await store.read(ref, { signal });
    expect(read.status).toMatchObject({ phase: 'Paused', currentStepIndex: 1 });
    expect(read.argoStatus?.pauseConditions ?? null).toBeNull();
    expect(commandsFromRollout(read)).toEqual([]);
    // The next pass writes the projection; still nothing taken for a command.
    expect((await pass()).commands).toEqual([]);
    expect(server.get('rollouts', 'shop', 'web')?.status).toMatchObject({ phase: 'Paused', currentStepIndex: 1 });
    expect((await pass()).commands).toEqual([]);
  });

  it('projection committed but its reply lost, or the annotation reply lost: no command, and the next one counts once', async () => {
    await pass();
    await plugin('promote');
    server.inject({ fault: { kind: 'lose-reply' }, plural: 'rollouts', subresource: 'status', verbs: ['update'], name: 'web' });
    await expect(pass()).rejects.toMatchObject({ code: 'KUBERNETES_UNREACHABLE' });
    expect((await pass()).commands).toEqual([]);

    await plugin('abort');
    server.inject({ fault: { kind: 'lose-reply' }, plural: 'rollouts', subresource: '', verbs: ['patch'], name: 'web' });
    await expect(pass()).rejects.toMatchObject({ code: 'KUBERNETES_UNREACHABLE' });
    // The annotation (with the abort taken) is stored; the projection is not: the abort is not taken again.
    const read = await store.read(ref, { signal });
    expect(read.status?.commands?.filter((c) => c.type === 'abort')).toHaveLength(1);
    expect(commandsFromRollout(read)).toEqual([]);
    // A retry after that crash, before any other write, is seen once.
    await plugin('retry');
    expect((await pass()).commands).toEqual([{ type: 'retry' }]);
    expect((await pass()).commands).toEqual([]);
  });

  it('the plugin writing between the two writes: the projection is refused (409), the abort is taken once next pass', async () => {
    await pass();
    await plugin('promote');
    server.inject({
      fault: {
        kind: 'conflict',
        edit: (object) => {
          (object.status as Record<string, unknown>).abort = true;
        },
      },
      plural: 'rollouts',
      subresource: 'status',
      name: 'web',
    });
    await expect(pass()).rejects.toMatchObject({ code: 'STATUS_CONFLICT' });
    const taken = await pass();
    expect(taken.commands).toEqual([{ type: 'abort' }]);
    expect(taken.status).toMatchObject({ abort: true, phase: 'Degraded' });
    expect((await pass()).commands).toEqual([]);
    // The promote taken by the pass whose projection was refused is not taken again.
    expect(taken.status.commands?.map((c) => c.type)).toEqual(['promote', 'abort']);
  });
});
