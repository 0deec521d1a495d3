// Start-up parse of a fleet (issue 13): a controller that starts with 10,000 Rollouts parses each manifest once.
// Subject: `parseRollout` of 10,000 realistic Rollout YAML texts (the three seed Rollouts with their names and
// images varied). Floor: `yaml`'s own `parse` of the same texts, the least any YAML reader must do; beside it
// JSON.parse of the same documents as JSON text (what a controller reading the API server's JSON pays).
// Rounds alternate so load from other work hits every candidate alike; figures are medians of whole passes.
// Goal: parseRollout <= 1.5x yaml.parse: a Rollout's validation walks a document already in memory, so it should
// cost a fraction of reading the text; more than half again as much means the manifest reader parses twice or
// validates badly. Run alone: pnpm bench startup-parse
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { parseRollout } from '@gradual/core';
import { type BenchRow, median, reportRows } from '../../scripts/bench-report.js';

// `yaml` is @gradual/core's dependency (the same version parseRollout reads with), resolved from there.
const yamlPath = createRequire(fileURLToPath(new URL('../../packages/core/package.json', import.meta.url))).resolve('yaml');
const yaml = (await import(yamlPath)) as { parse: (text: string) => unknown };

const seed = (name: string) => readFileSync(fileURLToPath(new URL(`../../examples/manifests/${name}`, import.meta.url)), 'utf8');
const seeds = ['rollout-analysis.yaml', 'rollout-canary.yaml', 'rollout-experiment.yaml'].map(seed);
const count = Number(process.env.GRADUAL_BENCH_ROLLOUTS ?? 10_000);
// Distinct texts (no cache can help): each Rollout has its own name and image, as a fleet has.
const texts = Array.from({ length: count }, (_, i) =>
  (seeds[i % seeds.length] as string)
    .replace(/^ {2}name: rollouts-demo$/m, `  name: service-${i}`)
    .replace(/image: argoproj\/rollouts-demo:\w+/, `image: registry.example.com/team-${i % 97}/service-${i}:1.${i % 13}.${i}`),
);
if (new Set(texts).size !== count) throw new Error('the texts are not distinct');
const jsonTexts = texts.map((text) => JSON.stringify(yaml.parse(text)));
for (const [i, text] of texts.entries())
  if (parseRollout(text).name !== `service-${i}`) throw new Error(`rollout ${i} parsed with another name`);

const gc = (globalThis as { gc?: () => void }).gc ?? (() => {});
const candidates = {
  parseRollout: () => {
    for (const text of texts) parseRollout(text);
  },
  yaml: () => {
    for (const text of texts) yaml.parse(text);
  },
  json: () => {
    for (const text of jsonTexts) JSON.parse(text);
  },
};
const samples = { parseRollout: [] as number[], yaml: [] as number[], json: [] as number[] };
const rounds = Number(process.env.GRADUAL_BENCH_ROUNDS ?? 3);
for (let round = -1; round < rounds; round++) {
  for (const name of Object.keys(candidates) as (keyof typeof candidates)[]) {
    gc();
    const started = performance.now();
    candidates[name]();
    if (round >= 0) samples[name].push(performance.now() - started);
  }
}
const subject = median(samples.parseRollout);
const floor = median(samples.yaml);
const json = median(samples.json);
const ms = (value: number) => `${value.toFixed(0)} ms`;
const rows: BenchRow[] = [
  {
    working: `start-up: \`parseRollout\` of ${count.toLocaleString('en')} Rollout YAML texts (median of ${rounds})`,
    cheapest: `yaml.parse of the same texts: ${ms(floor)}; JSON.parse of the same documents: ${ms(json)}`,
    goal: '<= 1.5x yaml.parse',
    measured: `${(subject / floor).toFixed(2)}x (${ms(subject)}, ${((subject / count) * 1000).toFixed(0)} µs per rollout; ${(subject / json).toFixed(0)}x JSON.parse)`,
    met: subject / floor <= 1.5,
  },
];
reportRows('startup-parse', rows);
