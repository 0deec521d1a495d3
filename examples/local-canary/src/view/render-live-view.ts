import type { DemoSnapshot } from '../demo/demo-report.js';
import { weightBar } from './weight-bar.js';

export interface LiveViewOptions {
  /**
   * Show only the steps at most this far from the current one; the others
   * are summed up in one line before and one after (for a short terminal).
   */
  stepWindow?: number;
}

/** The live terminal view as lines: where the rollout is, where traffic goes, what was measured. */
export function renderLiveView(snapshot: DemoSnapshot, options: LiveViewOptions = {}): string[] {
  const { traffic } = snapshot;
  const canary = snapshot.canaryVersion ?? 'v2';
  const lines: string[] = [];
  lines.push(
    `gradual local canary · scenario ${snapshot.scenario} · metrics from ${snapshot.metricsSource} · ${(snapshot.elapsedMs / 1000).toFixed(1)} s`,
  );
  lines.push(`phase ${snapshot.phase}: ${snapshot.message}`);
  lines.push('');
  const window = options.stepWindow ?? Number.POSITIVE_INFINITY;
  const first = Math.max(0, snapshot.stepIndex - window);
  const last = Math.min(snapshot.steps.length - 1, snapshot.stepIndex + window);
  const range = (from: number, to: number) => (from === to ? `${from}` : `${from}–${to}`);
  if (first > 0) lines.push(`  ✓ ${range(1, first).padStart(2)}. …`);
  snapshot.steps.forEach((step, index) => {
    if (index < first || index > last) return;
    const mark = index < snapshot.stepIndex ? '✓' : index === snapshot.stepIndex ? '▶' : ' ';
    lines.push(`  ${mark} ${String(index + 1).padStart(2)}. ${step}`);
  });
  if (last < snapshot.steps.length - 1) lines.push(`    ${range(last + 2, snapshot.steps.length).padStart(2)}. …`);
  lines.push('');
  lines.push(`  traffic  ${weightBar({ canaryWeight: traffic.canaryWeight, stable: snapshot.stableVersion, canary })}`);
  for (const route of traffic.headerRoutes) {
    const match = route.match.map((m) => `${m.headerName}: ${JSON.stringify(m.headerValue)}`).join(' or ');
    lines.push(`  header route ${route.name}: ${match} → ${canary}`);
  }
  for (const route of traffic.mirrorRoutes) lines.push(`  mirror route ${route.name}: ${route.percentage}% copied to ${canary}`);
  const split = snapshot.currentSplit;
  if (split && split.weightedRequests > 0) {
    const shares = Object.entries(split.observed)
      .sort()
      .map(([version, share]) => `${version} ${share.toFixed(1)}%`)
      .join(' / ');
    lines.push(`  served in this state: ${shares} of ${split.weightedRequests} weighted requests`);
  }
  lines.push('');
  lines.push(`  requests sent ${snapshot.requestsSent}`);
  for (const [version, served] of Object.entries(snapshot.served).sort()) {
    const mirrored = served.mirrored > 0 ? `, ${served.mirrored} mirrored copies` : '';
    lines.push(`    ${version}: ${served.answered} answered, ${served.failed} failed${mirrored}`);
  }
  lines.push('');
  lines.push('  last measurements (success rate of the canary)');
  if (snapshot.measurements.length === 0) lines.push('    none yet');
  for (const m of snapshot.measurements) {
    lines.push(`    ${m.finishedAt?.slice(11, 23) ?? '…'}  ${m.metric} ${m.value ?? m.message ?? ''} → ${m.phase}`);
  }
  lines.push('');
  for (const event of snapshot.events) lines.push(`  ${event.type === 'Warning' ? '!' : '·'} ${event.reason}: ${event.message}`);
  return lines;
}
