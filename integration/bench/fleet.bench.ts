// Fleet-scale benchmarks (issue 13): the paths a controller or a script runs, each beside the cheapest
// path and a baseline measured in the same run. Every goal is checked; a miss exits non-zero.
//   (a) simulate the seed rollout with the real analysis runner: virtual/wall >= 50,000x (scripted runner beside it);
//   (b) a reconcile with a measurement due and a step advance <= 3x JSON.stringify of its status (nothing-due beside it);
//   (c) the manifest (YAML text, frozen object) instead of the parsed spec <= 1.5x;
//   (d) timeout guards released when the measurement ends (no timer left per measurement);
//   (e) cost per reconcile with measurementRetention 2,000 <= 2x the cost with 100 (a run is linear in the limit);
//   (f) 10,000 rollouts held mid-rollout (spec + status with measurements): heap <= 6 KB per rollout;
//   (g) those 10,000 all due at once, reconciled concurrently: no event-loop stall > 50 ms (monitorEventLoopDelay).
// Run alone: pnpm bench fleet   (node --expose-gc --import tsx integration/bench/fleet.bench.ts)
import { readFileSync } from 'node:fs';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { createAnalysisRunner } from '@gradual/analysis';
import { type Clock, createRollout, parseRollout, type RolloutSpec, type RolloutStatus, reconcile } from '@gradual/core';
import { readYaml } from '@gradual/core/adapter';
import { createFakeClock, createMemoryRouter, createScriptedAnalysisRunner, createScriptedProvider } from '@gradual/core/testing';
import { alternate, type BenchRow, median, reportRows } from '../../scripts/bench-report.js';

const seed = (name: string) => readFileSync(fileURLToPath(new URL(`../../examples/manifests/${name}`, import.meta.url)), 'utf8');
const rolloutText = seed('rollout-analysis.yaml');
const templateText = seed('analysistemplate-success-rate.yaml');
const rows: BenchRow[] = [];
const gc = (globalThis as { gc?: () => void }).gc ?? (() => {});
const T0 = Date.UTC(2026, 0, 1);
const parseYaml = (text: string) => readYaml(text, 'Rollout', ['Rollout']);

const provider = createScriptedProvider({ type: 'prometheus', script: () => ({ value: [0.99] }), record: false });
const realRunner = () => createAnalysisRunner({ templates: [templateText], providers: [provider] });
const scriptedRunner = () => createScriptedAnalysisRunner({ script: () => ({}) });
/** A clock standing at a moment the bench chooses. */
const clockAt = (at: { now: number }): Clock => ({ now: () => at.now, sleep: async () => {} });
const deepFreeze = <T>(value: T): T => {
  if (value && typeof value === 'object') {
    for (const item of Object.values(value)) deepFreeze(item);
    Object.freeze(value);
  }
  return value;
};
const µs = (value: number) => `${value.toFixed(2)} µs`;

// (a) The seed end to end on the auto fake clock; virtual time is the clock's advance, not its epoch.
{
  const simulate = async (analysis: ReturnType<typeof realRunner> | ReturnType<typeof scriptedRunner>) => {
    const spec = parseRollout(rolloutText);
    const clock = createFakeClock({ auto: true, start: T0 });
    const started = performance.now();
    const result = await createRollout({
      spec,
      router: createMemoryRouter({ record: false }),
      analysis,
      clock,
      stableRevision: 'stable',
    }).run();
    const wall = performance.now() - started;
    if (result.outcome !== 'Promoted') throw new Error(`simulation ended ${result.outcome}`);
    return { virtual: clock.now() - T0, wall };
  };
  // Steady state, as a process that simulates many scenarios runs: 400 warm-up rounds let V8 optimise the
  // engine and the runner (24 rounds timed the tiering-up itself, 20,000x at best). The first simulation
  // of the process (cold, what one `gradual simulate` pays) is shown beside it and has no goal.
  const first = await simulate(realRunner());
  const ratios = { real: [] as number[], scripted: [] as number[] };
  let virtual = 0;
  for (let round = -400; round < 51; round++) {
    const real = await simulate(realRunner());
    const scripted = await simulate(scriptedRunner());
    virtual = real.virtual;
    if (round < 0) continue;
    ratios.real.push(real.virtual / real.wall);
    ratios.scripted.push(scripted.virtual / scripted.wall);
  }
  const real = median(ratios.real);
  const scripted = median(ratios.scripted);
  const times = (ratio: number) => `${Math.round(ratio).toLocaleString('en')}x`;
  rows.push({
    working: `(a) simulate the seed (${virtual / 1000} s virtual) with the real analysis runner: virtual/wall, warm`,
    cheapest: `scripted runner: ${times(scripted)}`,
    goal: '>= 50,000x',
    measured: `${times(real)} (median of 51 after 400 warm-up rounds; first of the process, cold: ${times(first.virtual / first.wall)})`,
    met: real >= 50_000,
  });
}

