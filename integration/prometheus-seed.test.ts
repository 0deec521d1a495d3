import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { assessMeasurement, evaluateCondition, parseAnalysisTemplate, runAnalysis, substituteArgs } from '@gradual/analysis';
import type { AnalysisMetric } from '@gradual/core';
import { createFakeClock } from '@gradual/core/testing';
import { createPrometheusProvider } from '@gradual/prometheus';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FIXED_ANCHOR, knownSeries, SERVICES } from '../packages/prometheus/test/support/known-series.js';
import { prometheusSkipNote, skipWithoutPrometheus } from '../packages/prometheus/test/support/prometheus-availability.js';
import { type PrometheusServer, startPrometheus } from '../packages/prometheus/test/support/prometheus-server.js';

// The talk's manifests are the project's own files (examples/manifests).
const seedFile = fileURLToPath(new URL('../examples/manifests/analysistemplate-success-rate.yaml', import.meta.url));
const seedMissing = !existsSync(seedFile);
const anchor = FIXED_ANCHOR;

describe.skipIf(skipWithoutPrometheus || seedMissing)(
  `the seed's success-rate analysis against a real Prometheus${seedMissing ? ` (skipped: ${seedFile} not found)` : prometheusSkipNote}`,
  () => {
    let server: PrometheusServer;
    let template: AnalysisMetric;
    beforeAll(async () => {
      // TLS and basic auth with the seed's own credentials (internal:secret, in the address).
      server = await startPrometheus({ openMetrics: knownSeries(anchor), tls: true, basicAuthUsers: ['internal'] });
      const parsed = parseAnalysisTemplate(readFileSync(seedFile, 'utf8'));
      template = parsed.spec.metrics[0] as AnalysisMetric;
    });
    afterAll(async () => {
      await server?.stop();
    });

    /** The seed's metric for one service, pointed at the test server but otherwise unchanged. */
    const seedMetric = (service: string): AnalysisMetric => {
      const metric = substituteArgs(template, { 'service-name': service });
      const prometheus = metric.provider.prometheus as { address: string };
      const seedAddress = new URL(prometheus.address);
      expect(seedAddress.username).toBe('internal');
      prometheus.address = prometheus.address.replace(seedAddress.host, new URL(server.address).host);
      return metric;
    };

    const measureAndAssess = async (service: string) => {
      const provider = createPrometheusProvider({ tls: { ca: server.certPem as string }, env: {} });
      const metric = seedMetric(service);
      expect(provider.validate(metric)).toEqual([]);
      const measurement = await provider.measure(metric, {
        signal: new AbortController().signal,
        clock: createFakeClock({ start: anchor * 1000 }),
      });
      provider.close();
      return { measurement, metric };
    };

    it('passes the seed condition with 200s at 9.9/s and 500s at 0.1/s ([~0.99])', async () => {
      const { measurement, metric } = await measureAndAssess(SERVICES.healthy);
      expect(measurement.value).toEqual([expect.closeTo(0.99, 6)]);
      expect(metric.successCondition).toBe('len(result) == 0 || result[0] >= 0.95');
      expect(evaluateCondition(metric.successCondition as string, measurement.value)).toBe(true);
      expect(assessMeasurement({ successCondition: metric.successCondition }, measurement.value)).toEqual({
        phase: 'Successful',
      });
    });

    it('fails the seed condition with 500s at 1/s', async () => {
      const { measurement, metric } = await measureAndAssess(SERVICES.failing);
      expect((measurement.value as number[])[0]).toBeLessThan(0.95);
      expect(evaluateCondition(metric.successCondition as string, measurement.value)).toBe(false);
      expect(assessMeasurement({ successCondition: metric.successCondition }, measurement.value)).toEqual({ phase: 'Failed' });
    });

    it('passes with no series at all: [] and len(result) == 0', async () => {
      const { measurement, metric } = await measureAndAssess(SERVICES.absent);
      expect(measurement.value).toEqual([]);
      expect(assessMeasurement({ successCondition: metric.successCondition }, measurement.value)).toEqual({
        phase: 'Successful',
      });
      // Without the guard, Argo's "nil or empty" Error (argo-rollouts #1466).
      expect(assessMeasurement({ successCondition: 'result[0] >= 0.95' }, measurement.value).phase).toBe('Error');
    });

    it('fails a whole analysis run of the seed template (failureLimit 2) on the failing service', async () => {
      const seedHost = 'prometheus.istio-system.svc.cluster.local:9090';
      const yaml = readFileSync(seedFile, 'utf8');
      expect(yaml).toContain(seedHost);
      const provider = createPrometheusProvider({ tls: { ca: server.certPem as string }, env: {} });
      // The data ends at the anchor; the run measures every 10 s of fake time from there (irate's 30 s window still sees it).
      const result = await runAnalysis({
        templates: [yaml.replace(seedHost, new URL(server.address).host)],
        args: [{ name: 'service-name', value: SERVICES.failing }],
        providers: [provider],
        clock: createFakeClock({ start: anchor * 1000, auto: true }),
      });
      provider.close();
      expect(result.phase).toBe('Failed');
      expect(result.message).toContain('failed (3) > failureLimit (2)');
      expect(result.runSummary.failed).toBe(1);
    });
  },
);
