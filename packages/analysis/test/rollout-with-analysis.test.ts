import { readFileSync } from 'node:fs';
import { createRollout } from '@gradual/core';
import { createFakeClock, createMemoryRouter, createScriptedProvider } from '@gradual/core/testing';
import { describe, expect, it } from 'vitest';
import { createAnalysisRunner } from '../src/index.js';

// The seed's rollout (background analysis with the success-rate template) driven by the core
// engine, with this package's runner: the runner contract as the engine uses it.
const rolloutYaml = readFileSync(new URL('./fixtures/rollout-analysis.yaml', import.meta.url), 'utf8');
const templateYaml = readFileSync(new URL('./fixtures/analysistemplate-success-rate.yaml', import.meta.url), 'utf8');

async function roll(value: number) {
  const clock = createFakeClock({ auto: true, start: Date.parse('2026-01-01T00:00:00.000Z') });
  const provider = createScriptedProvider({ type: 'prometheus', script: { 'success-rate': [{ value: [value] }] } });
  const rollout = createRollout({
    spec: rolloutYaml,
    router: createMemoryRouter(),
    analysis: createAnalysisRunner({ templates: [templateYaml], providers: [provider] }),
    clock,
    stableRevision: 'stable0',
  });
  const result = await rollout.run();
  return { result, provider };
}

describe('the seed rollout with background analysis, on the core engine', () => {
  it('promotes when the success rate stays at 0.99', async () => {
    const { result, provider } = await roll(0.99);
    expect(result.outcome).toBe('Promoted');
    expect(provider.measured.length).toBeGreaterThan(3);
  });

  it('aborts on the third failed measurement when the success rate is 0.5', async () => {
    const { result, provider } = await roll(0.5);
    expect(result.outcome).toBe('Aborted');
    expect(result.message).toContain('Metric "success-rate" assessed Failed due to failed (3) > failureLimit (2)');
    expect(provider.measured).toHaveLength(3);
  });
});
