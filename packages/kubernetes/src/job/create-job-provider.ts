import { randomUUID } from 'node:crypto';
import type { AssessingMetricProvider, MeasurementAssessment } from '@gradual/analysis';
import {
  type AnalysisMetric,
  type CallOptions,
  CancelledError,
  type Clock,
  type Logger,
  type Measurement,
  ProviderError,
} from '@gradual/core';
import { abortAfter, isRetryable, throwIfAborted } from '@gradual/core/adapter';
import { BatchV1Api, CoreV1Api, type KubeConfig, type V1Job } from '@kubernetes/client-node';
import { kubeCall } from '../kube/kube-call.js';
import { KubernetesApiError } from '../kube/kubernetes-api-error.js';
import { analysisRunUidLabel } from '../kube/labels.js';
import { labelSelectorString } from '../workload/label-selector-string.js';
import { type AnalysisRunReference, buildMetricJob } from './build-metric-job.js';
import { jobMetricIssues, readJobMetric } from './job-metric.js';
import { type JobOutcome, jobOutcome } from './job-outcome.js';
import { metricJobName } from './metric-job-name.js';
import { terminalPodError } from './terminal-pod-error.js';

/** Options of {@link createJobProvider}. */
export interface JobProviderOptions {
  /** The cluster and credentials the Jobs are created with. */
  kubeConfig: KubeConfig;
  /** Namespace the Jobs are created in. */
  namespace: string;
  /** Clock the provider waits on between reads of a running Job; default: the call's `clock`. */
  clock?: Clock | undefined;
  /**
   * The AnalysisRun measured for: its uid prefixes Job names and labels the Jobs, and it owns
   * them when it lives in `namespace`. Without one, the prefix is a uid of the provider's own.
   */
  analysisRun?: AnalysisRunReference | undefined;
  /** Longest wait between two reads of a running Job; default 60 000 ms. */
  maxPollIntervalMs?: number | undefined;
  /** Where a Job that could not be deleted is reported. */
  logger?: Logger | undefined;
}

/** Consecutive failed reads of a running Job that still count as a blip. */
const READ_FAILURES_TOLERATED = 5;
/** Wall-time bound of the deletion that follows a cancelled measurement (its caller's signal has fired). */
const CLEANUP_TIMEOUT_MS = 30_000;

/**
 * Argo Rollouts' `job` metric provider: each measurement runs the metric's Job
 * (`provider.job.metadata` and `.spec`) to its end. The measurement is in progress
 * while the Job runs — `measure()` stays pending, reading the Job on the clock with
 * Argo's growing delay (√(2·elapsed s) s, at least 1 s) — and is `Successful` when the
 * Job reports a `Complete` condition, `Failed` on a `Failed` one, `Inconclusive` when one
 * of its pods waits on an image that cannot be pulled (read through `spec.selector`, when
 * the provider may list pods), as Argo decides (`assess`; a metric with its own conditions
 * sees `result` = "Complete", "Failed" or "Inconclusive"). The Job is then
 * deleted (Background propagation, so its pods go too), as it is when the measurement
 * is cancelled (its signal aborts: the run is terminated or aborted) or fails.
 *
 * Job names: `<run uid or the provider's uid>.<metric name, DNS-safe>.<n>`, n counting
 * this provider's measurements of that metric from 1, cut to 63 characters (the Job
 * controller copies the name into a pod label). A name already taken by a Job of the same
 * AnalysisRun (a controller restarted mid-measurement) is adopted, as Argo does.
 *
 * Failures reject with a ProviderError: `JOB_METRIC_INVALID` (no pod template...),
 * `JOB_NAME_TAKEN`, `JOB_DELETED` (deleted under the measurement), `JOB_REQUEST_FAILED`
 * (the API call failed; `cause` is the KubernetesApiError); a blip reading a running Job is
 * retried. The analysis runner's wall-time guard (`measurementTimeoutMs`, 60 s by default)
 * bounds the whole measurement: raise it above the Job's longest run.
 */
