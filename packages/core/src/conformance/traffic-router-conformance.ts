import { describe, expect, it } from 'vitest';
import type { TrafficRouter } from '../contracts/traffic-router.js';
import type { TrafficState } from '../contracts/traffic-state.js';
import { CancelledError } from '../errors/cancelled-error.js';
import { callOptions } from './call-options-for-tests.js';
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
  create: () => Promise<{ router: TrafficRouter; cleanup?: () => Promise<void> }>;
  /** Cases the adapter cannot run, each with the reason (shown in the test name). */
  skip?: Partial<Record<TrafficRouterConformanceCase, string>>;
}

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
      for (const field of fields) expect(observed[field], `observe().${field}`).toEqual(expected[field]);
    };

    conformance('contract', async () => {
      const router = await fresh();
      expect(router.specificationVersion).toBe('v1');
      expect(typeof router.name).toBe('string');
      expect(router.name.length).toBeGreaterThan(0);
      const { capabilities } = router;
      expect(typeof capabilities.headerRoutes).toBe('boolean');
      expect(typeof capabilities.mirrorRoutes).toBe('boolean');
      expect(typeof capabilities.experiments).toBe('boolean');
      expect(capabilities.weightGranularity).toBeGreaterThan(0);
      expect(100 % capabilities.weightGranularity).toBe(0);
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
      expect(first.changed).toBe(true);
      const second = await router.apply(desired, callOptions());
      expect(second.changed).toBe(false);
      await expectObserved(router, desired, ['canaryWeight']);
    });

    conformance('promotion by revision', async () => {
      const router = await fresh();
      await router.apply({ ...base, canaryWeight: 100 }, callOptions());
      // The canary becomes stable: all traffic on the new revision through the stable destination.
      const promoted = { ...base, canaryWeight: 0, stableRevision: 'rev-canary', canaryRevision: 'rev-canary' };
      const result = await router.apply(promoted, callOptions());
      expect(typeof result.changed).toBe('boolean');
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
        expect((await router.apply(withRoute, callOptions())).changed).toBe(true);
        await expectObserved(router, withRoute, ['headerRoutes', 'canaryWeight']);
        expect((await router.apply(withRoute, callOptions())).changed).toBe(false);
        expect((await router.apply(base, callOptions())).changed).toBe(true);
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
        expect((await router.apply(withMirror, callOptions())).changed).toBe(true);
        await expectObserved(router, withMirror, ['mirrorRoutes', 'canaryWeight']);
        expect((await router.apply(withMirror, callOptions())).changed).toBe(false);
        expect((await router.apply(base, callOptions())).changed).toBe(true);
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
        expect((await router.apply(withExperiments, callOptions())).changed).toBe(true);
        await expectObserved(router, withExperiments, ['canaryWeight']);
        if (router.observe) {
          const observed = await router.observe(callOptions());
          expect(observed.experiments.map((e) => e.weight).sort()).toEqual([5, 5]);
        }
        expect((await router.apply(base, callOptions())).changed).toBe(true);
        if (router.observe) expect((await router.observe(callOptions())).experiments).toEqual([]);
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
      expect(error, 'apply with an aborted signal must reject').toBeDefined();
      expect(CancelledError.isCancellation(error), `rejects as a cancellation, got ${String(error)}`).toBe(true);
      // Nothing was written: the same state still applies as a change.
      expect((await router.apply(desired, callOptions())).changed).toBe(true);
    });
  });
}
