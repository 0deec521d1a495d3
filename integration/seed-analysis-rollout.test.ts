// The seed's rollout-analysis.yaml with its success-rate AnalysisTemplate, end to end through the
// core runner and @gradual/analysis, on the fake clock. The provider is scripted (the Prometheus
// provider against a real server is proven in prometheus-seed.test.ts): this test is about what
// the verdicts do to the rollout.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createAnalysisRunner } from '@gradual/analysis';
import { createRollout, parseRollout, type RolloutEvent } from '@gradual/core';
import { createFakeClock, createMemoryRouter, createScriptedProvider } from '@gradual/core/testing';
import { describe, expect, it } from 'vitest';

const seed = (name: string) => readFileSync(fileURLToPath(new URL(`../examples/manifests/${name}`, import.meta.url)), 'utf8');

function setup(successRate: number) {
  const clock = createFakeClock({ start: 0, auto: true });
  const router = createMemoryRouter();
  const provider = createScriptedProvider({ type: 'prometheus', script: () => ({ value: [successRate] }) });
  const analysis = createAnalysisRunner({ templates: [seed('analysistemplate-success-rate.yaml')], providers: [provider] });
  const spec = parseRollout(seed('rollout-analysis.yaml'));
  const events: RolloutEvent[] = [];
  const rollout = createRollout({ spec, router, analysis, clock, stableRevision: 'stable-rev' });
  rollout.on((event) => events.push(event));
  return { clock, router, provider, rollout, spec, events };
}

describe('seed rollout-analysis.yaml with the success-rate template', () => {
  it('promotes a healthy canary while the background analysis measures every 10 s', async () => {
    const { router, provider, rollout, spec } = setup(0.99);
    const result = await rollout.run();
    expect(result.outcome).toBe('Promoted');
    expect(router.history.map((s) => s.canaryWeight)).toEqual([30, 40, 60, 80, 90, 100, 0]);
    expect(router.current.stableRevision).toBe(spec.revision);
    // 55 s of pauses, one measurement at the start and one every 10 s after.
    expect(provider.measured.length).toBe(6);
    // The seed's query with {{args.service-name}} substituted.
    const query = (provider.measured[0]?.provider.prometheus as { query: string }).query;
    expect(query).toContain('destination_service=~"rollouts-demo-canary.canary.svc.cluster.local"');
    expect(query).not.toContain('{{');
  });

  it('aborts on the third failed measurement (failureLimit 2), 20 s after the first, traffic back on stable', async () => {
    const { clock, router, provider, rollout, events } = setup(0.9);
    const result = await rollout.run();
    expect(result.outcome).toBe('Aborted');
    expect(provider.measured.length).toBe(3);
    expect(clock.now()).toBe(20_000);
    expect(result.status.abortMessage).toMatch(
      /^Background analysis phase failed: Metric "success-rate" assessed Failed due to failed \(3\) > failureLimit \(2\)/,
    );
    expect(router.current).toMatchObject({ canaryWeight: 0, stableRevision: 'stable-rev', headerRoutes: [], mirrorRoutes: [] });
    expect(events.filter((e) => e.type === 'Warning').map((e) => e.reason)).toContain('RolloutAborted');
  });

  it('resumes a half-finished analysis from JSON and reaches the same verdict', async () => {
    const first = setup(0.9);
    const controller = new AbortController();
    let measured = 0;
    const handle = createRollout({
      spec: first.spec,
      router: first.router,
      analysis: createAnalysisRunner({
        templates: [seed('analysistemplate-success-rate.yaml')],
        providers: [createScriptedProvider({ type: 'prometheus', script: () => ({ value: [0.9] }) })],
      }),
      clock: first.clock,
      stableRevision: 'stable-rev',
      signal: controller.signal,
      onProgress: ({ intent }) => {
        if (intent?.type === 'reconcileAnalysis' && ++measured === 2) controller.abort();
      },
    });
    await expect(handle.run()).rejects.toThrow(/cancelled/);
    const saved = JSON.parse(JSON.stringify(handle.status));
    const provider = createScriptedProvider({ type: 'prometheus', script: () => ({ value: [0.9] }) });
    const resumed = await createRollout({
      spec: first.spec,
      router: first.router,
      analysis: createAnalysisRunner({ templates: [seed('analysistemplate-success-rate.yaml')], providers: [provider] }),
      clock: first.clock,
      status: saved,
    }).run();
    expect(resumed.outcome).toBe('Aborted');
    // Two measurements happened before the stop; the resumed run needed only the third.
    expect(provider.measured.length).toBe(1);
    expect(first.clock.now()).toBe(20_000);
  });
});
