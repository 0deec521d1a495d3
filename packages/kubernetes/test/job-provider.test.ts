import { performance } from 'node:perf_hooks';
import type { AnalysisMetric, Measurement } from '@gradual/core';
import { CancelledError, ProviderError } from '@gradual/core';
import { createFakeClock } from '@gradual/core/testing';
import { type KubeApiServer, startKubeApiServer } from '@gradual/kube-api-test-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createJobProvider } from '../src/index.js';
import { metricJobName } from '../src/job/metric-job-name.js';

// Argo's job provider (metricproviders/job/job.go) against the test server; tests play the Job controller with `edit`.
let server: KubeApiServer;
beforeAll(async () => {
  server = await startKubeApiServer({ bookmarkIntervalMs: 0 });
});
afterAll(async () => {
  await server.close();
});

let counter = 0;
const unique = (prefix: string) => `${prefix}-${++counter}`;
const template = {
  metadata: { labels: { app: 'smoke' } },
  spec: { restartPolicy: 'Never', containers: [{ name: 'c', image: 'busybox' }] },
};
const metric = (name: string, extra: Record<string, unknown> = {}): AnalysisMetric => ({
  name,
  provider: {
    job: {
      metadata: { labels: { team: 'web' }, annotations: { note: 'smoke test' } },
      spec: { backoffLimit: 1, template },
      ...extra,
    } as never,
  },
});

async function waitFor(condition: () => boolean, withinMs = 5000): Promise<void> {
  const start = performance.now();
  while (!condition()) {
    if (performance.now() - start > withinMs) throw new Error(`condition not met within ${withinMs} ms`);
    await new Promise((resolve) => setImmediate(resolve));
  }
}

const finish = (namespace: string, name: string, condition: Record<string, unknown>) =>
  server.edit('jobs', namespace, name, (job) => {
    job.status = { conditions: [{ status: 'True', ...condition }] };
  });
const jobsIn = (namespace: string) => server.requests.filter((r) => r.plural === 'jobs' && r.namespace === namespace);
/** The Job the provider reads (a create is logged without a name: it is in the body). */
const readJob = async (namespace: string, containing = '.') => {
  await waitFor(() => jobsIn(namespace).some((r) => r.verb === 'get' && r.name?.includes(containing)));
  return String(jobsIn(namespace).find((r) => r.verb === 'get' && r.name?.includes(containing))!.name);
};

