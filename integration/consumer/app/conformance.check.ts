// Run by consumer.test.ts (vitest, include *.check.ts) with vitest installed next to the packed packages: the conformance
// suites work from @gradual/core/conformance as an adapter author gets them.
import { describeMetricProviderConformance, describeTrafficRouterConformance } from '@gradual/core/conformance';
import { createMemoryRouter, createScriptedProvider } from '@gradual/core/testing';

describeTrafficRouterConformance({ name: 'memory router', create: async () => ({ router: createMemoryRouter() }) });
describeMetricProviderConformance({
  name: 'scripted provider',
  create: async () => ({
    provider: createScriptedProvider({ script: { ok: [{ value: [1] }], broken: [{ error: 'no such series' }] } }),
    fixtures: { ok: { name: 'ok', provider: { scripted: {} } }, broken: { name: 'broken', provider: { scripted: {} } } },
  }),
});
