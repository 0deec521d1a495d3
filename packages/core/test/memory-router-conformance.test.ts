import { noopLogger, systemClock } from '@gradual/core';
import { describeTrafficRouterConformance } from '@gradual/core/conformance';
import { createMemoryRouter } from '@gradual/core/testing';
import { describe, expect, it } from 'vitest';

describeTrafficRouterConformance({
  name: 'memory router',
  create: async () => ({ router: createMemoryRouter() }),
});

describeTrafficRouterConformance({
  name: 'memory router without header, mirror or experiment support',
  create: async () => ({
    router: createMemoryRouter({ capabilities: { headerRoutes: false, mirrorRoutes: false, experiments: false } }),
  }),
});

describeTrafficRouterConformance({
  name: 'memory router that keeps no record',
  create: async () => ({ router: createMemoryRouter({ record: false }) }),
});

describe('memory router record: false', () => {
  it('applies and reads back as the recording one does, but keeps neither history nor calls', async () => {
    const router = createMemoryRouter({ record: false });
    const options = { signal: new AbortController().signal, clock: systemClock, logger: noopLogger };
    const state = {
      canaryWeight: 30,
      stableRevision: 's',
      canaryRevision: 'c',
      headerRoutes: [],
      mirrorRoutes: [],
      experiments: [],
    };
    expect(await router.apply(state, options)).toEqual({ changed: true });
    expect(await router.apply(state, options)).toEqual({ changed: false });
    expect(router.current.canaryWeight).toBe(30);
    expect(router.history).toEqual([]);
    expect(router.calls).toEqual([]);
  });
});
