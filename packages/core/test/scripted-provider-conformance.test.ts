import { noopLogger, systemClock } from '@gradual/core';
import { describeMetricProviderConformance } from '@gradual/core/conformance';
import { createScriptedProvider } from '@gradual/core/testing';
import { describe, expect, it } from 'vitest';

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

describe('scripted provider record: false', () => {
  it('answers from its script but keeps no metric measured', async () => {
    const provider = createScriptedProvider({ script: { ok: [{ value: 1 }, { value: 2 }] }, record: false });
    const options = { signal: new AbortController().signal, clock: systemClock, logger: noopLogger };
    const metric = { name: 'ok', provider: { scripted: {} } };
    expect((await provider.measure(metric, options)).value).toBe(1);
    expect((await provider.measure(metric, options)).value).toBe(2);
    expect(provider.measured).toEqual([]);
  });
});
