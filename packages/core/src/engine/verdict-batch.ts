import { noItems } from '../data/no-items.js';
import type { Intent } from './intent.js';
import { storedRun } from './plan-context.js';
import { runDueAt } from './reconcile-analysis-runs.js';
import type { RolloutStatus } from './rollout-status.js';

const isVerdict = (intent: Intent) => intent.type === 'startAnalysis' || intent.type === 'reconcileAnalysis';
const waitsForVerdict = (intent: Intent) => intent.type === 'applyTraffic' || intent.type === 'applyWorkload';
const nothingHeld: Intent[] = noItems;

/**
 * A run that may report a verdict goes alone: what traffic and workload want may change with it. The batch to
 * run now, and the actions held back for the verdict (a shared empty list when none are).
 */
export function splitVerdicts(intents: Intent[]): { intents: Intent[]; held: Intent[] } {
  let verdicts = 0;
  for (const intent of intents) if (isVerdict(intent)) verdicts++;
  if (verdicts === 0 || verdicts === intents.length) return { intents, held: nothingHeld };
  return { intents: intents.filter((intent) => !waitsForVerdict(intent)), held: intents.filter(waitsForVerdict) };
}

/**
 * Whether the actions held back for a verdict batch are still what a new plan would want once the batch has
 * run (at `now`): only when
 * - the batch reconciled runs that already existed, every one kept its phase (no verdict, so no step,
 *   traffic or workload decision can differ) and none is due again yet (its verdict would come first);
 * - no analysis runner error came or went;
 * - nothing else fell due while the batch ran (`wakeAt` of the plan: a pause, a deadline, another run).
 * Then a runner may carry them out without planning again; in any other case it plans again. The caller
 * must also know that nothing it observes for the plan changed meanwhile (a Workload is read again each pass).
 */
export function heldIntentsStillWanted(input: {
  batch: readonly Intent[];
  held: readonly Intent[];
  before: RolloutStatus;
  after: RolloutStatus;
  now: number;
  wakeAt?: number | undefined;
}): boolean {
  const { before, after, now } = input;
  if (before.analysisError !== undefined || after.analysisError !== undefined) return false;
  if (input.wakeAt !== undefined && now >= input.wakeAt) return false;
  // Drift is put back from an observation of this pass only; the next pass would plan without it.
  if (input.held.some((intent) => intent.type === 'applyTraffic' && intent.drifted)) return false;
  for (const intent of input.batch) {
    if (intent.type !== 'reconcileAnalysis') return false;
    const was = storedRun(before.analysisRuns, intent.name);
    const is = storedRun(after.analysisRuns, intent.name);
    if (!was || !is || was.state.phase !== is.state.phase || runDueAt(is, now) <= now) return false;
  }
  return true;
}
