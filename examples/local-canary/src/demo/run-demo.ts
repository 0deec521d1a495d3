import { createAnalysisRunner } from '@gradual/analysis';
import { CancelledError, type Clock, createRollout, type MetricProvider, type RolloutEvent } from '@gradual/core';
import { describeStep } from '@gradual/core/adapter';
import { createPrometheusProvider } from '@gradual/prometheus';
import { startLoad } from '../load/start-load.js';
import { createProxyMetricProvider } from '../metrics/create-proxy-metric-provider.js';
import { startScrapingPrometheus } from '../prometheus/start-scraping-prometheus.js';
import { createProxy } from '../proxy/create-proxy.js';
import type { ProxyBackend } from '../proxy/routing-table.js';
import { createProxyTrafficRouter } from '../router/create-proxy-traffic-router.js';
import { startVersionService } from '../services/start-version-service.js';
import { adaptTemplate } from './adapt-template.js';
import type { DemoReport, DemoSnapshot } from './demo-report.js';
import { demoVersions } from './demo-versions.js';
import { defaultManifestsDir, loadManifests, type Scenario } from './load-manifests.js';
import { type MeasurementView, measurementsOf } from './measurements-of.js';
import { scaleRolloutDurations, scaleTemplateDurations } from './scale-durations.js';
import { splitOf } from './split-of.js';

export interface DemoOptions {
  scenario: Scenario;
  /** Durations of the manifests are divided by this (10: a 20 s pause takes 2 s). */
  speed: number;
  /** Share of v2's requests that fail (0 for a good canary). */
  failShare: number;
  /** Measure with a real Prometheus scraping the proxy instead of the example's provider. */
  prometheus: boolean;
  /** Load through the proxy. */
  ratePerSecond: number;
  concurrency: number;
  /** Bound on requests; the demo refuses to run longer than this allows. */
  maxRequests: number;
  /** Load keeps running this long after the rollout ends, to show where traffic settled. */
  afterMs: number;
  clock: Clock;
  signal: AbortSignal;
  manifestsDir?: URL;
  /** Called with the state of things whenever something changed and at least every `updateEveryMs`. */
  onUpdate?: (snapshot: DemoSnapshot) => void;
  updateEveryMs?: number;
  onEvent?: (event: RolloutEvent) => void;
  /** Progress before the rollout starts (services up, Prometheus scraping). */
  onNote?: (note: string) => void;
}

/** The users the load generator plays; the dark canary's header route matches Alexandra, as on slide 16. */
export const demoUsers = ['Alexandra', 'Bob', 'Chen', 'Dana', 'Emeka'] as const;

/**
 * Runs the whole demo: v1 and v2 on loopback, the proxy and its router,
 * load, analysis (the example's provider or Prometheus), and the seed's
 * rollout with durations divided by `speed`. Resolves with the report when
 * the rollout is promoted or aborted, or — outcome `Interrupted` — when
 * `signal` stopped it midway; everything it started is stopped. Rejects when
 * something failed, or when `signal` fired before the rollout started.
 */
