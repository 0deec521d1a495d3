// Benchmarks of the core engine (issue 2 goals), each against a baseline measured in the same run:
//   (a) simulating the seed's rollout-analysis.yaml end to end on the auto fake clock: virtual time / wall time (goal >= 10,000x);
//   (b) one steady-state reconcile against JSON.stringify of its status (goal <= 5x);
//   (c) 10,000 rollouts held in one process: heap per rollout (goal <= 10 KB).
// Virtual time is the clock's advance from 0 (it used to be read from the epoch, which inflated (a) by 10^8).
// The working paths (real analysis runner, a measurement due, mid-rollout heap) are in integration/bench/fleet.bench.ts.
// Run: pnpm bench core   (node --expose-gc --import tsx packages/core/bench/engine.bench.ts)
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createRollout, parseRollout, type RolloutHandle, reconcile } from '@gradual/core';
import { createFakeClock, createMemoryRouter, createScriptedAnalysisRunner } from '@gradual/core/testing';
import { parse as parseYaml } from 'yaml';
import { reportRows } from '../../../scripts/bench-report.js';

const seedText = readFileSync(
  fileURLToPath(new URL('../../../examples/manifests/rollout-analysis.yaml', import.meta.url)),
  'utf8',
);
const bgText = `kind: Rollout
metadata: {name: bg}
spec:
  template: {spec: {containers: [{name: app, image: app:2}]}}
  strategy:
    blueGreen: {activeService: active, previewService: preview, autoPromotionSeconds: 300, prePromotionAnalysis: {templates: [{templateName: smoke}]}}
`;
const rows: [string, string, string, string][] = [];
const gc = (globalThis as { gc?: () => void }).gc;

async function simulate(text: string) {
  const spec = parseRollout(text);
  const clock = createFakeClock({ auto: true, start: 0 });
  // Background analysis that measures until terminated (polled every 10 s, like the seed's interval).
  const analysis = createScriptedAnalysisRunner({
    script: (request) => (request.kind === 'prePromotion' ? { phase: 'Successful', afterMs: 60_000 } : {}),
  });
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
  return { virtual: clock.now(), wall };
}

// (a)
for (const [name, text] of [
  ['rollout-analysis.yaml (canary, background analysis)', seedText],
  ['blue/green with pre-promotion analysis and a 5 min auto-promotion', bgText],
] as const) {
  await simulate(text); // warm-up
  const runs = [];
  for (let i = 0; i < 20; i++) runs.push(await simulate(text));
  const wall = runs.map((r) => r.wall).sort((a, b) => a - b)[10] as number;
  const ratio = (runs[0]?.virtual as number) / wall;
  rows.push([
    `(a) simulate ${name}: virtual/wall`,
    '>= 10,000x',
    `${Math.round(ratio).toLocaleString('en')}x (${((runs[0]?.virtual as number) / 1000).toFixed(0)} s virtual in ${wall.toFixed(2)} ms, median of 20)`,
    ratio >= 10_000 ? 'yes' : 'NO',
  ]);
}

// (b)
{
  const spec = parseRollout(seedText);
  const clock = createFakeClock();
  const router = createMemoryRouter({ record: false });
  const analysis = createScriptedAnalysisRunner({ script: () => ({}) });
  // Mid-rollout: step 1 (pause 20s) with the background run in flight; nothing is due at this instant.
  const first = await reconcile({ spec, router, analysis, clock, stableRevision: 'stable' });
  const status = JSON.parse(JSON.stringify(first.status));
  // The machine is shared: alternate short rounds of each and compare the medians, so load hits both alike.
  const round = async (fn: () => unknown, n: number) => {
    const started = performance.now();
    for (let i = 0; i < n; i++) await fn();
    return ((performance.now() - started) / n) * 1000;
  };
  const baselines: number[] = [];
  const steadies: number[] = [];
  for (let r = 0; r < 3; r++) {
    await round(() => JSON.stringify(status), 2000);
    await round(() => reconcile({ spec, router, analysis, clock, status }), 2000);
  }
  for (let r = 0; r < 41; r++) {
    baselines.push(await round(() => JSON.stringify(status), 1000));
    steadies.push(await round(() => reconcile({ spec, router, analysis, clock, status }), 1000));
  }
  const median = (values: number[]) => values.sort((a, b) => a - b)[values.length >> 1] as number;
  const baseline = median(baselines);
  const steady = median(steadies);
  const check = await reconcile({ spec, router, analysis, clock, status });
  if (check.events.length !== 0) throw new Error('steady-state reconcile was not steady');
  rows.push([
    '(b) steady-state reconcile vs JSON.stringify(status)',
    '<= 5x',
    `${(steady / baseline).toFixed(2)}x (${steady.toFixed(2)} µs vs ${baseline.toFixed(2)} µs; status ${JSON.stringify(status).length} bytes)`,
    steady / baseline <= 5 ? 'yes' : 'NO',
  ]);
}

// (c)
{
  const manifest = parseYaml(seedText);
  const count = 10_000;
  const clock = createFakeClock();
  const router = createMemoryRouter({ record: false });
  const analysis = createScriptedAnalysisRunner({ script: () => ({}) });
  // Each rollout: its own parsed spec, a handle, and the status of its first reconcile (as a controller holds them).
  const make = async (i: number) => {
    const spec = parseRollout({ ...manifest, metadata: { name: `rollout-${i}` } });
    const { status } = await reconcile({ spec, router, analysis, clock, stableRevision: 'stable' });
    return createRollout({ spec, router, analysis, clock, status });
  };
  await make(-1);
  gc?.();
  const before = process.memoryUsage().heapUsed;
  const held: RolloutHandle[] = [];
  for (let i = 0; i < count; i++) held.push(await make(i));
  gc?.();
  const perRollout = (process.memoryUsage().heapUsed - before) / count;
  rows.push([
    `(c) heap per rollout, ${count.toLocaleString('en')} held`,
    '<= 10 KB',
    `${(perRollout / 1024).toFixed(2)} KB${gc ? '' : ' (no --expose-gc: approximate)'}`,
    perRollout <= 10 * 1024 ? 'yes' : 'NO',
  ]);
  if (held.length !== count) throw new Error('lost rollouts');
}

reportRows(
  'core/engine',
  rows.map(([working, goal, measured, met]) => ({
    working,
    cheapest: 'this row is the cheap path; the working path is in the fleet bench',
    goal,
    measured,
    met: met === 'yes',
  })),
);
