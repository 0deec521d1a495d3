import { runAnalysis } from '@gradual/analysis';
import { createFakeClock } from '@gradual/core/testing';
import { type KubeApiServer, startKubeApiServer } from '@gradual/kube-api-test-server';
import { type V1Job, Watch } from '@kubernetes/client-node';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createJobProvider } from '../src/index.js';

// The job provider inside a real analysis run: an AnalysisTemplate as Argo's docs write one (a Job metric, count 2),
// a watch playing the Job controller (each Job ends as its `outcome` annotation says).
let server: KubeApiServer;
let stop: () => void;
beforeAll(async () => {
  server = await startKubeApiServer({ bookmarkIntervalMs: 0 });
  const controller = await new Watch(server.kubeConfig()).watch(
    '/apis/batch/v1/jobs',
    {},
    (type, job: V1Job) => {
      const outcome = job.metadata?.annotations?.outcome;
      const { name, namespace } = job.metadata ?? {};
      if (type !== 'ADDED' || !outcome || !name || !namespace) return;
      server.edit('jobs', namespace, name, (stored) => {
        stored.status = { conditions: [{ type: outcome, status: 'True' }] };
      });
    },
    () => {},
  );
  stop = () => controller.abort();
});
afterAll(async () => {
  stop();
  await server.close();
});

const template = (outcome: string) => ({
  apiVersion: 'argoproj.io/v1alpha1',
  kind: 'AnalysisTemplate',
  metadata: { name: 'smoke' },
  spec: {
    metrics: [
      {
        name: 'smoke-test',
        count: 2,
        interval: '10s',
        failureLimit: 0,
        provider: {
          job: {
            metadata: { annotations: { outcome } },
            spec: {
              backoffLimit: 1,
              template: {
                spec: { restartPolicy: 'Never', containers: [{ name: 'smoke', image: 'curlimages/curl', args: ['http://web'] }] },
              },
            },
          },
        },
      },
    ],
  },
});

it.each([
  { outcome: 'Complete', phase: 'Successful', measurements: ['Successful', 'Successful'] },
  { outcome: 'Failed', phase: 'Failed', measurements: ['Failed'] },
])('Jobs ending $outcome make the run $phase', async ({ outcome, phase, measurements }) => {
  const namespace = `analysis-${outcome.toLowerCase()}`;
  const clock = createFakeClock({ start: 0, auto: true });
  const result = await runAnalysis({
    templates: [template(outcome)],
    providers: [createJobProvider({ kubeConfig: server.kubeConfig(), namespace })],
    clock,
  });
  expect(result.phase).toBe(phase);
  expect(result.metricResults[0]?.measurements.map((m) => m.phase)).toEqual(measurements);
  expect(result.metricResults[0]?.measurements[0]?.metadata?.['job-namespace']).toBe(namespace);
  // Every Job is gone once its measurement ended.
  const jobs = server.requests.filter((r) => r.plural === 'jobs' && r.namespace === namespace);
  expect(jobs.filter((r) => r.verb === 'create' && r.status === 201)).toHaveLength(measurements.length);
  expect(jobs.filter((r) => r.verb === 'delete' && r.status === 200)).toHaveLength(measurements.length);
});
