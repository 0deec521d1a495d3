// Findings of the last review: hostile YAML, malformed address credentials, and run state size.
import { createAnalysisRunner, createWebProvider, parseAnalysisTemplate } from '@gradual/analysis';
import { ProviderError, ValidationError } from '@gradual/core';
import { createFakeClock, createScriptedProvider } from '@gradual/core/testing';
import { describe, expect, it } from 'vitest';

describe('final review findings', () => {
  it('an alias bomb in a template is a ValidationError', () => {
    const levels = ['a: &a [x, x, x, x, x, x, x, x, x]'];
    for (let i = 1; i < 6; i++) {
      const name = String.fromCharCode(97 + i);
      levels.push(
        `${name}: &${name} [${Array(9)
          .fill(`*${String.fromCharCode(96 + i)}`)
          .join(', ')}]`,
      );
    }
    const text = `kind: AnalysisTemplate\nmetadata:\n  name: bomb\n  labels:\n${levels.map((l) => `    ${l}`).join('\n')}\nspec:\n  metrics: []\n`;
    expect(() => parseAnalysisTemplate(text)).toThrow(ValidationError);
  });

  it('a malformed percent-escape in a web url is a ProviderError', async () => {
    const provider = createWebProvider();
    const error = await provider
      .measure(
        { name: 'm', provider: { web: { url: 'http://u:p%zz@127.0.0.1:9/x' } } },
        { signal: new AbortController().signal, clock: createFakeClock() },
      )
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProviderError);
    expect((error as Error).message).toContain('not valid percent-encoding');
  });

  it('a huge error message is cut before it is stored in the run state', async () => {
    const huge = 'x'.repeat(200_000);
    const template = parseAnalysisTemplate({
      kind: 'AnalysisTemplate',
      metadata: { name: 't' },
      spec: { metrics: [{ name: 'm', successCondition: 'asFloat(result) >= 0.9', provider: { scripted: {} } }] },
    });
    const runner = createAnalysisRunner({
      templates: [template],
      providers: [createScriptedProvider({ script: { m: [{ value: huge }] } })],
    });
    const options = { signal: new AbortController().signal, clock: createFakeClock() };
    let run = await runner.start({ name: 'r', kind: 'step', templates: [{ templateName: 't' }], args: [] }, options);
    run = await runner.reconcile(run, options);
    expect(JSON.stringify(run).length).toBeLessThan(20_000);
  });
});
