import { readFileSync } from 'node:fs';
import type { AnalysisRunner, AnalysisRunRequest, AnalysisRunState, Clock } from '@gradual/core';
import { ValidationError } from '@gradual/core';
import { createFakeClock, createScriptedProvider, type FakeClock } from '@gradual/core/testing';
import { describe, expect, it } from 'vitest';
import { createAnalysisRunner, resultOf } from '../src/index.js';

const seed = readFileSync(new URL('./fixtures/analysistemplate-success-rate.yaml', import.meta.url), 'utf8');
const T0 = Date.parse('2026-01-01T00:00:00.000Z');
const done = (phase: string) => ['Successful', 'Failed', 'Inconclusive', 'Error'].includes(phase);

const request: AnalysisRunRequest = {
  name: 'rollouts-demo-6d4f8b-2-1',
  kind: 'step',
  templates: [{ templateName: 'success-rate' }],
  args: [{ name: 'service-name', value: 'checkout' }],
};

// Values by virtual time, so a fresh provider after a "restart" answers as the old one would.
const providerFor = (clock: Clock) =>
  createScriptedProvider({ type: 'prometheus', script: () => ({ value: [clock.now() - T0 < 25_000 ? 0.99 : 0.5] }) });

async function step(runner: AnalysisRunner, state: AnalysisRunState, clock: FakeClock): Promise<AnalysisRunState> {
  const wait = (state.nextReconcileAt ?? clock.now()) - clock.now();
  if (wait > 0) await clock.advance(wait);
  return runner.reconcile(state, { signal: new AbortController().signal, clock });
}

async function finish(runner: AnalysisRunner, start: AnalysisRunState, clock: FakeClock): Promise<AnalysisRunState> {
  let state = start;
  for (let i = 0; i < 100 && !done(state.phase); i++) state = await step(runner, state, clock);
  return state;
}

describe('createAnalysisRunner', () => {
  it('runs the seed template through start and reconcile', async () => {
    const clock = createFakeClock({ start: T0 });
    const runner = createAnalysisRunner({ templates: [seed], providers: [providerFor(clock)] });
    const started = await runner.start(request, { signal: new AbortController().signal, clock });
    expect(started).toMatchObject({ name: request.name, phase: 'Running', nextReconcileAt: T0 });
    const end = await finish(runner, started, clock);
    expect(end.phase).toBe('Failed');
    expect(end.nextReconcileAt).toBeUndefined();
    // 0.99 at 0, 10, 20 s; 0.5 at 30, 40, 50 s: the third failure ends it.
    const measurements = resultOf(end).metricResults[0]?.measurements ?? [];
    expect(measurements.map((m) => [Date.parse(m.startedAt) - T0, m.phase])).toEqual([
      [0, 'Successful'],
      [10_000, 'Successful'],
      [20_000, 'Successful'],
      [30_000, 'Failed'],
      [40_000, 'Failed'],
      [50_000, 'Failed'],
    ]);
  });

  it('resumes from JSON mid-run, in a new runner, with the same measurements and outcome', async () => {
    const straightClock = createFakeClock({ start: T0 });
    const straight = createAnalysisRunner({ templates: [seed], providers: [providerFor(straightClock)] });
    const expected = await finish(
      straight,
      await straight.start(request, { signal: new AbortController().signal, clock: straightClock }),
      straightClock,
    );

    const clock = createFakeClock({ start: T0 });
    const first = createAnalysisRunner({ templates: [seed], providers: [providerFor(clock)] });
    let state = await first.start(request, { signal: new AbortController().signal, clock });
    for (let i = 0; i < 4; i++) state = await step(first, state, clock);
    expect(state.phase).toBe('Running');
    const persisted = JSON.parse(JSON.stringify(state)) as AnalysisRunState;
    const second = createAnalysisRunner({ templates: [seed], providers: [providerFor(clock)] });
    const end = await finish(second, persisted, clock);
    expect(end).toEqual(expected);
  });

  it('keeps provider blocks (and the credentials in them) out of the persisted state', async () => {
    const clock = createFakeClock({ start: T0 });
    const runner = createAnalysisRunner({ templates: [seed], providers: [providerFor(clock)] });
    const state = await step(runner, await runner.start(request, { signal: new AbortController().signal, clock }), clock);
    expect(JSON.stringify(state)).not.toContain('internal:secret');
    expect(JSON.stringify(state)).not.toContain('istio_requests_total');
  });

  it('refuses to continue a run whose templates changed since it started', async () => {
    const clock = createFakeClock({ start: T0 });
    const runner = createAnalysisRunner({ templates: [seed], providers: [providerFor(clock)] });
    const state = await step(runner, await runner.start(request, { signal: new AbortController().signal, clock }), clock);
    const changed = createAnalysisRunner({
      templates: [seed.replace('failureLimit: 2', 'failureLimit: 2\n      count: 50')],
      providers: [providerFor(clock)],
    });
    const next = await step(changed, state, clock);
    expect(next.phase).toBe('Error');
    expect(next.message).toBe(
      'cannot continue analysis run: the analysis templates changed since the run started; start a new run',
    );
  });

  it('terminate ends an open-ended run Successful', async () => {
    const clock = createFakeClock({ start: T0 });
    const runner = createAnalysisRunner({ templates: [seed], providers: [providerFor(clock)] });
    const state = await step(runner, await runner.start(request, { signal: new AbortController().signal, clock }), clock);
    const ended = await runner.terminate(state, { signal: new AbortController().signal, clock });
    expect(ended).toMatchObject({ phase: 'Successful', message: 'Run Terminated' });
    expect(await runner.reconcile(ended, { signal: new AbortController().signal, clock })).toEqual(ended);
  });

  it('setup problems are a run in phase Error; validate throws a ValidationError', async () => {
    const clock = createFakeClock({ start: T0 });
    const runner = createAnalysisRunner({ templates: [seed], providers: [providerFor(clock)] });
    const options = { signal: new AbortController().signal, clock };
    expect(await runner.start({ ...request, templates: [{ templateName: 'nope' }] }, options)).toEqual({
      name: request.name,
      phase: 'Error',
      message: 'AnalysisTemplate "nope" not found',
    });
    expect(await runner.start({ ...request, args: [] }, options)).toMatchObject({
      phase: 'Error',
      message: 'args.service-name was not resolved',
    });
    await expect(runner.validate?.({ ...request, args: [] }, options)).rejects.toThrow(ValidationError);
    await expect(runner.validate?.(request, options)).resolves.toBeUndefined();
  });

  it('a ClusterAnalysisTemplate is found only with clusterScope', async () => {
    const clock = createFakeClock({ start: T0 });
    const cluster = seed.replace('kind: AnalysisTemplate', 'kind: ClusterAnalysisTemplate');
    const runner = createAnalysisRunner({ templates: [cluster], providers: [providerFor(clock)] });
    const options = { signal: new AbortController().signal, clock };
    expect((await runner.start(request, options)).phase).toBe('Error');
    expect(
      (await runner.start({ ...request, templates: [{ templateName: 'success-rate', clusterScope: true }] }, options)).phase,
    ).toBe('Running');
  });

  it('refuses an aborted signal', async () => {
    const clock = createFakeClock({ start: T0 });
    const runner = createAnalysisRunner({ templates: [seed], providers: [providerFor(clock)] });
    const controller = new AbortController();
    controller.abort();
    await expect(runner.start(request, { signal: controller.signal, clock })).rejects.toThrow(/cancelled/);
  });
});