export async function runDemo(options: DemoOptions): Promise<DemoReport> {
  const { clock, signal } = options;
  const started = clock.now();
  const manifests = loadManifests(options.scenario, options.manifestsDir ?? defaultManifestsDir);
  const rolloutManifest = scaleRolloutDurations(manifests.rollout, options.speed);
  const versions = demoVersions(rolloutManifest);
  const { spec } = versions;
  const canary = spec.strategy.canary;
  if (!canary) throw new Error(`the ${options.scenario} rollout has no canary strategy`);
  // The Service names the seed's analysis measures: the arg's FQDN for the canary, the same namespace for stable.
  const canaryService =
    canary.analysis?.args?.find((arg) => arg.name === 'service-name')?.value ??
    `${canary.canaryService}.default.svc.cluster.local`;
  const domain = canaryService.split('.').slice(1).join('.');
  const stableService = `${canary.stableService ?? 'stable'}.${domain}`;

  const stoppers: (() => Promise<unknown>)[] = [];
  const stopAll = async () => {
    for (const stop of stoppers.reverse()) await stop().catch(() => undefined);
  };
  try {
    const v1 = await startVersionService({ version: 'v1' });
    stoppers.push(() => v1.close());
    const v2 = await startVersionService({ version: 'v2', failShare: options.failShare });
    stoppers.push(() => v2.close());
    const stableBackend: ProxyBackend = { version: 'v1', service: stableService, url: v1.url };
    const canaryBackend: ProxyBackend = { version: 'v2', service: canaryService, url: v2.url };
    const proxy = await createProxy({ stable: stableBackend, stableRevision: versions.stableRevision });
    stoppers.push(() => proxy.close());
    const router = createProxyTrafficRouter({
      dataPlane: proxy,
      backends: { [versions.stableRevision]: stableBackend, [versions.canaryRevision]: canaryBackend },
      managedRoutes: (canary.trafficRouting?.managedRoutes ?? []).map((route) => route.name),
    });

    let providers: MetricProvider[];
    let template: Record<string, unknown>;
    const scaledTemplate = scaleTemplateDurations(manifests.template, options.speed);
    if (options.prometheus) {
      options.onNote?.('starting Prometheus and waiting for its first scrapes of the proxy (it picks up new targets every 5 s)');
      const prometheus = await startScrapingPrometheus({
        target: new URL(proxy.url).host,
        // Several scrapes per measurement interval, so that irate() has two samples to work with.
        scrapeIntervalMs: Math.min(1000, Math.max(100, 10_000 / options.speed / 4)),
        clock,
        signal,
      });
      stoppers.push(() => prometheus.stop());
      options.onNote?.(`Prometheus at ${prometheus.address} is scraping the proxy`);
      const provider = createPrometheusProvider();
      stoppers.push(async () => provider.close());
      providers = [provider];
      template = adaptTemplate(scaledTemplate, { kind: 'prometheus', address: prometheus.address });
    } else {
      providers = [createProxyMetricProvider()];
      template = adaptTemplate(scaledTemplate, { kind: 'localProxy', metricsUrl: `${proxy.url}/metrics` });
    }
    const analysis = createAnalysisRunner({ templates: [template], providers });

    options.onNote?.(`v1 ${v1.url}, v2 ${v2.url}, proxy ${proxy.url} (metrics at ${proxy.url}/metrics)`);
    const load = startLoad({
      url: proxy.url,
      ratePerSecond: options.ratePerSecond,
      concurrency: options.concurrency,
      maxRequests: options.maxRequests,
      users: demoUsers,
      clock,
      signal,
    });
    stoppers.push(() => load.stop());

    const events: RolloutEvent[] = [];
    // Finished runs leave the status; keep every measurement seen, for the summary.
    const measurements = new Map<string, MeasurementView>();
    const rollout = createRollout({
      spec,
      router,
      analysis,
      clock,
      signal,
      stableRevision: versions.stableRevision,
      onProgress: ({ status }) => {
        for (const m of measurementsOf(status)) if (m.finishedAt) measurements.set(`${m.run}/${m.metric}/${m.finishedAt}`, m);
      },
    });
    const unsubscribe = rollout.on((event) => {
      events.push(event);
      options.onEvent?.(event);
    });
    const steps = canary.steps.map(describeStep);
    const snapshot = (): DemoSnapshot => {
      const table = proxy.table();
      const served: DemoSnapshot['served'] = {};
      const generations = proxy.tally();
      const latest = generations.at(-1);
      for (const generation of generations) {
        for (const [version, counts] of Object.entries(generation.served)) {
          const total = served[version] ?? { answered: 0, failed: 0, mirrored: 0 };
          served[version] = total;
          total.answered += counts.weighted + counts.header;
          total.mirrored += counts.mirrored;
          total.failed += counts.failed;
        }
      }
      const status = rollout.status;
      return {
        scenario: options.scenario,
        metricsSource: options.prometheus ? 'prometheus' : 'localProxy',
        elapsedMs: clock.now() - started,
        phase: status?.phase ?? 'Progressing',
        message: status?.message ?? 'starting',
        stepIndex: status?.currentStepIndex ?? 0,
        steps,
        traffic: table.state,
        stableVersion: table.stable.version,
        ...(table.canary ? { canaryVersion: table.canary.version } : {}),
        served,
        requestsSent: load.report().sent,
        ...(latest ? { currentSplit: splitOf(latest) } : {}),
        measurements: [...measurements.values()].slice(-5),
        events: events.slice(-5),
      };
    };

    // The view refreshes on its own beat; it stops when the rollout ends.
    const viewStop = new AbortController();
    const viewLoop = (async () => {
      if (!options.onUpdate) return;
      const every = options.updateEveryMs ?? 200;
      const viewSignal = AbortSignal.any([signal, viewStop.signal]);
      while (!viewSignal.aborted) {
        options.onUpdate(snapshot());
        await clock.sleep(every, viewSignal).catch((error: unknown) => {
          if (!CancelledError.isCancellation(error)) throw error;
        });
      }
    })();

    // The run's duration counts from here: starting services and Prometheus is not part of the rollout.
    const rolloutStarted = clock.now();
    let result: Awaited<ReturnType<typeof rollout.run>> | undefined;
    try {
      result = await rollout.run();
      // Keep the users coming for a moment: the last generation shows where traffic settled.
      await clock.sleep(options.afterMs, signal);
    } catch (error) {
      // Stopped from outside (Ctrl-C, SIGTERM, the demo's time budget): report how far it got.
      if (!signal.aborted) throw error;
    }
    const interrupted = signal.aborted && !result;
    await load.stop();
    // Mirrored copies may still be on their way: wait (bounded) so that the counts below are final.
    const settleBy = new AbortController();
    await Promise.race([proxy.settled(), clock.sleep(5_000, AbortSignal.any([signal, settleBy.signal])).catch(() => {})]);
    settleBy.abort();
    viewStop.abort();
    await viewLoop;
    options.onUpdate?.(snapshot());
    unsubscribe();

    const generations = proxy.tally();
    const reason = signal.reason instanceof Error ? signal.reason.message : String(signal.reason);
    return {
      outcome: interrupted ? 'Interrupted' : result!.outcome,
      message: interrupted
        ? `${reason} at step ${(rollout.status?.currentStepIndex ?? 0) + 1} of ${steps.length}`
        : result!.message,
      scenario: options.scenario,
      speed: options.speed,
      metricsSource: options.prometheus ? 'prometheus' : 'localProxy',
      setupMs: rolloutStarted - started,
      durationMs: clock.now() - rolloutStarted,
      stableRevision: versions.stableRevision,
      canaryRevision: versions.canaryRevision,
      splits: generations.map(splitOf),
      generations,
      services: { v1: v1.counts(), v2: v2.counts() },
      load: load.report(),
      measurements: [...measurements.values()],
      events,
    };
  } finally {
    await stopAll();
  }
}