// (b) and (c): one seed rollout at step 1 (pause 20s) with its background run; 20 s later the pause has ended
// (step advance: setWeight 40) and a measurement is due (interval 10s). Each call starts from the same status.
{
  const spec = parseRollout(rolloutText);
  const manifest = deepFreeze(parseYaml(rolloutText) as object);
  const router = createMemoryRouter({ record: false });
  const analysis = realRunner();
  const at = { now: T0 };
  const clock = clockAt(at);
  const first = await reconcile({ spec, router, analysis, clock, stableRevision: 'stable' });
  const status = JSON.parse(JSON.stringify(first.status)) as RolloutStatus;
  at.now = T0 + 20_000;
  const check = await reconcile({ spec, router, analysis, clock, status });
  if (check.status.currentStepIndex !== 3 || check.status.analysisRuns[0]?.state.data === undefined)
    throw new Error(`the working reconcile did not advance (step ${check.status.currentStepIndex})`);
  const measurements = JSON.stringify(check.status).match(/"phase":"Successful"/g)?.length ?? 0;
  if (measurements < 2) throw new Error('the working reconcile took no measurement');
  at.now = T0 + 1_000;
  if ((await reconcile({ spec, router, analysis, clock, status })).events.length !== 0)
    throw new Error('the nothing-due reconcile was not steady');

  const stringify = () => JSON.stringify(status);
  const nothingDue = () => {
    at.now = T0 + 1_000;
    return reconcile({ spec, router, analysis, clock, status });
  };
  const working = (input: RolloutSpec | string | object) => () => {
    at.now = T0 + 20_000;
    return reconcile({ spec: input, router, analysis, clock, status });
  };
  const [base, steady, work] = await alternate([stringify, nothingDue, working(spec)], { rounds: 21, calls: 300, warmup: 20 });
  rows.push({
    working: '(b) reconcile with a measurement due and a step advance, vs JSON.stringify(status)',
    cheapest: `nothing due: ${((steady as number) / (base as number)).toFixed(2)}x (${µs(steady as number)})`,
    goal: '<= 3x',
    measured: `${((work as number) / (base as number)).toFixed(2)}x (${µs(work as number)} vs ${µs(base as number)}; status ${stringify().length} bytes)`,
    met: (work as number) / (base as number) <= 3,
  });
  const [parsed, text, object] = await alternate([working(spec), working(rolloutText), working(manifest)], {
    rounds: 21,
    calls: 200,
  });
  for (const [name, value] of [
    ['YAML text', text as number],
    ['frozen manifest object', object as number],
  ] as const)
    rows.push({
      working: `(c) working reconcile given the ${name} instead of the parsed spec`,
      cheapest: `parsed spec: ${µs(parsed as number)}`,
      goal: '<= 1.5x',
      measured: `${(value / (parsed as number)).toFixed(2)}x (${µs(value)})`,
      met: value / (parsed as number) <= 1.5,
    });
}

// (d) Each measurement arms a wall-clock guard (60 s by default); once the measurement has ended, nothing of it
// may stay on the heap. Measured as heap left after GC per measurement taken, results dropped.
{
  const spec = parseRollout(rolloutText);
  const router = createMemoryRouter({ record: false });
  const analysis = realRunner();
  const at = { now: T0 };
  const clock = clockAt(at);
  const first = (await reconcile({ spec, router, analysis, clock, stableRevision: 'stable' })).status;
  const text = JSON.stringify(first);
  // A 10 s interval inside the 20 s pause: one measurement per call, no step advance.
  at.now = T0 + 10_000;
  const measureOnce = async () => {
    const { status } = await reconcile({ spec, router, analysis, clock, status: JSON.parse(text) });
    if (status.analysisRuns.length !== 1) throw new Error('no run');
  };
  for (let i = 0; i < 200; i++) await measureOnce();
  gc();
  const before = process.memoryUsage().heapUsed;
  const count = 5_000;
  for (let i = 0; i < count; i++) await measureOnce();
  gc();
  const perMeasurement = (process.memoryUsage().heapUsed - before) / count;
  rows.push({
    working: `(d) heap left per ended measurement (${count.toLocaleString('en')} measurements, results dropped, after GC)`,
    cheapest: 'nothing should stay',
    goal: '<= 100 bytes (guard released at the end)',
    measured: `${perMeasurement.toFixed(0)} bytes`,
    met: perMeasurement <= 100,
  });
}

