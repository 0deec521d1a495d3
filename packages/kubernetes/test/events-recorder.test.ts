import type { RolloutEvent } from '@gradual/core';
import { createFakeClock } from '@gradual/core/testing';
import { type KubeApiServer, startKubeApiServer } from '@gradual/kube-api-test-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEventRecorder } from '../src/index.js';
import { uniqueName } from './support/service-selector-fixture.js';

const namespace = 'default';
let server: KubeApiServer;
beforeAll(async () => {
  server = await startKubeApiServer();
});
afterAll(async () => {
  await server.close();
});

const start = Date.UTC(2026, 11, 6, 12, 0, 0);
const minute = 60_000;
const event = (reason: string, message: string, type: 'Normal' | 'Warning' = 'Normal'): RolloutEvent => ({
  reason,
  type,
  message,
  at: '',
});
const setup = () => {
  const clock = createFakeClock({ start });
  const warnings: Record<string, unknown>[] = [];
  const logger = {
    debug: () => {},
    info: () => {},
    warn: (_: string, fields?: Record<string, unknown>) => warnings.push(fields ?? {}),
    error: () => {},
  };
  const recorder = createEventRecorder({ kubeConfig: server.kubeConfig(), clock, logger, instance: 'pod-a' });
  const ref = { name: uniqueName('web'), namespace, uid: 'uid-1' };
  return { clock, recorder, ref, warnings };
};
const stored = (name: string | undefined) => server.get('events', namespace, name ?? '') as Record<string, unknown> | undefined;

