import { describeTrafficRouterConformance } from '@gradual/core/conformance';
import { startRoutingFixture } from './support/start-routing-fixture.js';

// The demo's router over a real proxy on loopback. `experiments` is declared
// unsupported (the suite skips it for that reason, as the engine refuses such plans).
describeTrafficRouterConformance({
  name: 'local-proxy (examples/local-canary)',
  create: async () => {
    const fixture = await startRoutingFixture();
    return { router: fixture.router, cleanup: () => fixture.close() };
  },
});
