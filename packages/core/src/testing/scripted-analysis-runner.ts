import { throwIfAborted } from '../clock/throw-if-aborted.js';
import type { AnalysisPhase, AnalysisRunner, AnalysisRunRequest, AnalysisRunState } from '../contracts/analysis-runner.js';

/** How a scripted run ends: `phase` once `afterMs` have passed since it started; `Running` forever if omitted. */
export interface ScriptedRunOutcome {
  phase?: Exclude<AnalysisPhase, 'Pending' | 'Running'> | undefined;
  afterMs?: number | undefined;
  message?: string | undefined;
}

export interface ScriptedAnalysisRunnerOptions {
  /** Decides each run's outcome from its request; default: Successful at once. */
  script?: ((request: AnalysisRunRequest, index: number) => ScriptedRunOutcome) | undefined;
}

export interface ScriptedAnalysisRunner extends AnalysisRunner {
  /** Every request started, in order. */
  readonly started: readonly AnalysisRunRequest[];
  readonly terminated: readonly string[];
}

interface ScriptedData {
  startedAt: number;
  phase: AnalysisPhase | null;
  afterMs: number;
  message: string | null;
  [key: string]: string | number | null;
}

/**
 * An AnalysisRunner whose runs end as scripted, on the injected clock. Its
 * run state is JSON and resumes exactly, like a real runner's.
 */
export function createScriptedAnalysisRunner(options: ScriptedAnalysisRunnerOptions = {}): ScriptedAnalysisRunner {
  const started: AnalysisRunRequest[] = [];
  const terminated: string[] = [];
  const assess = (run: AnalysisRunState, now: number): AnalysisRunState => {
    const data = run.data as ScriptedData;
    if (run.phase !== 'Running' && run.phase !== 'Pending') return run;
    if (data.phase && now >= data.startedAt + data.afterMs) {
      return { name: run.name, phase: data.phase, message: data.message ?? `scripted ${data.phase}`, data };
    }
    return { ...run, phase: 'Running', ...(data.phase ? { nextReconcileAt: data.startedAt + data.afterMs } : {}) };
  };
  return {
    specificationVersion: 'v1',
    started,
    terminated,
    async start(request, callOptions) {
      throwIfAborted(callOptions.signal, `start analysis ${request.name}`);
      const outcome = options.script?.(request, started.length) ?? { phase: 'Successful' };
      started.push(request);
      const data: ScriptedData = {
        startedAt: callOptions.clock.now(),
        phase: outcome.phase ?? null,
        afterMs: outcome.afterMs ?? 0,
        message: outcome.message ?? null,
      };
      return assess({ name: request.name, phase: 'Running', data }, callOptions.clock.now());
    },
    async reconcile(run, callOptions) {
      throwIfAborted(callOptions.signal, `reconcile analysis ${run.name}`);
      return assess(run, callOptions.clock.now());
    },
    async terminate(run, callOptions) {
      throwIfAborted(callOptions.signal, `terminate analysis ${run.name}`);
      terminated.push(run.name);
      if (run.phase !== 'Running' && run.phase !== 'Pending') return run;
      return { name: run.name, phase: 'Successful', message: 'Run Terminated', data: run.data ?? null };
    },
  };
}
