import { describe, it } from 'vitest';
import type { TrafficRouter } from '../contracts/traffic-router.js';
import type { TrafficState } from '../contracts/traffic-state.js';
import { CancelledError } from '../errors/cancelled-error.js';
import { callOptions } from './call-options-for-tests.js';
import { expectRule, show } from './contract-rule.js';
import { freshPerCase } from './fresh-per-case.js';

/** Names of the cases in the traffic-router conformance suite; keys of `skip`. */
export type TrafficRouterConformanceCase =
  | 'contract'
  | 'applies weights'
  | 'idempotent apply'
  | 'promotion by revision'
  | 'header routes'
  | 'mirror routes'
  | 'experiments'
  | 'cancellation';

export interface TrafficRouterConformanceOptions {
  /** Shown in the suite title. */
  name: string;
  /** A fresh router over a fresh data plane (stable 100%, no managed routes) for each case. */
  create: () => Promise<{ router: TrafficRouter; cleanup?: (() => Promise<void>) | undefined }>;
  /** Cases the adapter cannot run, each with the reason (shown in the test name). */
  skip?: Partial<Record<TrafficRouterConformanceCase, string>> | undefined;
}

const expectChanged = (result: { changed: boolean } | undefined, expected: boolean, state: string) =>
  expectRule(
    result?.changed === expected,
    expected
      ? `apply() of ${state} over a different data plane must return changed:true`
      : `apply() of ${state} again must return changed:false`,
    () => `it returned ${show(result)}`,
  );

const base: TrafficState = {
  canaryWeight: 0,
  stableRevision: 'rev-stable',
  canaryRevision: 'rev-canary',
  headerRoutes: [],
  mirrorRoutes: [],
  experiments: [],
};

/**
 * The suite every TrafficRouter must pass. Run it from a vitest file:
 * `describeTrafficRouterConformance({ name: 'my-router', create })`.
 * Where the router has `observe`, every case also checks what it reads back.
 */
