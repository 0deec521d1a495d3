import type { DemoReport } from '../demo/demo-report.js';

/** The summary printed at the end: outcome, the split each routing state asked for and got, the analysis. */
export function formatSummary(report: DemoReport): string {
  const lines: string[] = [];
  const verdict = {
    Promoted: 'PROMOTED: v2 is stable',
    Aborted: 'ABORTED: traffic is back on v1',
    Degraded: 'DEGRADED: the rollout stopped progressing',
    Interrupted: 'INTERRUPTED: the rollout did not finish; what happened until then',
  }[report.outcome];
  const setup = report.setupMs >= 1000 ? ` (after ${(report.setupMs / 1000).toFixed(1)} s of start-up)` : '';
  lines.push('');
  lines.push(`${verdict} (${report.message}) after ${(report.durationMs / 1000).toFixed(1)} s at speed ${report.speed}${setup}`);
  lines.push('');
  lines.push(`  ${'traffic state'.padEnd(48)}weighted requests   served v1/v2 (%)   asked v1/v2 (%)   outside the split`);
  report.splits.forEach((split, index) => {
    const generation = report.generations[index];
    // Promotion: the stable destination runs the new revision, so "weight 0" would read as "no v2".
    const promoted = generation?.state.stableRevision === report.canaryRevision;
    const routes = [
      promoted ? `all on new stable (${generation?.stableVersion ?? 'v2'})` : `weight ${split.canaryWeight}`,
      ...split.headerRoutes.map((r) => `header ${r}`),
      ...split.mirrorRoutes.map((r) => `mirror ${r}`),
    ].join(', ');
    const pct = (shares: Record<string, number>) =>
      `${(shares.v1 ?? 0).toFixed(1).padStart(5)}/${(shares.v2 ?? 0).toFixed(1).padEnd(5)}`;
    // A state that served no weighted request has no observed split: a dash, not 0.0/0.0.
    const observed = split.weightedRequests > 0 ? pct(split.observed) : `${'–'.padStart(5)} ${''.padEnd(5)}`;
    const served = generation?.served ?? {};
    const outside = Object.entries(served)
      .flatMap(([version, counts]) => [
        ...(counts.header > 0 ? [`${counts.header} header-routed to ${version}`] : []),
        ...(counts.mirrored > 0 ? [`${counts.mirrored} mirrored to ${version}`] : []),
      ])
      .join(', ');
    lines.push(
      `  #${String(split.generation).padEnd(3)}${routes.padEnd(45)}${String(split.weightedRequests).padStart(8)}            ${observed}        ${pct(split.expected)}        ${outside}`,
    );
  });
  lines.push('');
  for (const [version, counts] of Object.entries(report.services)) {
    lines.push(`  ${version} received ${counts.total} requests (${counts.mirrored} mirrored copies), failed ${counts.failed}`);
  }
  const measurements = report.measurements;
  const failed = measurements.filter((m) => m.phase === 'Failed').length;
  lines.push(`  analysis: ${measurements.length} measurements kept, ${failed} failed`);
  return lines.join('\n');
}
