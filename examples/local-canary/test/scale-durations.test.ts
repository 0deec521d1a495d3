import { parseDuration, parseRollout } from '@gradual/core';
import { describe, expect, it } from 'vitest';
import { adaptTemplate } from '../src/demo/adapt-template.js';
import { loadManifests } from '../src/demo/load-manifests.js';
import { scaleRolloutDurations, scaleTemplateDurations } from '../src/demo/scale-durations.js';

const pauses = (rollout: Record<string, unknown>) =>
  parseRollout(rollout)
    .strategy.canary!.steps.filter((step) => 'pause' in step)
    .map((step) => ('pause' in step ? parseDuration(step.pause.duration ?? 0) : 0));

describe('--speed scales the manifests', () => {
  it('divides the seed pauses (20s, 10s, 10s, 5s, 5s, 5s), in whole seconds and at least 1 s as Argo counts them', () => {
    const { rollout } = loadManifests('canary');
    expect(pauses(rollout)).toEqual([20_000, 10_000, 10_000, 5_000, 5_000, 5_000]);
    expect(pauses(scaleRolloutDurations(rollout, 10))).toEqual([2_000, 1_000, 1_000, 1_000, 1_000, 1_000]);
    expect(pauses(scaleRolloutDurations(rollout, 5))).toEqual([4_000, 2_000, 2_000, 1_000, 1_000, 1_000]);
    expect(pauses(scaleRolloutDurations(rollout, 1))).toEqual([20_000, 10_000, 10_000, 5_000, 5_000, 5_000]);
    // The input is not touched.
    expect(pauses(rollout)[0]).toBe(20_000);
  });

  it('divides the metric interval in milliseconds, and keeps the revision', () => {
    const { rollout, template } = loadManifests('canary');
    const scaled = scaleTemplateDurations(template, 20) as { spec: { metrics: { interval: string }[] } };
    expect(scaled.spec.metrics[0]?.interval).toBe('500ms');
    expect(parseRollout(scaleRolloutDurations(rollout, 20)).revision).toBe(parseRollout(rollout).revision);
  });

  it('adapts only the provider block of the seed template', () => {
    const { template } = loadManifests('canary');
    const local = adaptTemplate(template, { kind: 'localProxy', metricsUrl: 'http://127.0.0.1:9/metrics' }) as {
      spec: { metrics: Record<string, unknown>[] };
    };
    const seed = template as { spec: { metrics: Record<string, unknown>[] } };
    const { provider: _, ...rest } = local.spec.metrics[0]!;
    const { provider: __, ...seedRest } = seed.spec.metrics[0]!;
    expect(rest).toEqual(seedRest);
    expect(local.spec.metrics[0]?.provider).toEqual({
      localProxy: { address: 'http://127.0.0.1:9/metrics', service: '{{args.service-name}}', window: '10s' },
    });
    const prometheus = adaptTemplate(template, { kind: 'prometheus', address: 'http://127.0.0.1:9' }) as {
      spec: { metrics: { provider: { prometheus: { query: string } } }[] };
    };
    expect(prometheus.spec.metrics[0]?.provider.prometheus.query).toContain('demo_proxy_requests_total{destination_service=~');
  });
});
