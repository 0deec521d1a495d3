// Benchmark of the canary judge (`pnpm bench judge`, also part of `pnpm bench analysis`). Runs standalone:
//   node --expose-gc --import tsx packages/analysis/bench/judge.bench.ts
// One judgement of a 3-metric canary config on 2 scopes × 1,000 points per metric, against a plain
// JS double loop computing the same Mann-Whitney U statistic for the 3 metrics (the textbook way,
// O(n·m)), in one process on the same input. Exits 1 when a goal is missed.

import { reportRows } from '../../../scripts/bench-report.js';
import { type CanaryConfig, judgeCanary } from '../src/index.js';
import { prepareSamples } from '../src/judge/mann-whitney.js';
import { rankStatistic } from '../src/judge/rank-statistic.js';

const POINTS = 1_000;
const ROUNDS = 15;
/** Goals: a whole judgement is faster than the plain U loops alone, and stays under 10 ms. */
const RATIO_GOAL = 1;
const ABSOLUTE_GOAL_MS = 10;

/** Reproducible pseudo-random numbers (an LCG): no hidden randomness in a benchmark either. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}
const noise = random(42);
// Latency in ms rounded to 0.1 (ties, as real exporters give), error rate mostly 0, CPU continuous.
const latency = (shift: number) => Array.from({ length: POINTS }, () => Math.round((120 + shift + 30 * noise() ** 3) * 10) / 10);
const errors = (rate: number) => Array.from({ length: POINTS }, () => (noise() < rate ? Math.round(noise() * 5) / 100 : 0));
const cpu = (level: number) => Array.from({ length: POINTS }, () => level + 5 * noise());

const config: CanaryConfig = {
  name: 'bench',
  judge: { name: 'NetflixACAJudge-v1.0' },
  metrics: [
    {
      name: 'latency',
      query: { type: 'prometheus', metricName: 'latency' },
      groups: ['latency'],
      analysisConfigurations: { canary: { direction: 'increase', outliers: { strategy: 'remove', outlierFactor: 3 } } },
    },
    {
      name: 'errors',
      query: { type: 'prometheus', metricName: 'errors' },
      groups: ['errors'],
      analysisConfigurations: { canary: { direction: 'increase', critical: true, nanStrategy: 'replace' } },
    },
    {
      name: 'cpu',
      query: { type: 'prometheus', metricName: 'cpu' },
      groups: ['system'],
      analysisConfigurations: { canary: { effectSize: { measure: 'cles' } } },
    },
  ],
  classifier: { groupWeights: { latency: 50, errors: 30, system: 20 }, scoreThresholds: { pass: 75, marginal: 50 } },
};
const control = { latency: latency(0), errors: errors(0.05), cpu: cpu(40) };
const experiment = { latency: latency(2), errors: errors(0.06), cpu: cpu(40) };
const names = ['latency', 'errors', 'cpu'] as const;

/** The U statistic of experiment over control, counting a tie as one half: the plain double loop. */
function plainU(x: readonly number[], y: readonly number[]): number {
  let u = 0;
  for (let i = 0; i < x.length; i++) {
    const value = x[i] as number;
    for (let j = 0; j < y.length; j++) {
      const other = y[j] as number;
      if (value > other) u += 1;
      else if (value === other) u += 0.5;
    }
  }
  return u;
}

// Sanity: the judge's ranking gives the loop's U on every metric, and the judgement is stable.
for (const name of names) {
  const samples = prepareSamples(experiment[name], control[name]);
  const u = rankStatistic(samples.x, samples.y, 0).rankSumX - (POINTS * (POINTS + 1)) / 2;
  if (u !== plainU(experiment[name], control[name])) throw new Error(`U differs on ${name}`);
}
const reference = JSON.stringify(judgeCanary({ config, control, experiment }));

let sink = 0;
const loops = {
  judge: (n: number) => {
    for (let i = 0; i < n; i++) sink += judgeCanary({ config, control, experiment }).score;
  },
  plain: (n: number) => {
    for (let i = 0; i < n; i++) for (const name of names) sink += plainU(experiment[name], control[name]);
  },
};

/**
 * Median nanoseconds per call of each loop over ROUNDS rounds of `iterations` calls, after a
 * warm-up round; the loops alternate within every round, so the load of the neighbours on this
 * shared machine falls on both alike.
 */
function measure(candidates: ((n: number) => void)[], iterations: number): number[] {
  for (const loop of candidates) loop(iterations);
  const samples: number[][] = candidates.map(() => []);
  for (let round = 0; round < ROUNDS; round++) {
    candidates.forEach((loop, index) => {
      (globalThis as { gc?: () => void }).gc?.();
      const start = process.hrtime.bigint();
      loop(iterations);
      samples[index]?.push(Number(process.hrtime.bigint() - start) / iterations);
    });
  }
  return samples.map((list) => {
    list.sort((a, b) => a - b);
    return list[Math.floor(list.length / 2)] as number;
  });
}

const [judgeNs, plainNs] = measure([loops.judge, loops.plain], 20) as [number, number];
if (JSON.stringify(judgeCanary({ config, control, experiment })) !== reference)
  throw new Error('the judgement changed between runs');

const judgement = JSON.parse(reference) as ReturnType<typeof judgeCanary>;
const ratio = judgeNs / plainNs;
const ms = (ns: number) => `${(ns / 1e6).toFixed(2)} ms`;
const met = (ok: boolean) => (ok ? 'yes' : '**no**');
console.log(
  `Canary judge: 3 metrics × 2 scopes × ${POINTS} points (Node ${process.version}, median of ${ROUNDS} rounds); verdict ${judgement.verdict} ${judgement.score} (${judgement.metrics.map((m) => `${m.name} ${m.classification}`).join(', ')})\n`,
);
console.log('| measure | goal | measured | met? |');
console.log('|---|---|---|---|');
console.log(
  `| judgeCanary, per judgement | < ${ABSOLUTE_GOAL_MS} ms | ${ms(judgeNs)} | ${met(judgeNs < ABSOLUTE_GOAL_MS * 1e6)} |`,
);
console.log(`| plain JS loop, U statistic of the 3 metrics | - | ${ms(plainNs)} | - |`);
console.log(`| judgement vs plain U loop | < ${RATIO_GOAL}x (faster) | ${ratio.toFixed(2)}x | ${met(ratio <= RATIO_GOAL)} |`);
if (sink === 42) console.log('');
reportRows('analysis/judge', [
  {
    working: 'judgeCanary, 3 metrics x 2 scopes, per judgement',
    cheapest: `plain JS U loop: ${ms(plainNs)}`,
    goal: `< ${ABSOLUTE_GOAL_MS} ms`,
    measured: ms(judgeNs),
    met: judgeNs < ABSOLUTE_GOAL_MS * 1e6,
  },
  {
    working: 'judgeCanary vs the plain U loop',
    cheapest: `plain JS U loop: ${ms(plainNs)}`,
    goal: `<= ${RATIO_GOAL}x`,
    measured: `${ratio.toFixed(2)}x`,
    met: ratio <= RATIO_GOAL,
  },
]);