describe('createJobProvider', () => {
  it('runs one Job per measurement, named and labelled as Argo does, in progress until Complete, then deleted (Background)', async () => {
    const namespace = unique('jobs');
    const clock = createFakeClock({ start: 0 });
    const run = { name: 'guestbook-6f9c-2', uid: '1b4e28ba-2fa1-11d2-883f-0016d3cca427' };
    const provider = createJobProvider({ kubeConfig: server.kubeConfig(), namespace, clock, analysisRun: run });
    const controller = new AbortController();
    let result: Measurement | undefined;
    const pending = provider.measure(metric('smoke'), { signal: controller.signal, clock }).then((m) => {
      result = m;
    });
    const name = `${run.uid}.smoke.1`;
    await waitFor(() => server.get('jobs', namespace, name) !== undefined && clock.pending() === 1);
    expect(server.get('jobs', namespace, name)).toMatchObject({
      metadata: {
        labels: { team: 'web', 'analysisrun.argoproj.io/uid': run.uid },
        annotations: {
          note: 'smoke test',
          'analysisrun.argoproj.io/name': run.name,
          'analysisrun.argoproj.io/namespace': namespace,
          'analysisrun.argoproj.io/metric-name': 'smoke',
        },
        ownerReferences: [
          { apiVersion: 'argoproj.io/v1alpha1', kind: 'AnalysisRun', name: run.name, uid: run.uid, controller: true },
        ],
      },
      spec: { backoffLimit: 1, template: { metadata: { labels: { app: 'smoke', 'analysisrun.argoproj.io/uid': run.uid } } } },
    });

    // Still running after a while: the measurement stays in progress.
    await clock.advance(1_000);
    await waitFor(() => clock.pending() === 1 && jobsIn(namespace).filter((r) => r.verb === 'get').length === 2);
    expect(result).toBeUndefined();

    finish(namespace, name, { type: 'Complete' });
    await clock.advance(60_000);
    await pending;
    expect(result).toEqual({
      value: 'Complete',
      display: 'Complete',
      metadata: { 'job-name': name, 'job-namespace': namespace },
    });
    expect(provider.assess(metric('smoke'), result!)).toEqual({ phase: 'Successful' });
    expect(server.get('jobs', namespace, name)).toBeUndefined();
    expect(jobsIn(namespace).at(-1)).toMatchObject({ verb: 'delete', name, query: '?propagationPolicy=Background', status: 200 });

    // The next measurement of the metric gets the next number.
    const second = provider.measure(metric('smoke'), { signal: controller.signal, clock });
    await waitFor(() => server.get('jobs', namespace, `${run.uid}.smoke.2`) !== undefined);
    finish(namespace, `${run.uid}.smoke.2`, { type: 'Complete' });
    await clock.advance(1_000);
    await expect(second).resolves.toMatchObject({ value: 'Complete' });
  });

  it('a Failed condition is a Failed measurement, with the reason and message of the Job', async () => {
    const namespace = unique('jobs');
    const clock = createFakeClock({ start: 0, auto: true });
    const provider = createJobProvider({ kubeConfig: server.kubeConfig(), namespace, clock });
    const pending = provider.measure(metric('smoke'), { signal: new AbortController().signal, clock });
    const name = await readJob(namespace);
    expect(name).toMatch(/^[0-9a-f-]{36}\.smoke\.1$/);
    finish(namespace, name, {
      type: 'Failed',
      reason: 'BackoffLimitExceeded',
      message: 'Job has reached the specified backoff limit',
    });
    const measurement = await pending;
    expect(measurement).toMatchObject({ value: 'Failed', metadata: { reason: 'BackoffLimitExceeded' } });
    expect(provider.assess(metric('smoke'), measurement)).toEqual({
      phase: 'Failed',
      message: `job "${name}" failed: BackoffLimitExceeded: Job has reached the specified backoff limit`,
    });
    expect(server.get('jobs', namespace, name)).toBeUndefined();
  });

  it('a pod that cannot pull its image makes the measurement Inconclusive, as Argo decides; without the right to list pods, conditions alone decide', async () => {
    const namespace = unique('jobs');
    const clock = createFakeClock({ start: 0, auto: true });
    const provider = createJobProvider({ kubeConfig: server.kubeConfig(), namespace, clock });
    const controllerUid = { 'batch.kubernetes.io/controller-uid': 'c0ffee' };
    // What the Job controller and the kubelet would do: a selector on the Job, a pod stuck on its image.
    const startPod = (job: string) => {
      server.edit('jobs', namespace, job, (stored) => {
        (stored.spec as Record<string, unknown>).selector = { matchLabels: controllerUid };
      });
      server.seed('pods', namespace, {
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name: `${job}-x7k2p`, labels: controllerUid },
        spec: { containers: [{ name: 'smoke', image: 'busybox:nope' }] },
        status: {
          phase: 'Pending',
          containerStatuses: [
            {
              name: 'smoke',
              state: { waiting: { reason: 'ImagePullBackOff', message: 'Back-off pulling image "busybox:nope"' } },
            },
          ],
        },
      });
    };
    const pending = provider.measure(metric('smoke'), { signal: new AbortController().signal, clock });
    const name = await readJob(namespace);
    startPod(name);
    const measurement = await pending;
    expect(measurement.value).toBe('Inconclusive');
    expect(provider.assess(metric('smoke'), measurement)).toEqual({
      phase: 'Inconclusive',
      message: `Pod ${name}-x7k2p, container smoke has terminal error (ImagePullBackOff): Back-off pulling image "busybox:nope"`,
    });
    expect(server.get('jobs', namespace, name)).toBeUndefined();

    server.forbid('list', 'pods');
    try {
      const second = provider.measure(metric('other'), { signal: new AbortController().signal, clock });
      const job = await readJob(namespace, '.other.');
      server.remove('pods', namespace, `${name}-x7k2p`);
      startPod(job);
      await waitFor(() => server.requests.some((r) => r.plural === 'pods' && r.status === 403));
      finish(namespace, job, { type: 'Complete' });
      await expect(second).resolves.toMatchObject({ value: 'Complete' });
    } finally {
      server.allow();
    }
  });

  it('a condition with status "False" is not an outcome: the Job keeps running', async () => {
    const namespace = unique('jobs');
    const clock = createFakeClock({ start: 0 });
    const provider = createJobProvider({ kubeConfig: server.kubeConfig(), namespace, clock });
    const controller = new AbortController();
    const pending = provider.measure(metric('smoke'), { signal: controller.signal, clock });
    const name = await readJob(namespace);
    await waitFor(() => clock.pending() === 1);
    server.edit('jobs', namespace, name, (job) => {
      job.status = { conditions: [{ type: 'Failed', status: 'False' }] };
    });
    await clock.advance(1_000);
    await waitFor(() => clock.pending() === 1 && jobsIn(namespace).filter((r) => r.verb === 'get').length === 2);
    controller.abort(new Error('stop'));
    await expect(pending).rejects.toSatisfy(CancelledError.isInstance);
  });

  it('abort (the run terminated) rejects at once as a cancellation and deletes the Job', async () => {
    const namespace = unique('jobs');
    const clock = createFakeClock({ start: 0 });
    const provider = createJobProvider({ kubeConfig: server.kubeConfig(), namespace, clock });
    const controller = new AbortController();
    const pending = provider.measure(metric('smoke'), { signal: controller.signal, clock });
    const name = await readJob(namespace);
    await waitFor(() => clock.pending() === 1);
    controller.abort(new Error('run terminated'));
    const error = await pending.catch((e: unknown) => e);
    expect(CancelledError.isInstance(error)).toBe(true);
    await waitFor(() => server.get('jobs', namespace, name) === undefined);
    expect(jobsIn(namespace).at(-1)).toMatchObject({ verb: 'delete', query: '?propagationPolicy=Background' });

    const already = new AbortController();
    already.abort();
    await expect(provider.measure(metric('smoke'), { signal: already.signal, clock })).rejects.toSatisfy(
      CancelledError.isInstance,
    );
  });

  it('a blip reading the Job is tolerated; a Job deleted under it is a ProviderError', async () => {
    const namespace = unique('jobs');
    const clock = createFakeClock({ start: 0, auto: true });
    const provider = createJobProvider({ kubeConfig: server.kubeConfig(), namespace, clock });
    server.inject({
      fault: { kind: 'status', code: 503, reason: 'ServiceUnavailable' },
      verbs: ['get'],
      plural: 'jobs',
      times: 2,
    });
    const pending = provider.measure(metric('smoke'), { signal: new AbortController().signal, clock });
    await waitFor(() => jobsIn(namespace).filter((r) => r.verb === 'get' && r.status === 200).length >= 1);
    finish(namespace, await readJob(namespace), { type: 'Complete' });
    await expect(pending).resolves.toMatchObject({ value: 'Complete' });
    expect(jobsIn(namespace).filter((r) => r.status === 503)).toHaveLength(2);

    const gone = provider.measure(metric('gone'), { signal: new AbortController().signal, clock });
    const name = await readJob(namespace, '.gone.');
    server.remove('jobs', namespace, name);
    const error = await gone.catch((e: unknown) => e);
    expect(ProviderError.isInstance(error)).toBe(true);
    expect((error as ProviderError).code).toBe('JOB_DELETED');
    expect((error as Error).message).toBe(`job "${name}" in namespace "${namespace}" was deleted before it finished`);
  });

  it('a create whose answer is lost is a ProviderError, and the Job it made is deleted all the same', async () => {
    const namespace = unique('jobs');
    const clock = createFakeClock({ start: 0, auto: true });
    const run = { name: 'run', uid: '6ba7b810-9dad-11d1-80b4-00c04fd430c8' };
    const provider = createJobProvider({ kubeConfig: server.kubeConfig(), namespace, clock, analysisRun: run });
    server.inject({ fault: { kind: 'lose-reply' }, verbs: ['create'], plural: 'jobs' });
    const error = await provider
      .measure(metric('smoke'), { signal: new AbortController().signal, clock })
      .catch((e: unknown) => e);
    expect(ProviderError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({ code: 'JOB_REQUEST_FAILED' });
    await waitFor(() => jobsIn(namespace).some((r) => r.verb === 'delete' && r.status === 200));
    expect(server.get('jobs', namespace, `${run.uid}.smoke.1`)).toBeUndefined();
  });

  it("a Job of the same AnalysisRun under the name is adopted (a restarted controller); another's is refused", async () => {
    const namespace = unique('jobs');
    const clock = createFakeClock({ start: 0, auto: true });
    const run = { name: 'run', uid: 'f81d4fae-7dec-11d0-a765-00a0c91e6bf6' };
    const name = `${run.uid}.smoke.1`;
    server.seed('jobs', namespace, {
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: { name, labels: { 'analysisrun.argoproj.io/uid': run.uid } },
      spec: { template },
      status: { conditions: [{ type: 'Complete', status: 'True' }] },
    });
    const adopted = createJobProvider({ kubeConfig: server.kubeConfig(), namespace, clock, analysisRun: run });
    await expect(adopted.measure(metric('smoke'), { signal: new AbortController().signal, clock })).resolves.toMatchObject({
      value: 'Complete',
      metadata: { 'job-name': name },
    });

    server.seed('jobs', namespace, { apiVersion: 'batch/v1', kind: 'Job', metadata: { name }, spec: { template } });
    const other = createJobProvider({ kubeConfig: server.kubeConfig(), namespace, clock, analysisRun: run });
    server.edit('jobs', namespace, name, (job) => {
      (job.metadata as { labels?: unknown }).labels = { 'analysisrun.argoproj.io/uid': 'someone-else' };
    });
    const error = await other.measure(metric('smoke'), { signal: new AbortController().signal, clock }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'JOB_NAME_TAKEN' });
  });

  it('deleting the AnalysisRun deletes its running Jobs (owner reference, garbage collection)', async () => {
    const namespace = unique('jobs');
    const clock = createFakeClock({ start: 0 });
    const run = server.seed('analysisruns', namespace, {
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'AnalysisRun',
      metadata: { name: 'run' },
      spec: {},
    });
    const uid = String((run.metadata as { uid: string }).uid);
    const provider = createJobProvider({ kubeConfig: server.kubeConfig(), namespace, clock, analysisRun: { name: 'run', uid } });
    const controller = new AbortController();
    const pending = provider.measure(metric('smoke'), { signal: controller.signal, clock });
    await waitFor(() => clock.pending() === 1);
    server.remove('analysisruns', namespace, 'run');
    expect(server.get('jobs', namespace, `${uid}.smoke.1`)).toBeUndefined();
    await clock.advance(1_000);
    await expect(pending).rejects.toMatchObject({ code: 'JOB_DELETED' });
  });

  // Source of the rows: Argo's JobSpec fields the provider needs (a pod template) and the metric's metadata maps.
  it.each([
    { job: undefined, issues: [{ path: 'provider.job', message: 'must be an object with a Job spec' }] },
    { job: {}, issues: [{ path: 'provider.job.spec', message: 'is required: a batch/v1 JobSpec' }] },
    {
      job: { spec: {} },
      issues: [{ path: 'provider.job.spec.template', message: 'is required: the pod template the Job runs' }],
    },
    {
      job: { metadata: { labels: { a: 1 } }, spec: { template } },
      issues: [{ path: 'provider.job.metadata.labels', message: 'must map names to strings' }],
    },
    { job: { metadata: { annotations: { a: 'b' } }, spec: { template } }, issues: [] },
  ])('validate($job) → $issues', async ({ job, issues }) => {
    const provider = createJobProvider({ kubeConfig: server.kubeConfig(), namespace: 'v' });
    const subject: AnalysisMetric = { name: 'm', provider: job === undefined ? {} : { job: job as never } };
    expect(provider.validate?.(subject)).toEqual(issues);
    if (issues.length > 0) {
      const error = await provider
        .measure(subject, { signal: new AbortController().signal, clock: createFakeClock({ start: 0 }) })
        .catch((e: unknown) => e);
      expect(error).toMatchObject({ code: 'JOB_METRIC_INVALID' });
    }
  });
});

