import type { RolloutEvent, TrafficState } from '@gradual/core';
import type { LoadReport } from '../load/start-load.js';
import type { GenerationTally } from '../proxy/served-tally.js';
import type { VersionServiceCounts } from '../services/start-version-service.js';
import type { Scenario } from './load-manifests.js';
import type { MeasurementView } from './measurements-of.js';
import type { GenerationSplit } from './split-of.js';

/** What the live view shows at one moment. */
export interface DemoSnapshot {
  scenario: Scenario;
  metricsSource: 'localProxy' | 'prometheus';
  elapsedMs: number;
  phase: string;
  message: string;
  /** Index of the current step; equal to `steps.length` once all are done. */
  stepIndex: number;
  /** Every step, described as Argo prints it (`setWeight: 30`). */
  steps: string[];
  /** What the proxy routes by now. */
  traffic: TrafficState;
  /** Versions the stable and canary revisions run (`v1`, `v2`). */
  stableVersion: string;
  canaryVersion?: string;
  /** Answers per version since the start, all routes: `{ answered, failed, mirrored }`. */
  served: Record<string, { answered: number; failed: number; mirrored: number }>;
  requestsSent: number;
  /** What the proxy served under the routing state installed now. */
  currentSplit?: GenerationSplit;
  measurements: MeasurementView[];
  events: RolloutEvent[];
}

/** Everything a run of the demo did, for the summary, `--report <file>` and the tests. */
export interface DemoReport {
  /** `Interrupted`: stopped from outside (Ctrl-C, SIGTERM, the time budget) before the rollout ended. */
  outcome: 'Promoted' | 'Aborted' | 'Degraded' | 'Interrupted';
  message: string;
  scenario: Scenario;
  speed: number;
  metricsSource: 'localProxy' | 'prometheus';
  /** Starting the services, the proxy and (with `--prometheus`) Prometheus, before the rollout began. */
  setupMs: number;
  /** From the start of the rollout to its end (and the `afterMs` of load after it). */
  durationMs: number;
  stableRevision: string;
  canaryRevision: string;
  /** The weighted split per routing generation (one per TrafficState the router installed). */
  splits: GenerationSplit[];
  /** The proxy's raw counts per generation. */
  generations: GenerationTally[];
  /** What each version's own server counted (an independent check of the proxy). */
  services: Record<string, VersionServiceCounts>;
  /** What the load generator's users saw. */
  load: LoadReport;
  measurements: MeasurementView[];
  events: RolloutEvent[];
}
