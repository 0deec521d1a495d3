import { throwIfAborted } from '../clock/throw-if-aborted.js';
import type { JsonValue } from '../contracts/json.js';
import type { AnalysisMetric, Measurement, MetricProvider } from '../contracts/metric-provider.js';
import { CancelledError } from '../errors/cancelled-error.js';
import { ProviderError } from '../errors/provider-error.js';

/** One scripted answer: a value, a failure, or a call that never answers until cancelled. */
export type ScriptedAnswer = { value: JsonValue } | { error: string } | { hang: true };

export interface ScriptedProviderOptions {
  /** The `metric.provider` key it answers for; default `scripted`. */
  type?: string | undefined;
  /**
   * Answers per metric name, in order; the last repeats once the list runs
   * out. Or a function of the metric and the 0-based call index.
   */
  script: Record<string, ScriptedAnswer[]> | ((metric: AnalysisMetric, call: number) => ScriptedAnswer);
  /** Keep every metric measured in `measured` (default true); off for load tests of many rollouts. */
  record?: boolean | undefined;
}

export interface ScriptedProvider extends MetricProvider {
  /** Metrics measured, in call order; empty with `record: false`. */
  readonly measured: readonly AnalysisMetric[];
}

/** A MetricProvider that answers from a script, for tests of analysis and rollouts. */
export function createScriptedProvider(options: ScriptedProviderOptions): ScriptedProvider {
  const type = options.type ?? 'scripted';
  const calls = new Map<string, number>();
  const measured: AnalysisMetric[] = [];
  const record = options.record ?? true;
  const answerFor = (metric: AnalysisMetric): ScriptedAnswer => {
    const call = calls.get(metric.name) ?? 0;
    calls.set(metric.name, call + 1);
    if (typeof options.script === 'function') return options.script(metric, call);
    const answers = options.script[metric.name];
    if (!answers || answers.length === 0) return { error: `no scripted answer for metric "${metric.name}"` };
    return answers[Math.min(call, answers.length - 1)] as ScriptedAnswer;
  };
  return {
    specificationVersion: 'v1',
    type,
    measured,
    async measure(metric, callOptions): Promise<Measurement> {
      throwIfAborted(callOptions.signal, `measure ${metric.name}`);
      if (record) measured.push(metric);
      const answer = answerFor(metric);
      if ('value' in answer) return { value: answer.value, display: JSON.stringify(answer.value) };
      if ('error' in answer) throw new ProviderError(type, answer.error);
      return new Promise<Measurement>((_, reject) => {
        callOptions.signal.addEventListener('abort', () => reject(new CancelledError(`measure ${metric.name}`)), { once: true });
      });
    },
  };
}
