import { describe, expect, it } from 'vitest';
import { systemClock } from '../clock/clock.js';
import type { AnalysisMetric, MetricProvider } from '../contracts/metric-provider.js';
import { CancelledError } from '../errors/cancelled-error.js';
import { GradualError } from '../errors/gradual-error.js';
import { callOptions } from './call-options-for-tests.js';
import { freshPerCase } from './fresh-per-case.js';

/** Names of the cases in the metric-provider conformance suite; keys of `skip`. */
export type MetricProviderConformanceCase =
  | 'contract'
  | 'measures'
  | 'measures concurrently'
  | 'reports failure as ProviderError'
  | 'keeps secrets out of errors'
  | 'refuses an aborted signal'
  | 'cancels a call in flight'
  | 'validates its own metric';

export interface MetricProviderFixtures {
  /** A metric the provider measures successfully. */
  ok: AnalysisMetric;
  /** A metric the provider cannot measure (bad query, server error, unreachable). */
  broken: AnalysisMetric;
  /** A metric whose measurement takes long enough to be cancelled (a server that never answers). */
  slow?: AnalysisMetric;
}

export interface MetricProviderConformanceOptions {
  name: string;
  /** A fresh provider and its fixtures for each case. */
  create: () => Promise<{
    provider: MetricProvider;
    fixtures: MetricProviderFixtures;
    /** Credentials the fixtures carry; no error message may contain them. */
    secrets?: string[];
    cleanup?: () => Promise<void>;
  }>;
  /** Cases the adapter cannot run, each with the reason. */
  skip?: Partial<Record<MetricProviderConformanceCase, string>>;
}

/**
 * The suite every MetricProvider must pass. Run it from a vitest file:
 * `describeMetricProviderConformance({ name: 'my-provider', create })`.
 */
export function describeMetricProviderConformance(options: MetricProviderConformanceOptions): void {
  describe(`MetricProvider conformance: ${options.name}`, () => {
    const fresh = freshPerCase(options.create);
    const conformance = (
      name: MetricProviderConformanceCase,
      body: (context: { skip: (note?: string) => void }) => Promise<void>,
    ) => {
      const reason = options.skip?.[name];
      if (reason) it.skip(`${name} (skipped: ${reason})`, () => {});
      else it(name, (context) => body(context));
    };
    const failure = (promise: Promise<unknown>) =>
      promise.then(
        (value) => {
          throw new Error(`expected a rejection, got ${JSON.stringify(value)}`);
        },
        (error: unknown) => error,
      );

    conformance('contract', async () => {
      const { provider } = await fresh();
      expect(provider.specificationVersion).toBe('v1');
      expect(typeof provider.type).toBe('string');
      expect(provider.type).toMatch(/^[a-zA-Z][\w-]*$/);
    });

    conformance('measures', async () => {
      const { provider, fixtures } = await fresh();
      const measurement = await provider.measure(fixtures.ok, callOptions());
      expect(measurement.value).not.toBeUndefined();
      // The value is persisted in the rollout status: it must be JSON.
      expect(JSON.parse(JSON.stringify(measurement.value))).toEqual(measurement.value);
      if (measurement.display !== undefined) expect(typeof measurement.display).toBe('string');
      for (const value of Object.values(measurement.metadata ?? {})) expect(typeof value).toBe('string');
    });

    conformance('measures concurrently', async () => {
      const { provider, fixtures } = await fresh();
      // Ten calls at once all succeed (no shared state that one call corrupts for another); their values
      // may differ (latency, a live counter), so only their shape is compared.
      const results = await Promise.all(Array.from({ length: 10 }, () => provider.measure(fixtures.ok, callOptions())));
      expect(results).toHaveLength(10);
      const shape = (value: unknown) => (Array.isArray(value) ? `array of ${value.length}` : typeof value);
      for (const result of results) expect(shape(result.value)).toBe(shape(results[0]?.value));
    });

    conformance('reports failure as ProviderError', async () => {
      const { provider, fixtures } = await fresh();
      const error = await failure(provider.measure(fixtures.broken, callOptions()));
      expect(GradualError.isInstance(error), `a GradualError, got ${String(error)}`).toBe(true);
      expect(CancelledError.isCancellation(error)).toBe(false);
      expect((error as Error).message.length).toBeGreaterThan(10);
    });

    conformance('keeps secrets out of errors', async (context) => {
      const { provider, fixtures, secrets = [] } = await fresh();
      if (secrets.length === 0) {
        context.skip('the fixtures carry no secrets');
        return;
      }
      const error = await failure(provider.measure(fixtures.broken, callOptions()));
      const text = `${(error as Error).message} ${String((error as Error).stack)} ${JSON.stringify(error)}`;
      for (const secret of secrets) expect(text).not.toContain(secret);
    });

    conformance('refuses an aborted signal', async () => {
      const { provider, fixtures } = await fresh();
      const controller = new AbortController();
      controller.abort(new Error('stop'));
      const error = await failure(provider.measure(fixtures.ok, callOptions({ signal: controller.signal })));
      expect(CancelledError.isCancellation(error), `a cancellation, got ${String(error)}`).toBe(true);
    });

    conformance('cancels a call in flight', async (context) => {
      const { provider, fixtures } = await fresh();
      if (!fixtures.slow) {
        context.skip('no slow fixture');
        return;
      }
      const controller = new AbortController();
      const pending = failure(provider.measure(fixtures.slow, callOptions({ signal: controller.signal })));
      await new Promise((resolve) => setImmediate(resolve));
      controller.abort(new Error('stop'));
      // Prompt means: well before any provider timeout could have fired.
      const deadline = new AbortController();
      const error = await Promise.race([
        pending,
        systemClock.sleep(2000, deadline.signal).then(
          () => 'still pending 2 s after abort',
          () => 'deadline cancelled',
        ),
      ]);
      deadline.abort();
      expect(CancelledError.isCancellation(error), `a cancellation, got ${String(error)}`).toBe(true);
    });

    conformance('validates its own metric', async (context) => {
      const { provider, fixtures } = await fresh();
      if (!provider.validate) {
        context.skip('the provider has no validate()');
        return;
      }
      expect(provider.validate(fixtures.ok)).toEqual([]);
    });
  });
}
