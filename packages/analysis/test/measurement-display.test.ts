import type { AnalysisRunRequest, JsonValue, MetricProvider } from '@gradual/core';
import { createFakeClock } from '@gradual/core/testing';
import { describe, expect, it } from 'vitest';
import { createAnalysisRunner } from '../src/index.js';
import type { AnalysisRunData } from '../src/run/run-types.js';

// A measurement's value is kept as text. JSON has no NaN or infinities; they are written as Argo prints them.
const template = `
apiVersion: argoproj.io/v1alpha1
kind: AnalysisTemplate
metadata: { name: shown }
spec:
  metrics:
    - name: shown
      interval: 10s
      successCondition: "true"
      provider: { prometheus: { address: http://prometheus:9090, query: up } }
`;
const request: AnalysisRunRequest = { name: 'shown-1', kind: 'background', templates: [{ templateName: 'shown' }], args: [] };

async function displayed(value: JsonValue): Promise<string | undefined> {
  const clock = createFakeClock({ start: Date.parse('2026-01-01T00:00:00.000Z') });
  // No `display` of its own (the scripted provider writes one): the runner writes the text.
  const provider: MetricProvider = { specificationVersion: 'v1', type: 'prometheus', measure: async () => ({ value }) };
  const runner = createAnalysisRunner({ templates: [template], providers: [provider] });
  const options = { signal: new AbortController().signal, clock };
  const run = await runner.reconcile(await runner.start(request, options), options);
  return (run.data as unknown as AnalysisRunData).metricResults[0]?.measurements[0]?.value;
}

describe('a measured value as text', () => {
  it('is its JSON when every number is finite', async () => {
    expect(await displayed([0.99, 1])).toBe('[0.99,1]');
    expect(await displayed({ p99: 210, labels: { pod: 'a' } })).toBe('{"p99":210,"labels":{"pod":"a"}}');
  });

  it('writes NaN and infinities at any depth instead of the null JSON would write', async () => {
    expect(await displayed([Number.NaN])).toBe('["NaN"]');
    expect(await displayed({ a: [1, { b: Number.POSITIVE_INFINITY }], c: Number.NEGATIVE_INFINITY })).toBe(
      '{"a":[1,{"b":"+Inf"}],"c":"-Inf"}',
    );
  });
});
