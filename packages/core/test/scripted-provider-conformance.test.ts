import { describeMetricProviderConformance } from '@gradual/core/conformance';
import { createScriptedProvider } from '@gradual/core/testing';

describeMetricProviderConformance({
  name: 'scripted provider',
  create: async () => ({
    provider: createScriptedProvider({
      script: { ok: [{ value: [0.99] }], broken: [{ error: 'query failed: 503 from prometheus' }], slow: [{ hang: true }] },
    }),
    fixtures: {
      ok: { name: 'ok', provider: { scripted: {} } },
      broken: { name: 'broken', provider: { scripted: {} } },
      slow: { name: 'slow', provider: { scripted: {} } },
    },
  }),
});
