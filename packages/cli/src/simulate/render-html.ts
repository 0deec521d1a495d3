import { formatDuration } from './format-duration.js';
import type { SimulationResult } from './simulate-rollout.js';

const width = 720;
const height = 240;
const pad = { left: 48, right: 16, top: 16, bottom: 32 };

/**
 * A self-contained HTML page of the simulation: an inline SVG step chart of
 * the canary weight over virtual time and the timeline table. No scripts,
 * styles or fonts from elsewhere, so it opens offline and can be attached
 * to a CI run as it is.
 */
export function renderHtml(input: { result: SimulationResult; name: string }): string {
  const { result } = input;
  const span = Math.max(result.durationMs, 1);
  const x = (ms: number) => pad.left + ((width - pad.left - pad.right) * ms) / span;
  const y = (weight: number) => pad.top + ((height - pad.top - pad.bottom) * (100 - weight)) / 100;
  const points: string[] = [];
  let last = 0;
  for (const change of result.weights) {
    points.push(
      `${x(change.atMs).toFixed(1)},${y(last).toFixed(1)}`,
      `${x(change.atMs).toFixed(1)},${y(change.canaryWeight).toFixed(1)}`,
    );
    last = change.canaryWeight;
  }
  points.push(`${x(result.durationMs).toFixed(1)},${y(last).toFixed(1)}`);
  const grid = [0, 25, 50, 75, 100]
    .map(
      (w) =>
        `<line x1="${pad.left}" x2="${width - pad.right}" y1="${y(w)}" y2="${y(w)}" class="grid"/><text x="${pad.left - 6}" y="${y(w) + 4}" text-anchor="end">${w}%</text>`,
    )
    .join('');
  const rows = result.rows
    .map(
      (row) =>
        `<tr class="${row.type === 'Warning' ? 'warning' : ''}"><td>${formatDuration(row.atMs)}</td><td>${row.step ?? '-'}</td><td>${row.canaryWeight}%</td><td>${escapeHtml(row.analysis || '-')}</td><td>${escapeHtml(row.reason)}</td><td>${escapeHtml(row.message)}</td></tr>`,
    )
    .join('\n');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<title>gradual simulate: ${escapeHtml(input.name)}</title>
<style>
body { font: 14px/1.4 system-ui, sans-serif; margin: 2em; color: #222; }
svg text { font-size: 11px; fill: #555; }
.grid { stroke: #ddd; }
.weight { fill: none; stroke: #2a7ae2; stroke-width: 2; }
table { border-collapse: collapse; margin-top: 1em; }
th, td { text-align: left; padding: 2px 10px; border-bottom: 1px solid #eee; vertical-align: top; }
tr.warning td { color: #a15c00; }
.outcome-Promoted { color: #1a7f37; } .outcome-Aborted { color: #cf222e; } .outcome-Degraded { color: #a15c00; }
</style>
</head>
<body>
<h1>Rollout ${escapeHtml(input.name)}</h1>
<p id="outcome" class="outcome-${result.outcome}"><strong>${result.outcome}</strong> at ${formatDuration(result.durationMs)} of virtual time: ${escapeHtml(result.message)}</p>
<svg id="weight-chart" xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-label="canary weight over time">
${grid}
<text x="${pad.left}" y="${height - 8}">0s</text><text x="${width - pad.right}" y="${height - 8}" text-anchor="end">${formatDuration(result.durationMs)}</text>
<polyline class="weight" points="${points.join(' ')}"/>
</svg>
<table id="timeline">
<thead><tr><th>time</th><th>step</th><th>canary</th><th>analysis</th><th>reason</th><th>message</th></tr></thead>
<tbody>
${rows}
</tbody>
</table>
</body>
</html>
`;
}

function escapeHtml(text: string): string {
  return text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;').replaceAll('"', '&quot;');
}
