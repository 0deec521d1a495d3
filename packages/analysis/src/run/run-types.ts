import type { AnalysisMetric, AnalysisPhase, AnalysisRunArgument, AnalysisTemplateRef } from '@gradual/core';
import type { DryRunRule, MeasurementRetentionRule } from '../template/analysis-template-types.js';

/** A metric as the run state keeps it: everything but the provider block, and the provider's type. */
export type StoredMetric = Omit<AnalysisMetric, 'provider'> & { providerType: string };

/** One measurement as the run status keeps it (Argo's `Measurement`). Timestamps are RFC 3339. */
export interface MeasurementRecord {
  phase: AnalysisPhase;
  startedAt: string;
  finishedAt?: string | undefined;
  /** The value as shown to people, e.g. `[0.97]`; absent for errors. */
  value?: string | undefined;
  message?: string | undefined;
  metadata?: Record<string, string> | undefined;
  /**
   * Set when the provider returned no data (nil, an empty list, only NaN):
   * `no data for metric "x" (query ...)`. The value alone (`[]`) would not say so.
   */
  noData?: string | undefined;
}

/** The state of one metric in a run (Argo's `MetricResult`). */
export interface MetricResult {
  name: string;
  phase: AnalysisPhase;
  message?: string | undefined;
  /** Measurements that were not errors. */
  count: number;
  successful: number;
  failed: number;
  inconclusive: number;
  error: number;
  consecutiveError: number;
  consecutiveSuccess: number;
  /** The newest measurements, oldest first (at most `measurementRetention`, default 10). */
  measurements: MeasurementRecord[];
  /** Whether the metric is dry-run: its outcome never changes the run's phase. */
  dryRun?: boolean | undefined;
  /** How many measurements returned no data, and the latest one's note; absent while every one had data. */
  noData?: { count: number; message: string } | undefined;
}

/** Metrics of a run by outcome (Argo's `RunSummary`). */
export interface RunSummary {
  count: number;
  successful: number;
  failed: number;
  inconclusive: number;
  error: number;
}

/**
 * Everything a run needs to continue, as JSON: stored in
 * `AnalysisRunState.data`, so `JSON.parse(JSON.stringify(data))` resumes exactly.
 * Holds no secret: secret args are kept as references and resolved per measurement.
 */
export interface AnalysisRunData {
  version: 1;
  /** Epoch ms. */
  startedAt: number;
  completedAt?: number | undefined;
  terminate?: boolean | undefined;
  /**
   * The metrics' scheduling and condition fields, args substituted. Provider
   * blocks are not stored (they may hold credentials, such as an address with
   * user info); the runner rebuilds them from its templates and `request`,
   * and checks them against `fingerprint`.
   */
  metrics: StoredMetric[];
  /** SHA-256 of the full metrics the run started with. */
  fingerprint: string;
  /** What the run was started from, so the runner can rebuild its metrics. */
  request: {
    templates: AnalysisTemplateRef[];
    args: AnalysisRunArgument[];
    dryRun?: DryRunRule[] | undefined;
    measurementRetention?: MeasurementRetentionRule[] | undefined;
  };
  secretArgs: { name: string; secretKeyRef: { name: string; key: string } }[];
  retention: Record<string, number>;
  metricResults: MetricResult[];
  runSummary: RunSummary;
  dryRunSummary?: RunSummary | undefined;
}

/** The outcome of `runAnalysis`, shaped like an AnalysisRun's status. */
export interface AnalysisRunResult {
  phase: AnalysisPhase;
  message?: string | undefined;
  startedAt: string;
  completedAt?: string | undefined;
  metricResults: MetricResult[];
  runSummary: RunSummary;
  dryRunSummary?: RunSummary | undefined;
}