// (e) A rollout that stays at an indefinite pause with background analysis, measured every 10 s: with the
// history full at the limit M, a reconcile must not cost more for a larger M (else a run costs M²).
{
  const perReconcile = async (limit: number) => {
    const manifest = parseYaml(rolloutText) as { spec: { strategy: { canary: Record<string, unknown> } } };
    const canary = manifest.spec.strategy.canary;
    canary['steps'] = [{ setWeight: 30 }, { pause: {} }];
    (canary['analysis'] as Record<string, unknown>)['measurementRetention'] = [{ metricName: 'success-rate', limit }];
    const spec = parseRollout(manifest);
    const router = createMemoryRouter({ record: false });
    const analysis = realRunner();
    const at = { now: T0 };
    const clock = clockAt(at);
    let status = (await reconcile({ spec, router, analysis, clock, stableRevision: 'stable' })).status;
    let tick = 0;
    const step = async () => {
      tick++;
      at.now = T0 + tick * 10_000;
      status = (await reconcile({ spec, router, analysis, clock, status })).status;
    };
    while (tick < limit) await step();
    const samples: number[] = [];
    for (let round = 0; round < 7; round++) {
      const started = performance.now();
      for (let i = 0; i < 20; i++) await step();
      samples.push(((performance.now() - started) / 20) * 1000);
    }
    return median(samples);
  };
  const small = await perReconcile(100);
  const large = await perReconcile(2_000);
  rows.push({
    working: '(e) reconcile with a measurement due, measurementRetention 2,000 (history full)',
    cheapest: `measurementRetention 100: ${µs(small)}`,
    goal: '<= 2x (linear run)',
    measured: `${(large / small).toFixed(2)}x (${µs(large)})`,
    met: large / small <= 2,
  });
}

// (f) and (g): 10,000 seed rollouts as a controller holds them (spec and persisted status), mid-rollout at
// step 3 with two measurements each; then all fall due at once and are reconciled concurrently.
{
  const count = 10_000;
  const manifest = parseYaml(rolloutText) as Record<string, unknown>;
  const router = createMemoryRouter({ record: false });
  const analysis = realRunner();
  const at = { now: T0 };
  const clock = clockAt(at);
  const make = async (i: number) => {
    const spec = parseRollout({ ...manifest, metadata: { name: `rollout-${i}` } });
    at.now = T0;
    const first = await reconcile({ spec, router, analysis, clock, stableRevision: 'stable' });
    at.now = T0 + 20_000;
    const { status } = await reconcile({ spec, router, analysis, clock, status: first.status });
    return { spec, status: JSON.parse(JSON.stringify(status)) as RolloutStatus };
  };
  await make(-1);
  gc();
  const before = process.memoryUsage().heapUsed;
  const fleet: Awaited<ReturnType<typeof make>>[] = [];
  for (let i = 0; i < count; i++) fleet.push(await make(i));
  gc();
  const perRollout = (process.memoryUsage().heapUsed - before) / count;
  rows.push({
    working: `(f) heap per rollout mid-rollout (step 3, 2 measurements), ${count.toLocaleString('en')} held`,
    cheapest: 'spec + status as a controller holds them',
    goal: '<= 6 KB',
    measured: `${(perRollout / 1024).toFixed(2)} KB`,
    met: perRollout <= 6 * 1024,
  });

  // All due at once: 30 s later the pause at step 3 has ended and a measurement is due for every rollout.
  at.now = T0 + 40_000;
  const delay = monitorEventLoopDelay({ resolution: 10 });
  delay.enable();
  // A second probe: the longest gap between ticks of a 5 ms interval.
  let lastTick = performance.now();
  let longestGap = 0;
  const probe = setInterval(() => {
    const tick = performance.now();
    longestGap = Math.max(longestGap, tick - lastTick - 5);
    lastTick = tick;
  }, 5);
  await new Promise((resolve) => setTimeout(resolve, 20));
  const started = performance.now();
  const results = await Promise.all(fleet.map(({ spec, status }) => reconcile({ spec, router, analysis, clock, status })));
  const wall = performance.now() - started;
  // One more turn of the loop, so a stall at the very end is recorded too.
  await new Promise((resolve) => setTimeout(resolve, 30));
  clearInterval(probe);
  delay.disable();
  const advanced = results.filter((result) => result.status.currentStepIndex > 3).length;
  if (advanced !== count) throw new Error(`only ${advanced} of ${count} rollouts advanced`);
  const maxStall = Math.max(delay.max / 1e6, longestGap);
  rows.push({
    working: `(g) ${count.toLocaleString('en')} rollouts due at once, reconciled concurrently: longest event-loop stall`,
    cheapest: `whole batch: ${wall.toFixed(0)} ms (${((wall / count) * 1000).toFixed(0)} µs per rollout)`,
    goal: '<= 50 ms',
    measured: `${maxStall.toFixed(1)} ms (histogram max ${(delay.max / 1e6).toFixed(1)} ms, interval probe ${longestGap.toFixed(1)} ms)`,
    met: maxStall <= 50,
  });
}

reportRows('fleet', rows);
