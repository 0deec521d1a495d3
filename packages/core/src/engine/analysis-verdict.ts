import type { AnalysisPhase } from '../contracts/analysis-runner.js';

/**
 * What a run's phase means for the rollout: `proceed` (the gate is open),
 * `wait` (no verdict yet), `abort` (Failed or Error), `hold` (Inconclusive:
 * progress halts until a human promotes, as Argo's InconclusiveAnalysisRun).
 */
export type AnalysisVerdict = 'proceed' | 'wait' | 'abort' | 'hold';

/**
 * The one verdict rule, for step analysis, background analysis, experiment
 * analyses and blue/green pre/post-promotion analysis. `accepted`: a human
 * promoted past this inconclusive verdict (this pass, or earlier and recorded).
 */
export function analysisVerdict(phase: AnalysisPhase | undefined, accepted: boolean): AnalysisVerdict {
  switch (phase) {
    case 'Successful':
      return 'proceed';
    case 'Failed':
    case 'Error':
      return 'abort';
    case 'Inconclusive':
      return accepted ? 'proceed' : 'hold';
    default:
      // Not started, Pending, Running.
      return 'wait';
  }
}

/** The abort message for a failed run, as Argo words it ("Step-based analysis phase failed: …"). */
export function analysisAbortMessage(
  label: string,
  run: { name: string; phase: AnalysisPhase; message?: string | undefined },
): string {
  return `${label} analysis phase ${run.phase.toLowerCase()}: ${run.message ?? `run ${run.name} ended ${run.phase}`}`;
}
