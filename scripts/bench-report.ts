// The one table of `pnpm bench`: every bench script reports its rows here. Each row names the working
// path (what users run) beside the cheapest one and the goal, so no figure stands without its baseline.
// Run alone, a script prints its own table; under scripts/bench.mjs its rows also go to the file named
// by GRADUAL_BENCH_ROWS, from which the runner prints the combined table. A missed goal sets a non-zero exit.
import { appendFileSync } from 'node:fs';

export interface BenchRow {
  /** What is measured on the path users run. */
  working: string;
  /** The cheapest path or the baseline it is compared with, with its figure. */
  cheapest: string;
  goal: string;
  measured: string;
  /** `undefined` for an informative row that has no goal of its own. */
  met?: boolean | undefined;
}

export function reportRows(bench: string, rows: readonly BenchRow[]): void {
  const met = (row: BenchRow) => (row.met === undefined ? '-' : row.met ? 'yes' : '**NO**');
  console.log('| working path | cheapest path / baseline | goal | measured | met |\n|---|---|---|---|---|');
  for (const row of rows) console.log(`| ${row.working} | ${row.cheapest} | ${row.goal} | ${row.measured} | ${met(row)} |`);
  const file = process.env['GRADUAL_BENCH_ROWS'];
  if (file) for (const row of rows) appendFileSync(file, `${JSON.stringify({ bench, ...row })}\n`);
  if (rows.some((row) => row.met === false)) process.exitCode = 1;
}

/** Median of the values (sorted in place). */
export function median(values: number[]): number {
  values.sort((a, b) => a - b);
  return values[values.length >> 1] as number;
}

/**
 * Median time per call (µs) of each candidate, in alternating rounds: the machine is shared, so load
 * hits every candidate alike. Each round runs `calls` calls of one candidate after the other; `warmup`
 * rounds (2 unless told) run first, untimed.
 */
export async function alternate(
  candidates: readonly (() => unknown)[],
  options: { rounds: number; calls: number; warmup?: number | undefined },
): Promise<number[]> {
  const samples = candidates.map(() => [] as number[]);
  for (let round = -(options.warmup ?? 2); round < options.rounds; round++) {
    for (const [i, candidate] of candidates.entries()) {
      const started = performance.now();
      for (let call = 0; call < options.calls; call++) await candidate();
      if (round >= 0) samples[i]?.push(((performance.now() - started) / options.calls) * 1000);
    }
  }
  return samples.map(median);
}