describe('createEventRecorder', () => {
  it("writes a core v1 Event on the Rollout with Argo's reason, the component and the clock's time", async () => {
    const { recorder, ref } = setup();
    const result = await recorder.record(ref, event('RolloutStepCompleted', 'Rollout step 1/3 completed (setWeight: 20)'));
    expect(result).toMatchObject({ outcome: 'created', count: 1 });
    expect(stored(result.name)).toMatchObject({
      involvedObject: { apiVersion: 'argoproj.io/v1alpha1', kind: 'Rollout', name: ref.name, namespace, uid: 'uid-1' },
      type: 'Normal',
      reason: 'RolloutStepCompleted',
      message: 'Rollout step 1/3 completed (setWeight: 20)',
      source: { component: 'gradual-controller' },
      reportingComponent: 'gradual-controller',
      reportingInstance: 'pod-a',
      count: 1,
      firstTimestamp: new Date(start).toISOString(),
      lastTimestamp: new Date(start).toISOString(),
    });
  });

  it('maps the engine reasons that Argo spells differently', async () => {
    const { recorder, ref } = setup();
    const result = await recorder.record(ref, event('AnalysisRunCompleted', 'Analysis run r completed Failed', 'Warning'));
    expect(stored(result.name)).toMatchObject({ reason: 'AnalysisRunFailed', type: 'Warning' });
  });

  it('aggregates the same (object, reason, message) within 10 minutes into one Event: count + 1 by PATCH', async () => {
    const { clock, recorder, ref } = setup();
    const first = await recorder.record(ref, event('RolloutPaused', 'Rollout is paused (CanaryPauseStep)'));
    await clock.advance(9 * minute);
    const second = await recorder.record(ref, event('RolloutPaused', 'Rollout is paused (CanaryPauseStep)'));
    expect(second).toMatchObject({ outcome: 'aggregated', name: first.name, count: 2 });
    expect(stored(first.name)).toMatchObject({
      count: 2,
      firstTimestamp: new Date(start).toISOString(),
      lastTimestamp: new Date(start + 9 * minute).toISOString(),
    });
    const writes = server.requests.filter((r) => r.plural === 'events' && r.name === first.name && r.verb === 'patch');
    expect(writes).toHaveLength(1);
    // The window counts from the last occurrence: 9 more minutes still aggregate; 11 after that do not.
    await clock.advance(9 * minute);
    expect((await recorder.record(ref, event('RolloutPaused', 'Rollout is paused (CanaryPauseStep)'))).count).toBe(3);
    await clock.advance(11 * minute);
    const later = await recorder.record(ref, event('RolloutPaused', 'Rollout is paused (CanaryPauseStep)'));
    expect(later.outcome).toBe('created');
    expect(later.name).not.toBe(first.name);
  });

  it('a different message, reason or object is a new Event', async () => {
    const { recorder, ref } = setup();
    const a = await recorder.record(ref, event('RolloutStepCompleted', 'Rollout step 1/3 completed (setWeight: 20)'));
    const b = await recorder.record(ref, event('RolloutStepCompleted', 'Rollout step 2/3 completed (pause)'));
    const c = await recorder.record(
      { ...ref, name: uniqueName('other') },
      event('RolloutStepCompleted', 'Rollout step 1/3 completed (setWeight: 20)'),
    );
    expect(new Set([a.name, b.name, c.name]).size).toBe(3);
    expect([a, b, c].map((r) => r.outcome)).toEqual(['created', 'created', 'created']);
  });

  it('records concurrent duplicates as one Event with their count, not as several', async () => {
    const { recorder, ref } = setup();
    const results = await Promise.all([1, 2, 3].map(() => recorder.record(ref, event('RolloutResumed', 'Rollout is resumed'))));
    expect(results.map((r) => r.outcome)).toEqual(['created', 'aggregated', 'aggregated']);
    expect(stored(results[0]?.name)).toMatchObject({ count: 3 });
  });

  it('creates the Event anew when the one it would aggregate into is gone (TTL)', async () => {
    const { recorder, ref } = setup();
    const first = await recorder.record(ref, event('RolloutResumed', 'Rollout is resumed'));
    server.inject({ fault: { kind: 'status', code: 404, reason: 'NotFound' }, verbs: ['patch'], name: first.name as string });
    const again = await recorder.record(ref, event('RolloutResumed', 'Rollout is resumed'));
    expect(again).toMatchObject({ outcome: 'created', count: 1 });
    expect(again.name).not.toBe(first.name);
  });

  it('takes another name when a second recorder took this one in the same millisecond (409 AlreadyExists)', async () => {
    const { recorder, ref } = setup();
    server.inject({ fault: { kind: 'status', code: 409, reason: 'AlreadyExists' }, verbs: ['create'] });
    const result = await recorder.record(ref, event('RolloutResumed', 'Rollout is resumed'));
    expect(result.outcome).toBe('created');
    expect(stored(result.name)).toMatchObject({ reason: 'RolloutResumed', count: 1 });
  });

  it('never rejects: a failed write is logged and counted, and the next one works', async () => {
    const { recorder, ref, warnings } = setup();
    server.inject({ fault: { kind: 'status', code: 500, message: 'etcd is down' }, verbs: ['create'] });
    const failed = await recorder.record(ref, event('RolloutAborted', 'Rollout aborted update to revision 2', 'Warning'));
    expect(failed.outcome).toBe('failed');
    expect(failed.error?.message).toMatch(/events in namespace 'default'.*HTTP 500/);
    expect(recorder.stats).toMatchObject({ failed: 1, created: 0 });
    expect(warnings).toEqual([expect.objectContaining({ reason: 'RolloutAborted', rollout: `${namespace}/${ref.name}` })]);
    expect((await recorder.record(ref, event('RolloutAborted', 'Rollout aborted update to revision 2', 'Warning'))).outcome).toBe(
      'created',
    );
    expect(recorder.stats).toMatchObject({ failed: 1, created: 1 });
  });

  it('a cancelled call writes nothing and is not a failure', async () => {
    const { recorder, ref } = setup();
    const controller = new AbortController();
    controller.abort(new Error('shutting down'));
    const before = server.acceptedWrites();
    const result = await recorder.record(ref, event('RolloutPaused', 'x'), { signal: controller.signal });
    expect(result.outcome).toBe('cancelled');
    expect(recorder.stats.failed).toBe(0);
    expect(server.acceptedWrites()).toBe(before);
  });
});
