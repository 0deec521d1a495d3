import { type AnalysisTemplate, createAnalysisRunner } from '@gradual/analysis';
import {
  type AnalysisMetric,
  createRollout,
  type JsonValue,
  type MetricProvider,
  type RolloutEvent,
  type RolloutOutcome,
  type RolloutSpec,
  type RolloutStatus,
  type TrafficState,
} from '@gradual/core';
import { createFakeClock, createMemoryRouter, createScriptedAnalysisRunner, createScriptedProvider } from '@gradual/core/testing';
import { pickValue } from './pick-value.js';
import type { MetricScript, Scenario } from './scenario.js';

/** What `simulateRollout` runs. */
export interface SimulateInput {
  spec: RolloutSpec;
  /** The AnalysisTemplates the Rollout names. */
  templates: readonly AnalysisTemplate[];
  /** Metric values; metrics it does not name are healthy. */
  scenario?: Scenario | undefined;
  /** Every analysis run succeeds at once and no template is needed (the traffic states of a healthy rollout). */
  passAnalysis?: boolean | undefined;
  /** Stops the simulation (e.g. on Ctrl-C). */
  signal?: AbortSignal | undefined;
}

/** One line of the timeline. */
export interface TimelineRow {
  /** Virtual milliseconds since the rollout started. */
  atMs: number;
  /** 0-based step index, when the event has one. */
  step?: number | undefined;
  canaryWeight: number;
  /** The analysis runs and their phases at that moment, e.g. `background: Running`. */
  analysis: string;
  reason: string;
  type: 'Normal' | 'Warning';
  message: string;
}

/** How the simulated rollout went. */
export interface SimulationResult {
  outcome: RolloutOutcome;
  message: string;
  /** Virtual milliseconds from start to end. */
  durationMs: number;
  rows: TimelineRow[];
  /** The canary weight each time it changed, from 0 ms. */
  weights: { atMs: number; canaryWeight: number }[];
  status: RolloutStatus;
  /** Every traffic state the router was asked to write, in order, repeats left out. */
  states: TrafficState[];
}

/**
 * The whole rollout on a virtual clock that jumps to the next timer when idle:
 * the real engine and runner, an in-memory router, the real analysis runner
 * with a provider per metric type that answers from the scenario. A pause
 * that waits for a manual promote is promoted at once (and says so).
 */
export async function simulateRollout(input: SimulateInput): Promise<SimulationResult> {
  const clock = createFakeClock({ auto: true, start: 0 });
  const router = createMemoryRouter();
  const scenario = input.scenario ?? { metrics: {} };
  const types = new Set(input.templates.flatMap((t) => t.spec.metrics.flatMap((m) => Object.keys(m.provider))));
  const providers: MetricProvider[] = [...types].map((type) =>
    createScriptedProvider({
      type,
      script: (metric, call) => ({ value: answer(metric, scenario.metrics[metric.name], call, clock.now()) }),
    }),
  );
  const analysis = input.passAnalysis
    ? createScriptedAnalysisRunner()
    : input.templates.length > 0
      ? createAnalysisRunner({ templates: input.templates, providers, clock })
      : undefined;
  const rows: TimelineRow[] = [];
  const weights = [{ atMs: 0, canaryWeight: 0 }];
  const promoted = new Set<string>();
  const rollout = createRollout({
    spec: input.spec,
    router,
    analysis,
    clock,
    stableRevision: 'stable',
    signal: input.signal,
    onProgress: ({ status }) => {
      const weight = status.traffic?.canaryWeight ?? 0;
      if (weights.at(-1)?.canaryWeight !== weight) weights.push({ atMs: clock.now(), canaryWeight: weight });
    },
  });
  rollout.on((event) => {
    const status = rollout.status;
    rows.push({
      atMs: clock.now(),
      ...(event.stepIndex === undefined ? {} : { step: event.stepIndex }),
      canaryWeight: router.current.canaryWeight,
      analysis: status ? analysisSummary(status) : '',
      reason: event.reason,
      type: event.type,
      message: event.message,
    });
    // A pause nothing ends by itself: promote it, once, as the operator would.
    if (event.reason !== 'RolloutPaused' || !waitsForOperator(input.spec, event)) return;
    const key = `${rollout.status?.attempt ?? 0}:${event.stepIndex ?? -1}:${event.message}`;
    if (promoted.has(key)) return;
    promoted.add(key);
    rollout.promote();
    rows.push({
      atMs: clock.now(),
      ...(event.stepIndex === undefined ? {} : { step: event.stepIndex }),
      canaryWeight: router.current.canaryWeight,
      analysis: status ? analysisSummary(status) : '',
      reason: 'SimulatedPromote',
      type: 'Normal',
      message: 'the pause waits for a manual promote; the simulation promotes it',
    });
  });
  const result = await rollout.run();
  return {
    outcome: result.outcome,
    message: result.message,
    durationMs: clock.now(),
    rows,
    weights,
    status: result.status,
    states: router.history.map((state) => structuredClone(state)),
  };
}

function answer(metric: AnalysisMetric, script: MetricScript | undefined, call: number, now: number): JsonValue {
  const vector = 'prometheus' in metric.provider;
  if (script?.kind === 'values') {
    const value = script.values[Math.min(call, script.values.length - 1)];
    // A number for a Prometheus metric is a query that returned one series.
    return (vector && typeof value === 'number' ? [value] : value) as JsonValue;
  }
  const failing = script?.kind === 'failing' && now >= script.afterMs;
  return pickValue(metric, failing ? 'failing' : 'healthy') as JsonValue;
}

function analysisSummary(status: RolloutStatus): string {
  return status.analysisRuns
    .map(
      (run) =>
        `${run.kind === 'background' ? 'background' : `${run.analysisName ?? run.kind}${run.stepIndex === undefined ? '' : `@${run.stepIndex}`}`}: ${run.state.phase}`,
    )
    .join(', ');
}

// From the pause event: its reason is in the message, e.g. "Rollout is paused (CanaryPauseStep)".
function waitsForOperator(spec: RolloutSpec, event: RolloutEvent): boolean {
  const reason = /\((\w+)\)/.exec(event.message)?.[1];
  if (reason === 'InconclusiveAnalysisRun' || reason === 'InconclusiveExperiment') return true;
  if (reason === 'BlueGreenPause') return spec.strategy.blueGreen?.autoPromotionEnabled === false;
  const step = event.stepIndex === undefined ? undefined : spec.strategy.canary?.steps[event.stepIndex];
  return step !== undefined && 'pause' in step && (step.pause.duration === undefined || step.pause.duration === null);
}
