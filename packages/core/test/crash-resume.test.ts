import { createRollout, parseRollout, type TrafficState } from '@gradual/core';
import { createFakeClock, createMemoryRouter, createScriptedAnalysisRunner } from '@gradual/core/testing';
import { describe, expect, it } from 'vitest';
import { seed } from './support.js';

const spec = parseRollout(seed('rollout-analysis.yaml'));

// The background run keeps measuring until the rollout terminates it.
const scriptedAnalysis = () => createScriptedAnalysisRunner({ script: () => ({}) });

async function uninterrupted() {
  const router = createMemoryRouter();
  const analysis = scriptedAnalysis();
  let intents = 0;
  const result = await createRollout({
    spec,
    router,
    analysis,
    clock: createFakeClock({ auto: true }),
    stableRevision: 'stable-rev',
    onProgress: () => intents++,
  }).run();
  return { result, states: router.history as TrafficState[], started: analysis.started.length, intents };
}

describe('crash and resume', async () => {
  const reference = await uninterrupted();

  it('the uninterrupted run promotes through every weight', () => {
    expect(reference.result.outcome).toBe('Promoted');
    expect(reference.states.map((s) => s.canaryWeight)).toEqual([30, 40, 60, 80, 90, 100, 0]);
    expect(reference.started).toBe(1);
    expect(reference.intents).toBeGreaterThan(8);
  });

  it.each(
    Array.from({ length: reference.intents }, (_, k) => k + 1),
  )('stopped after intent %i and resumed from JSON, ends the same', async (k) => {
    const router = createMemoryRouter();
    const analysis = scriptedAnalysis();
    const clock = createFakeClock({ auto: true });
    const controller = new AbortController();
    let seen = 0;
    const first = createRollout({
      spec,
      router,
      analysis,
      clock,
      stableRevision: 'stable-rev',
      signal: controller.signal,
      onProgress: () => {
        seen++;
        if (seen === k) controller.abort(new Error('crash'));
      },
    });
    const outcome = await first.run().then(
      (result) => result.outcome,
      () => 'stopped',
    );
    let result = outcome;
    if (outcome === 'stopped') {
      // A new process: only the persisted JSON survives; the data plane and the analysis system stay.
      const persisted = JSON.parse(JSON.stringify(first.status ?? null));
      const second = createRollout({
        spec,
        router,
        analysis,
        clock,
        ...(persisted ? { status: persisted } : { stableRevision: 'stable-rev' }),
      });
      result = (await second.run()).outcome;
    }
    expect(result).toBe(reference.result.outcome);
    expect(router.history).toEqual(reference.states);
    expect(analysis.started.length).toBe(reference.started);
  });

  it.each(
    Array.from({ length: reference.intents }, (_, k) => k + 1),
  )('crashed during intent %i, before its result was persisted, ends the same', async (k) => {
    const router = createMemoryRouter();
    const analysis = scriptedAnalysis();
    const clock = createFakeClock({ auto: true });
    const controller = new AbortController();
    let seen = 0;
    let persisted: unknown = null;
    const first = createRollout({
      spec,
      router,
      analysis,
      clock,
      stableRevision: 'stable-rev',
      signal: controller.signal,
      onProgress: ({ status }) => {
        seen++;
        // The side effect of intent k happened, but the process died before saving its result.
        if (seen === k) controller.abort(new Error('crash'));
        else persisted = JSON.parse(JSON.stringify(status));
      },
    });
    const outcome = await first.run().then(
      (result) => result.outcome,
      () => 'stopped',
    );
    let result = outcome;
    if (outcome === 'stopped') {
      const second = createRollout({
        spec,
        router,
        analysis,
        clock,
        ...(persisted ? { status: persisted as never } : { stableRevision: 'stable-rev' }),
      });
      result = (await second.run()).outcome;
    }
    expect(result).toBe(reference.result.outcome);
    // The data plane got a state the lost status never heard of: on resume the runner reads the traffic back,
    // puts it back to what the status knows (as Argo re-applies weights from its status), and moves on. So
    // every state written is one the uninterrupted run wrote too, and the run ends in the same place.
    const known = new Set(reference.states.map((state) => JSON.stringify(state)));
    for (const state of router.history) expect(known.has(JSON.stringify(state))).toBe(true);
    expect(router.history.at(-1)).toEqual(reference.states.at(-1));
    // A run whose start was lost is started again under the same name.
    expect(new Set(analysis.started.map((r) => r.name)).size).toBe(reference.started);
  });
});

// The same guarantee for the other strategies and steps: blue/green with both analyses, an experiment, a dark canary.
const others = [
  [
    'blue/green with pre- and post-promotion analysis',
    parseRollout({
      metadata: { name: 'bg' },
      template: { spec: { image: 'v2' } },
      strategy: {
        blueGreen: {
          activeService: 'active',
          previewService: 'preview',
          autoPromotionSeconds: 60,
          prePromotionAnalysis: { templates: [{ templateName: 'smoke' }] },
          postPromotionAnalysis: { templates: [{ templateName: 'success-rate' }] },
        },
      },
    }),
  ],
  ['rollout-experiment.yaml', parseRollout(seed('rollout-experiment.yaml'))],
  [
    'dark canary then weights',
    parseRollout({
      template: { spec: { image: 'v2' } },
      strategy: {
        canary: {
          canaryService: 'c',
          stableService: 's',
          trafficRouting: { istio: { virtualService: { name: 'vs' } }, managedRoutes: [{ name: 'dark' }] },
          steps: [
            { setHeaderRoute: { name: 'dark', match: [{ headerName: 'end-user', headerValue: { exact: 'Alexandra' } }] } },
            { pause: { duration: '30s' } },
            { setWeight: 50 },
            { analysis: { templates: [{ templateName: 'success-rate' }] } },
          ],
        },
      },
    }),
  ],
] as const;

describe.each(others)('crash and resume: %s', async (_name, otherSpec) => {
  // Analyses succeed a minute after they start, so a crash can land while one is in flight.
  const analysisFor = () => createScriptedAnalysisRunner({ script: () => ({ phase: 'Successful', afterMs: 60_000 }) });
  const reference = await (async () => {
    const router = createMemoryRouter();
    const analysis = analysisFor();
    let intents = 0;
    const result = await createRollout({
      spec: otherSpec,
      router,
      analysis,
      clock: createFakeClock({ auto: true }),
      stableRevision: 'stable-rev',
      onProgress: () => intents++,
    }).run();
    return { result, states: [...router.history], started: analysis.started.length, intents };
  })();

  it.each(Array.from({ length: reference.intents }, (_, k) => k + 1))('stopped after intent %i', async (k) => {
    expect(reference.result.outcome).toBe('Promoted');
    const router = createMemoryRouter();
    const analysis = analysisFor();
    const clock = createFakeClock({ auto: true });
    const controller = new AbortController();
    let seen = 0;
    const first = createRollout({
      spec: otherSpec,
      router,
      analysis,
      clock,
      stableRevision: 'stable-rev',
      signal: controller.signal,
      onProgress: () => {
        if (++seen === k) controller.abort(new Error('crash'));
      },
    });
    let outcome = await first.run().then(
      (result) => result.outcome as string,
      () => 'stopped',
    );
    if (outcome === 'stopped') {
      const persisted = JSON.parse(JSON.stringify(first.status));
      outcome = (await createRollout({ spec: otherSpec, router, analysis, clock, status: persisted }).run()).outcome;
    }
    expect(outcome).toBe(reference.result.outcome);
    expect(router.history).toEqual(reference.states);
    expect(analysis.started.length).toBe(reference.started);
  });
});
