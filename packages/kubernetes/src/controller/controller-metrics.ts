import { Counter, Gauge, Histogram, Registry } from 'prom-client';

/** How one reconcile ended, the `result` label of `gradual_reconcile_total`. */
export type ReconcileOutcome = 'success' | 'error' | 'conflict' | 'skipped';

/** The controller's Prometheus metrics, registered on one Registry. */
export interface ControllerMetrics {
  readonly registry: Registry;
  /** One reconcile ended after `seconds`. */
  reconciled(outcome: ReconcileOutcome, seconds: number): void;
  /** The phase of a managed rollout now; `undefined` when it is no longer managed here. */
  phase(key: string, phase: string | undefined): void;
}

/**
 * `gradual_reconcile_total{result}`, `gradual_reconcile_errors_total`, `gradual_reconcile_duration_seconds`,
 * `gradual_workqueue_depth` and `gradual_rollouts{phase}` on `registry` (a new one when absent). The depth
 * and the phases are read when Prometheus scrapes, so keeping them costs nothing per reconcile.
 */
export function createControllerMetrics(options: {
  registry?: Registry | undefined;
  queueDepth: () => number;
}): ControllerMetrics {
  const registry = options.registry ?? new Registry();
  const phases = new Map<string, string>();
  const total = new Counter({
    name: 'gradual_reconcile_total',
    help: 'Reconciles of a rollout, by result (success, error, conflict: a stale status write refused, skipped).',
    labelNames: ['result'],
    registers: [registry],
  });
  const errors = new Counter({
    name: 'gradual_reconcile_errors_total',
    help: 'Reconciles that failed and were requeued with backoff.',
    registers: [registry],
  });
  const duration = new Histogram({
    name: 'gradual_reconcile_duration_seconds',
    help: 'Time one reconcile of one rollout took.',
    buckets: [0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 10],
    registers: [registry],
  });
  new Gauge({
    name: 'gradual_workqueue_depth',
    help: 'Rollouts waiting in the work queue.',
    registers: [registry],
    collect() {
      this.set(options.queueDepth());
    },
  });
  new Gauge({
    name: 'gradual_rollouts',
    help: 'Rollouts this replica reconciled, by their last phase.',
    labelNames: ['phase'],
    registers: [registry],
    collect() {
      this.reset();
      const counts = new Map<string, number>();
      for (const phase of phases.values()) counts.set(phase, (counts.get(phase) ?? 0) + 1);
      for (const [phase, count] of counts) this.set({ phase }, count);
    },
  });
  return {
    registry,
    reconciled(outcome, seconds) {
      total.inc({ result: outcome });
      if (outcome === 'error') errors.inc();
      duration.observe(seconds);
    },
    phase(key, phase) {
      if (phase === undefined) phases.delete(key);
      else phases.set(key, phase);
    },
  };
}
