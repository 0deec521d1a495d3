import type { Intent } from './intent.js';
import type { RolloutStatus } from './rollout-status.js';

const isVerdict = (intent: Intent) => intent.type === 'startAnalysis' || intent.type === 'reconcileAnalysis';
const waitsForVerdict = (intent: Intent) => intent.type === 'applyTraffic' || intent.type === 'applyWorkload';

/**
 * A run that may report a verdict goes alone: what traffic and workload want may change with it. The batch to
 * run now, and the actions held back for the verdict.
 */
export function splitVerdicts(intents: Intent[]): { intents: Intent[]; held: Intent[] } {
  if (!intents.some(isVerdict) || intents.every(isVerdict)) return { intents, held: [] };
  return { intents: intents.filter((intent) => !waitsForVerdict(intent)), held: intents.filter(waitsForVerdict) };
}

/**
 * Whether the actions held back for a verdict batch are still what a new plan would want once the batch has
 * run: only when the batch reconciled runs that already existed and every one kept its phase (no verdict, so
 * no step, traffic or workload decision can differ), and no analysis runner error came or went. Then a
 * runner may carry them out without planning again; in any other case it plans again.
 */
export function heldIntentsStillWanted(batch: readonly Intent[], before: RolloutStatus, after: RolloutStatus): boolean {
  if (before.analysisError !== undefined || after.analysisError !== undefined) return false;
  for (const intent of batch) {
    if (intent.type !== 'reconcileAnalysis') return false;
    const was = before.analysisRuns.find((run) => run.state.name === intent.name);
    const is = after.analysisRuns.find((run) => run.state.name === intent.name);
    if (!was || !is || was.state.phase !== is.state.phase) return false;
  }
  return true;
}
