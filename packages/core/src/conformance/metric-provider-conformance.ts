import { describe, it } from 'vitest';
import { systemClock } from '../clock/clock.js';
import type { AnalysisMetric, MetricProvider } from '../contracts/metric-provider.js';
import { CancelledError } from '../errors/cancelled-error.js';
import { GradualError } from '../errors/gradual-error.js';
import { callOptions } from './call-options-for-tests.js';
import { ContractViolation, expectRule, show } from './contract-rule.js';
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
  slow?: AnalysisMetric | undefined;
}

export interface MetricProviderConformanceOptions {
  name: string;
  /** A fresh provider and its fixtures for each case. */
  create: () => Promise<{
    provider: MetricProvider;
    fixtures: MetricProviderFixtures;
    /** Credentials the fixtures carry; no error message may contain them. */
    secrets?: string[] | undefined;
    cleanup?: (() => Promise<void>) | undefined;
  }>;
  /** Cases the adapter cannot run, each with the reason. */
  skip?: Partial<Record<MetricProviderConformanceCase, string>> | undefined;
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
          throw new ContractViolation(`this call must reject; it resolved to ${show(value)}`);
        },
        (error: unknown) => error,
      );

    conformance('contract', async () => {
      const { provider } = await fresh();
      expectRule(
        provider.specificationVersion === 'v1',
        "specificationVersion must be 'v1'",
        () => `it is ${show(provider.specificationVersion)}`,
      );
      expectRule(
        typeof provider.type === 'string' && /^[a-zA-Z][\w-]*$/.test(provider.type),
        'type must be the key under metric.provider (a letter, then letters, digits, _ or -)',
        () => `it is ${show(provider.type)}`,
      );
    });

    conformance('measures', async () => {
      const { provider, fixtures } = await fresh();
      const measurement = await provider.measure(fixtures.ok, callOptions());
      expectRule(
        measurement?.value !== undefined,
        'measure() of a measurable metric must resolve to a measurement with a value',
        () => `it resolved to ${show(measurement)}`,
      );
      // The value is persisted in the rollout status: it must be JSON.
      const roundTrip = JSON.stringify(measurement.value);
      expectRule(
        roundTrip !== undefined && JSON.stringify(JSON.parse(roundTrip)) === roundTrip,
        'measurement.value must survive JSON (it is persisted in the rollout status)',
        () => `the value ${String(measurement.value)} does not`,
      );
      expectRule(
        measurement.display === undefined || typeof measurement.display === 'string',
        'measurement.display must be a string when present',
        () => `it is ${show(measurement.display)}`,
      );
      for (const [key, value] of Object.entries(measurement.metadata ?? {})) {
        expectRule(
          typeof value === 'string',
          'every measurement.metadata value must be a string',
          () => `metadata.${key} is ${show(value)}`,
        );
      }
    });

    conformance('measures concurrently', async () => {
      const { provider, fixtures } = await fresh();
      // Ten calls at once all succeed (no shared state that one call corrupts for another); their values
      // may differ (latency, a live counter), so only their shape is compared.
      const results = await Promise.all(Array.from({ length: 10 }, () => provider.measure(fixtures.ok, callOptions())));
      const shape = (value: unknown) => (Array.isArray(value) ? `array of ${value.length}` : typeof value);
      for (const [index, result] of results.entries()) {
        expectRule(
          shape(result.value) === shape(results[0]?.value),
          'ten concurrent measure() calls of one metric must all resolve to values of one shape',
          () => `call 0 gave ${shape(results[0]?.value)}, call ${index} gave ${shape(result.value)}`,
        );
      }
    });

    conformance('reports failure as ProviderError', async () => {
      const { provider, fixtures } = await fresh();
      const error = await failure(provider.measure(fixtures.broken, callOptions()));
      expectRule(
        GradualError.isInstance(error),
        'measure() of a metric it cannot measure must reject with a GradualError (a ProviderError)',
        () => `it rejected with ${show(error)}`,
      );
      expectRule(
        !CancelledError.isCancellation(error),
        'a failed measurement must not reject as a cancellation (cancellations are not counted as errors)',
        () => `it rejected with ${show(error)}`,
      );
      expectRule(
        (error as Error).message.length > 10,
        'the error message must say what failed',
        () => `the message is ${show((error as Error).message)}`,
      );
    });

    conformance('keeps secrets out of errors', async (context) => {
      const { provider, fixtures, secrets = [] } = await fresh();
      if (secrets.length === 0) {
        context.skip('the fixtures carry no secrets');
        return;
      }
      const error = await failure(provider.measure(fixtures.broken, callOptions()));
      const text = `${(error as Error).message} ${String((error as Error).stack)} ${JSON.stringify(error)}`;
      for (const [index, secret] of secrets.entries()) {
        expectRule(
          !text.includes(secret),
          'no credential may appear in an error (message, stack or JSON)',
          () => `secret #${index} appears in: ${(error as Error).message.slice(0, 200).replaceAll(secret, '<the secret>')}`,
        );
      }
    });

    conformance('refuses an aborted signal', async () => {
      const { provider, fixtures } = await fresh();
      const controller = new AbortController();
      controller.abort(new Error('stop'));
      const error = await failure(provider.measure(fixtures.ok, callOptions({ signal: controller.signal })));
      expectRule(
        CancelledError.isCancellation(error),
        'measure() with an aborted signal must reject with a cancellation',
        () => `it rejected with ${show(error)}`,
      );
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
      expectRule(
        CancelledError.isCancellation(error),
        'measure() must reject with a cancellation promptly (within 2 s) when its signal aborts mid-call',
        () => (typeof error === 'string' ? `it was ${error}` : `it rejected with ${show(error)}`),
      );
    });

    conformance('validates its own metric', async (context) => {
      const { provider, fixtures } = await fresh();
      if (!provider.validate) {
        context.skip('the provider has no validate()');
        return;
      }
      const issues = provider.validate(fixtures.ok);
      expectRule(
        Array.isArray(issues) && issues.length === 0,
        'validate() of a measurable metric must return no issues',
        () => `it returned ${show(issues)}`,
      );
    });
  });
}
