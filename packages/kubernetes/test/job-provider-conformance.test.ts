import { describeMetricProviderConformance } from '@gradual/core/conformance';
import { type KubeApiServer, startKubeApiServer } from '@gradual/kube-api-test-server';
import { type V1Job, Watch } from '@kubernetes/client-node';
import { afterAll } from 'vitest';
import { createJobProvider } from '../src/index.js';

// The test server runs no Job controller: this watch plays it, finishing each Job of the `ok`
// metric as soon as it is created; Jobs of `slow` run until the measurement is cancelled.
let started: Promise<{ server: KubeApiServer; stop: () => void }> | undefined;
const fixture = () => {
  started ??= (async () => {
    const server = await startKubeApiServer({ bookmarkIntervalMs: 0 });
    const controller = await new Watch(server.kubeConfig()).watch(
      '/apis/batch/v1/namespaces/analysis/jobs',
      {},
      (type, job: V1Job) => {
        const name = job.metadata?.name ?? '';
        if (type !== 'ADDED' || !name.includes('.ok.') || !server.get('jobs', 'analysis', name)) return;
        server.edit('jobs', 'analysis', name, (stored) => {
          stored.status = { succeeded: 1, conditions: [{ type: 'Complete', status: 'True' }] };
        });
      },
      () => {},
    );
    return { server, stop: () => controller.abort() };
  })();
  return started;
};
afterAll(async () => {
  if (!started) return;
  const { server, stop } = await started;
  stop();
  await server.close();
});

const jobMetric = (name: string, spec: unknown = { template: { spec: { containers: [{ name: 'c', image: 'busybox' }] } } }) => ({
  name,
  provider: { job: { spec } as never },
});

describeMetricProviderConformance({
  name: 'job (the Kubernetes API test server, a watch as the Job controller)',
  create: async () => {
    const { server } = await fixture();
    return {
      provider: createJobProvider({ kubeConfig: server.kubeConfig(), namespace: 'analysis' }),
      fixtures: {
        ok: jobMetric('ok'),
        // No pod template: the provider cannot run it.
        broken: jobMetric('broken', { backoffLimit: 0 }),
        slow: jobMetric('slow'),
      },
    };
  },
});