export function createJobProvider(options: JobProviderOptions): AssessingMetricProvider {
  const batch = options.kubeConfig.makeApiClient(BatchV1Api);
  const core = options.kubeConfig.makeApiClient(CoreV1Api);
  // Reading pods is optional: without the permission, only the Job's conditions decide.
  let podsReadable = true;
  const { namespace, analysisRun } = options;
  const prefix = analysisRun?.uid ?? randomUUID();
  const counts = new Map<string, number>();
  const maxPollMs = options.maxPollIntervalMs ?? 60_000;

  const call = <T>(verb: string, name: string, signal: AbortSignal, run: Parameters<typeof kubeCall<T>>[1]) =>
    kubeCall<T>({ verb, resource: 'jobs.batch', name, namespace, signal }, run);

  const deleteJob = async (name: string, signal: AbortSignal) => {
    try {
      await call('delete', name, signal, (configuration) =>
        batch.deleteNamespacedJob({ name, namespace, propagationPolicy: 'Background' }, configuration),
      );
    } catch (error) {
      if (!KubernetesApiError.isNotFound(error)) throw error;
    }
  };
  // After a cancellation or a failure: the caller is not kept waiting, the Job still goes.
  const deleteLater = (name: string, logger: Logger | undefined) => {
    const guard = abortAfter(CLEANUP_TIMEOUT_MS);
    deleteJob(name, guard.signal)
      .catch((error: unknown) =>
        logger?.warn(`job provider: could not delete job "${name}" in namespace "${namespace}"`, {
          error: error instanceof Error ? error.message : String(error),
        }),
      )
      .finally(() => guard.release());
  };

  const createJob = async (job: V1Job, signal: AbortSignal) => {
    const name = job.metadata!.name!;
    try {
      await call('create', name, signal, (configuration) => batch.createNamespacedJob({ namespace, body: job }, configuration));
    } catch (error) {
      if (!KubernetesApiError.isConflict(error)) throw error;
      const existing = await call('get', name, signal, (configuration) =>
        batch.readNamespacedJob({ name, namespace }, configuration),
      );
      // Argo's rule: a Job of the same AnalysisRun is this measurement's, taken before a restart.
      if (!analysisRun || existing.metadata?.labels?.[analysisRunUidLabel] !== analysisRun.uid)
        throw new ProviderError('job', `job "${name}" already exists in namespace "${namespace}" and is not this run's`, {
          code: 'JOB_NAME_TAKEN',
          cause: error,
        });
    }
  };

  // Argo's check of a running Job's pods: one that can never start makes the measurement Inconclusive.
  const podsOutcome = async (job: V1Job, signal: AbortSignal): Promise<JobOutcome | undefined> => {
    const selector = job.spec?.selector;
    if (!podsReadable || !selector || (!selector.matchLabels && !selector.matchExpressions)) return undefined;
    const labelSelector = labelSelectorString(selector as never, `job "${job.metadata?.name}"`);
    try {
      const pods = await kubeCall({ verb: 'list', resource: 'pods', namespace, signal }, (configuration) =>
        core.listNamespacedPod({ namespace, labelSelector }, configuration),
      );
      const message = terminalPodError(pods.items);
      return message ? { condition: 'Inconclusive', message } : undefined;
    } catch (error) {
      if (!KubernetesApiError.isInstance(error) || error.status !== 403) throw error;
      podsReadable = false;
      return undefined;
    }
  };

  const waitForOutcome = async (name: string, clock: Clock, signal: AbortSignal): Promise<JobOutcome> => {
    const startedAt = clock.now();
    let failures = 0;
    for (;;) {
      try {
        const job = await call('get', name, signal, (configuration) =>
          batch.readNamespacedJob({ name, namespace }, configuration),
        );
        failures = 0;
        const outcome = jobOutcome(job) ?? (await podsOutcome(job, signal));
        if (outcome) return outcome;
      } catch (error) {
        if (CancelledError.isInstance(error)) throw error;
        if (KubernetesApiError.isNotFound(error))
          throw new ProviderError('job', `job "${name}" in namespace "${namespace}" was deleted before it finished`, {
            code: 'JOB_DELETED',
            cause: error,
          });
        if (!isRetryable(error) || ++failures >= READ_FAILURES_TOLERATED) throw error;
      }
      const elapsedSeconds = Math.max(0, clock.now() - startedAt) / 1000;
      await clock.sleep(Math.min(maxPollMs, Math.max(1_000, Math.sqrt(2 * elapsedSeconds) * 1_000)), signal);
    }
  };

  return {
    specificationVersion: 'v1',
    type: 'job',
    validate: jobMetricIssues,

    async measure(metric: AnalysisMetric, callOptions: CallOptions): Promise<Measurement> {
      const { signal } = callOptions;
      const what = `job measurement of metric "${metric.name}"`;
      throwIfAborted(signal, what);
      const issues = jobMetricIssues(metric);
      if (issues.length > 0)
        throw new ProviderError(
          'job',
          `metric "${metric.name}" cannot run a job: ${issues.map((issue) => `${issue.path} ${issue.message}`).join('; ')}`,
          { code: 'JOB_METRIC_INVALID' },
        );
      const count = (counts.get(metric.name) ?? 0) + 1;
      counts.set(metric.name, count);
      const name = metricJobName({ prefix, metricName: metric.name, count });
      const job = buildMetricJob({ name, namespace, metricName: metric.name, job: readJobMetric(metric), analysisRun });
      let outcome: JobOutcome;
      try {
        await createJob(job, signal);
        outcome = await waitForOutcome(name, options.clock ?? callOptions.clock, signal);
      } catch (error) {
        // Also when the create's answer was lost: the Job may exist all the same.
        deleteLater(name, options.logger ?? callOptions.logger);
        if (signal.aborted) throw new CancelledError(what, signal.reason);
        if (ProviderError.isInstance(error)) throw error;
        throw new ProviderError('job', `${what}: ${error instanceof Error ? error.message : String(error)}`, {
          code: 'JOB_REQUEST_FAILED',
          cause: error,
        });
      }
      try {
        await deleteJob(name, signal);
      } catch (error) {
        if (signal.aborted) {
          deleteLater(name, options.logger ?? callOptions.logger);
          throw new CancelledError(what, signal.reason);
        }
        // The outcome is known; a Job left behind is reported, not a failed measurement.
        (options.logger ?? callOptions.logger)?.warn(`job provider: could not delete job "${name}" in namespace "${namespace}"`, {
          error: error instanceof Error ? error.message : String(error),
        });
      }
      return {
        value: outcome.condition,
        display: outcome.condition,
        metadata: {
          // Argo's measurement metadata keys.
          'job-name': name,
          'job-namespace': namespace,
          ...(outcome.reason ? { reason: outcome.reason } : {}),
          ...(outcome.message ? { message: outcome.message } : {}),
        },
      };
    },

    assess(_metric: AnalysisMetric, measurement: Measurement): MeasurementAssessment {
      const job = measurement.metadata?.['job-name'] ?? 'the job';
      if (measurement.value === 'Complete') return { phase: 'Successful' };
      if (measurement.value === 'Failed') {
        const why = [measurement.metadata?.reason, measurement.metadata?.message].filter(Boolean).join(': ');
        return { phase: 'Failed', message: `job "${job}" failed${why ? `: ${why}` : ''}` };
      }
      if (measurement.value === 'Inconclusive')
        return { phase: 'Inconclusive', message: measurement.metadata?.message ?? `job "${job}" cannot make progress` };
      return { phase: 'Error', message: `job provider: unexpected measurement ${JSON.stringify(measurement.value)}` };
    },
  };
}
