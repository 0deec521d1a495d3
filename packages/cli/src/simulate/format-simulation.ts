import { plot } from 'asciichart';
import pc from 'picocolors';
import { formatDuration } from './format-duration.js';
import type { SimulationResult } from './simulate-rollout.js';
import { weightSeries } from './weight-series.js';

/**
 * The simulation for a terminal: the timeline (virtual time, step, canary
 * weight, analysis, event), a chart of the canary weight over time, and the
 * outcome.
 */
export function formatSimulation(input: {
  result: SimulationResult;
  name: string;
  color?: boolean | undefined;
  width?: number | undefined;
}): string {
  const { result } = input;
  const colors = pc.createColors(input.color ?? false);
  const header = ['TIME', 'STEP', 'CANARY', 'ANALYSIS', 'EVENT'];
  const body = result.rows.map((row) => [
    formatDuration(row.atMs),
    row.step === undefined ? '-' : String(row.step),
    `${row.canaryWeight}%`,
    row.analysis || '-',
    `${row.reason}: ${row.message}`,
  ]);
  const widths = header.map((title, i) => Math.max(title.length, ...body.map((cells) => (i < 4 ? (cells[i] ?? '').length : 0))));
  const line = (cells: string[]) => cells.map((cell, i) => (i < 4 ? cell.padEnd(widths[i] ?? 0) : cell)).join('  ');
  const table = [
    colors.bold(line(header)),
    ...body.map((cells, i) => (result.rows[i]?.type === 'Warning' ? colors.yellow(line(cells)) : line(cells))),
  ];
  const points = Math.max(10, Math.min(input.width ?? 72, 120) - 10);
  const chart = plot(weightSeries({ weights: result.weights, durationMs: result.durationMs, points }), {
    height: 10,
    min: 0,
    max: 100,
    format: (x: number) => `${x.toFixed(0).padStart(3)}% `,
  });
  const outcome =
    result.outcome === 'Promoted'
      ? colors.green(result.outcome)
      : result.outcome === 'Aborted'
        ? colors.red(result.outcome)
        : colors.yellow(result.outcome);
  return [
    `rollout ${input.name}: simulated on a virtual clock`,
    '',
    ...table,
    '',
    `canary weight over ${formatDuration(result.durationMs)} of virtual time`,
    chart,
    '',
    `${outcome} at ${formatDuration(result.durationMs)}: ${result.message}`,
    '',
  ].join('\n');
}