export function describeTrafficRouterConformance(options: TrafficRouterConformanceOptions): void {
  describe(`TrafficRouter conformance: ${options.name}`, () => {
    const create = freshPerCase(options.create);
    const fresh = async () => (await create()).router;
    const conformance = (
      name: TrafficRouterConformanceCase,
      body: () => Promise<void>,
      needs?: (r: TrafficRouter) => string | undefined,
    ) => {
      const reason = options.skip?.[name];
      if (reason) {
        it.skip(`${name} (skipped: ${reason})`, body);
        return;
      }
      it(name, async (context) => {
        if (needs) {
          const missing = needs(await fresh());
          // A capability the router declares absent is not a failure: the engine refuses such plans before step 1.
          if (missing) {
            context.skip(`router declares ${missing}`);
            return;
          }
        }
        await body();
      });
    };
    const expectObserved = async (router: TrafficRouter, expected: TrafficState, fields: (keyof TrafficState)[]) => {
      if (!router.observe) return;
      const observed = await router.observe(callOptions());
      for (const field of fields) {
        expectRule(
          show(observed[field]) === show(expected[field]),
          `observe() must read back what apply() wrote: ${field} ${show(expected[field])}`,
          () => `observe().${field} returned ${show(observed[field])}`,
        );
      }
    };

    conformance('contract', async () => {
      const router = await fresh();
      expectRule(
        router.specificationVersion === 'v1',
        "specificationVersion must be 'v1'",
        () => `it is ${show(router.specificationVersion)}`,
      );
      expectRule(
        typeof router.name === 'string' && router.name.length > 0,
        'name must be a non-empty string',
        () => `it is ${show(router.name)}`,
      );
      const capabilities = router.capabilities ?? {};
      for (const flag of ['headerRoutes', 'mirrorRoutes', 'experiments'] as const) {
        expectRule(
          typeof capabilities[flag] === 'boolean',
          `capabilities.${flag} must be a boolean`,
          () => `it is ${show(capabilities[flag])}`,
        );
      }
      const g = capabilities.weightGranularity;
      expectRule(
        typeof g === 'number' && g > 0 && 100 % g === 0,
        'capabilities.weightGranularity must be a positive divisor of 100',
        () => `it is ${show(g)}`,
      );
    });

    conformance('applies weights', async () => {
      const router = await fresh();
      const g = router.capabilities.weightGranularity;
      for (const weight of [20, 50, 100, 0].map((w) => Math.round(w / g) * g)) {
        const desired = { ...base, canaryWeight: weight };
        await router.apply(desired, callOptions());
        await expectObserved(router, desired, ['canaryWeight']);
      }
    });

    conformance('idempotent apply', async () => {
      const router = await fresh();
      const desired = {
        ...base,
        canaryWeight: Math.round(30 / router.capabilities.weightGranularity) * router.capabilities.weightGranularity,
      };
      const first = await router.apply(desired, callOptions());
      expectRule(
        first?.changed === true,
        'apply() of a state that differs from the data plane must return changed:true',
        () => `the first call returned ${show(first)}`,
      );
      const second = await router.apply(desired, callOptions());
      expectRule(
        second?.changed === false,
        'apply() of the same state twice must return changed:false',
        () => `the second call returned ${show(second)}`,
      );
      await expectObserved(router, desired, ['canaryWeight']);
    });

    conformance('promotion by revision', async () => {
      const router = await fresh();
      await router.apply({ ...base, canaryWeight: 100 }, callOptions());
      // The canary becomes stable: all traffic on the new revision through the stable destination.
      const promoted = { ...base, canaryWeight: 0, stableRevision: 'rev-canary', canaryRevision: 'rev-canary' };
      const result = await router.apply(promoted, callOptions());
      expectRule(
        typeof result?.changed === 'boolean',
        'apply() must resolve to { changed: boolean }',
        () => `it resolved to ${show(result)}`,
      );
      await expectObserved(router, promoted, ['canaryWeight']);
    });

    conformance(
      'header routes',
      async () => {
        const router = await fresh();
        const withRoute: TrafficState = {
          ...base,
          headerRoutes: [{ name: 'header-route', match: [{ headerName: 'end-user', headerValue: { exact: 'Alexandra' } }] }],
        };
        expectChanged(await router.apply(withRoute, callOptions()), true, 'a state with a header route');
        await expectObserved(router, withRoute, ['headerRoutes', 'canaryWeight']);
        expectChanged(await router.apply(withRoute, callOptions()), false, 'a state with a header route');
        expectChanged(await router.apply(base, callOptions()), true, 'the base state (no managed routes)');
        await expectObserved(router, base, ['headerRoutes']);
      },
      (router) => (router.capabilities.headerRoutes ? undefined : 'no header routes'),
    );

    conformance(
      'mirror routes',
      async () => {
        const router = await fresh();
        const withMirror: TrafficState = {
          ...base,
          mirrorRoutes: [{ name: 'mirror-route', percentage: 100, match: [{ method: { exact: 'GET' } }] }],
        };
        expectChanged(await router.apply(withMirror, callOptions()), true, 'a state with a mirror route');
        await expectObserved(router, withMirror, ['mirrorRoutes', 'canaryWeight']);
        expectChanged(await router.apply(withMirror, callOptions()), false, 'a state with a mirror route');
        expectChanged(await router.apply(base, callOptions()), true, 'the base state (no managed routes)');
        await expectObserved(router, base, ['mirrorRoutes']);
      },
      (router) => (router.capabilities.mirrorRoutes ? undefined : 'no mirror routes'),
    );

    conformance(
      'experiments',
      async () => {
        const router = await fresh();
        const withExperiments: TrafficState = {
          ...base,
          experiments: [
            { name: 'baseline', weight: 5, revision: 'rev-stable' },
            { name: 'canary', weight: 5, revision: 'rev-canary' },
          ],
        };
        expectChanged(await router.apply(withExperiments, callOptions()), true, 'a state with two experiments');
        await expectObserved(router, withExperiments, ['canaryWeight']);
        if (router.observe) {
          const observed = await router.observe(callOptions());
          const weights = observed.experiments.map((e) => e.weight).sort();
          expectRule(
            show(weights) === '[5,5]',
            'observe() must read back both experiment destinations at 5% each',
            () => `observe().experiments weights were ${show(weights)}`,
          );
        }
        expectChanged(await router.apply(base, callOptions()), true, 'the base state (no managed routes)');
        if (router.observe) {
          const left = (await router.observe(callOptions())).experiments;
          expectRule(
            left.length === 0,
            'apply() of a state without experiments must remove their destinations',
            () => `observe().experiments returned ${show(left)}`,
          );
        }
      },
      (router) => (router.capabilities.experiments ? undefined : 'no experiments'),
    );

    conformance('cancellation', async () => {
      const router = await fresh();
      const controller = new AbortController();
      controller.abort(new Error('stop'));
      const desired = { ...base, canaryWeight: 100 };
      const error = await router.apply(desired, callOptions({ signal: controller.signal })).then(
        () => undefined,
        (e: unknown) => e,
      );
      expectRule(error !== undefined, 'apply() with an aborted signal must reject', () => 'it resolved');
      expectRule(
        CancelledError.isCancellation(error),
        'apply() with an aborted signal must reject with a cancellation (CancelledError or the AbortSignal reason)',
        () => `it rejected with ${show(error)}`,
      );
      // Nothing was written: the same state still applies as a change.
      const after = await router.apply(desired, callOptions());
      expectRule(
        after?.changed === true,
        'apply() with an aborted signal must write nothing',
        () => `applying the same state afterwards returned ${show(after)}, so the cancelled call had written it`,
      );
    });
  });
}