describe('metricJobName', () => {
  // Source: Argo's newJobName (`<run uid>.<metric>.<n>`, metric cut to fit 63 characters), plus DNS-safe metric names.
  it.each([
    { metricName: 'smoke', count: 1, name: '1b4e28ba-2fa1-11d2-883f-0016d3cca427.smoke.1' },
    { metricName: 'Error_Rate', count: 12, name: '1b4e28ba-2fa1-11d2-883f-0016d3cca427.error-rate.12' },
    { metricName: 'a'.repeat(40), count: 3, name: `1b4e28ba-2fa1-11d2-883f-0016d3cca427.${'a'.repeat(24)}.3` },
    { metricName: '--', count: 1, name: '1b4e28ba-2fa1-11d2-883f-0016d3cca427.metric.1' },
    { metricName: `ab${'-'.repeat(30)}cd`, count: 1, name: '1b4e28ba-2fa1-11d2-883f-0016d3cca427.ab.1' },
  ])('$metricName #$count → $name', ({ metricName, count, name }) => {
    const made = metricJobName({ prefix: '1b4e28ba-2fa1-11d2-883f-0016d3cca427', metricName, count });
    expect(made).toBe(name);
    expect(made.length).toBeLessThanOrEqual(63);
    expect(made).toMatch(/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/);
  });
});
