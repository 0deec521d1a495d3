import { createAnalysisRunner, parseAnalysisTemplate } from '@gradual/analysis';
import { createFakeClock, createScriptedProvider } from '@gradual/core/testing';
import { expect, it } from 'vitest';

// Argo's own examples (rollout-experiment-step.yaml) write a whole number of seconds.
it('a whole-number interval means seconds', async () => {
  const template = parseAnalysisTemplate({
    kind: 'AnalysisTemplate',
    metadata: { name: 'numeric' },
    spec: { metrics: [{ name: 'm', interval: 5, count: 3, successCondition: 'result == 1', provider: { scripted: {} } }] },
  });
  const runner = createAnalysisRunner({
    templates: [template],
    providers: [createScriptedProvider({ script: { m: [{ value: 1 }] } })],
  });
  const clock = createFakeClock({ start: 0 });
  const options = { signal: new AbortController().signal, clock };
  await runner.validate?.({ name: 'r', kind: 'step', templates: [{ templateName: 'numeric' }], args: [] }, options);
  let run = await runner.start({ name: 'r', kind: 'step', templates: [{ templateName: 'numeric' }], args: [] }, options);
  run = await runner.reconcile(run, options);
  expect(run.nextReconcileAt).toBe(5000);
});
