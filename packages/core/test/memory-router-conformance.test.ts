import { describeTrafficRouterConformance } from '@gradual/core/conformance';
import { createMemoryRouter } from '@gradual/core/testing';

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
