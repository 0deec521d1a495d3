import { describe, expect, it } from 'vitest';
import type { DemoReport } from '../src/demo/demo-report.js';
import { prometheusInstalled } from '../src/prometheus/start-scraping-prometheus.js';
import { runDemoProcess } from './support/run-demo-process.js';

// End to end, in real time: the demo as a user runs it (`pnpm demo` = tsx,
// no build), at --speed 20 (the seed's 20 s pause takes 1 s; pauses never go
// under 1 s, as Argo counts them in whole seconds; the analysis measures
// every 500 ms).
//
// Tolerance of the split: the proxy spreads weighted requests evenly, so a
// routing state that served N weighted requests must be within one request
// of its weight: |served share − weight| < 100/N percentage points. It is
// checked for every state that served at least `minRequests`.
const speed = '20';
const minRequests = 20;
const tolerance = (n: number) => 100 / n;

function expectSplitsWithinTolerance(report: DemoReport): void {
  const checked = report.splits.filter((split) => split.weightedRequests >= minRequests);
  expect(checked.length).toBeGreaterThan(0);
  for (const split of checked) {
    expect(
      split.deviation,
      `state #${split.generation} (weight ${split.canaryWeight}, ${split.weightedRequests} requests)`,
    ).toBeLessThan(tolerance(split.weightedRequests));
  }
}

// The proxy's record agrees with what each version's own server counted.
function expectProxyAgreesWithServices(report: DemoReport): void {
  for (const version of ['v1', 'v2']) {
    const byProxy = report.generations.reduce(
      (sum, g) => sum + (g.served[version]?.weighted ?? 0) + (g.served[version]?.header ?? 0),
      0,
    );
    const service = report.services[version]!;
    expect(byProxy, version).toBe(service.total - service.mirrored);
  }
}

const last = (report: DemoReport) => report.splits.at(-1)!;

describe('pnpm demo, end to end', () => {
  it(
    'a good canary is promoted (exit 0): every step served its weight, then all traffic on v2',
    { timeout: 90_000 },
    async () => {
      const run = await runDemoProcess(['--speed', speed]);
      expect(run.stderr).toBe('');
      expect(run.code).toBe(0);
      const report = run.report!;
      expect(report.outcome).toBe('Promoted');
      // Every weight of the seed's steps was installed and served.
      const weights = report.splits.filter((s) => s.weightedRequests >= minRequests).map((s) => s.canaryWeight);
      for (const weight of [30, 40, 60, 80, 90, 100]) expect(weights).toContain(weight);
      expectSplitsWithinTolerance(report);
      expectProxyAgreesWithServices(report);
      // Promoted: the stable destination is v2, and it served everything after the end.
      expect(last(report).observed.v2).toBe(100);
      expect(last(report).weightedRequests).toBeGreaterThanOrEqual(minRequests);
      expect(report.measurements.length).toBeGreaterThan(0);
      expect(report.measurements.every((m) => m.phase === 'Successful')).toBe(true);
      expect(run.stdout).toContain('PROMOTED');
      console.log(
        'good canary, deviation per state (pp, requests):',
        report.splits.map((s) => `${s.canaryWeight}%: ${s.deviation.toFixed(2)} of ${s.weightedRequests}`).join('; '),
      );
    },
  );

  it('a bad canary is aborted (exit 1): the analysis fails and traffic is back on v1', { timeout: 90_000 }, async () => {
    const run = await runDemoProcess(['--speed', speed, '--bad']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(1);
    const report = run.report!;
    expect(report.outcome).toBe('Aborted');
    expect(report.message).toMatch(/failureLimit/);
    expect(report.measurements.filter((m) => m.phase === 'Failed').length).toBeGreaterThanOrEqual(3);
    expectSplitsWithinTolerance(report);
    expectProxyAgreesWithServices(report);
    // Back on v1: the last routing state sends nothing to the canary, and the users after the abort all got v1.
    expect(last(report).canaryWeight).toBe(0);
    expect(last(report).weightedRequests).toBeGreaterThanOrEqual(minRequests);
    expect(last(report).observed.v1).toBe(100);
    expect(Object.keys(report.generations.at(-1)!.served)).toEqual(['v1']);
    // The users' side of it: every answer the load generator got in that state came from v1.
    const after = report.load.answers[report.generations.at(-1)!.generation]!;
    expect(Object.keys(after).length).toBeGreaterThan(0);
    for (const [user, seen] of Object.entries(after)) expect(Object.keys(seen.byVersion), user).toEqual(['v1']);
    expect(report.services.v2!.failed).toBeGreaterThan(0);
    expect(run.stdout).toContain('ABORTED');
    console.log(
      'bad canary, deviation per state (pp, requests):',
      report.splits.map((s) => `${s.canaryWeight}%: ${s.deviation.toFixed(2)} of ${s.weightedRequests}`).join('; '),
    );
  });

  it(
    'dark canary (slide 16): requests with the header reach v2 only, everyone else stays on v1',
    { timeout: 90_000 },
    async () => {
      const run = await runDemoProcess(['--speed', speed, '--scenario', 'dark']);
      expect(run.code).toBe(0);
      const report = run.report!;
      const dark = report.generations.find((g) => g.state.headerRoutes.length > 0 && g.state.canaryWeight === 0);
      expect(dark, 'a routing state with the header route and weight 0').toBeDefined();
      // The proxy's view: v2 served header-routed requests only; v1 served everything else.
      expect(dark!.served.v2?.header).toBeGreaterThanOrEqual(minRequests / 5);
      expect(dark!.served.v2?.weighted ?? 0).toBe(0);
      expect(dark!.served.v1?.header ?? 0).toBe(0);
      // The users' view: Alexandra got v2's answers only, the others v1's only.
      const answers = report.load.answers[dark!.generation]!;
      expect(Object.keys(answers.Alexandra!.byVersion)).toEqual(['v2']);
      for (const user of ['Bob', 'Chen', 'Dana', 'Emeka']) expect(Object.keys(answers[user]!.byVersion), user).toEqual(['v1']);
      expectSplitsWithinTolerance(report);
    },
  );

  it('shadow (slide 15): mirrored requests reach v2 while users get v1 answers', { timeout: 90_000 }, async () => {
    const run = await runDemoProcess(['--speed', speed, '--scenario', 'shadow']);
    expect(run.code).toBe(0);
    const report = run.report!;
    const shadow = report.generations.find((g) => g.state.mirrorRoutes.length > 0);
    expect(shadow, 'a routing state with the mirror route').toBeDefined();
    expect(shadow!.state.canaryWeight).toBe(0);
    // Every request v1 served in that state was copied to v2 (100% of GETs), and v2 served no user.
    expect(shadow!.served.v1?.weighted).toBeGreaterThanOrEqual(minRequests);
    expect(shadow!.served.v2?.mirrored).toBe(shadow!.served.v1?.weighted);
    expect((shadow!.served.v2?.weighted ?? 0) + (shadow!.served.v2?.header ?? 0)).toBe(0);
    // Users saw v1 answers only while mirroring.
    for (const [user, seen] of Object.entries(report.load.answers[shadow!.generation]!)) {
      expect(Object.keys(seen.byVersion), user).toEqual(['v1']);
    }
    // v2's own server saw the copies, marked as Envoy marks them (Host ending in -shadow).
    expect(report.services.v2!.mirrored).toBe(shadow!.served.v2?.mirrored);
    expectSplitsWithinTolerance(report);
  });

  // CI installs Prometheus and sets GRADUAL_REQUIRE_PROMETHEUS=1: there, a missing binary fails instead of skipping.
  const canRunPrometheus = prometheusInstalled() || process.env.GRADUAL_REQUIRE_PROMETHEUS === '1';
  it.skipIf(!canRunPrometheus)(
    '--prometheus: a real Prometheus scrapes the proxy and the adapted seed query aborts a bad canary',
    { timeout: 90_000 },
    async () => {
      const run = await runDemoProcess(['--speed', speed, '--bad', '--prometheus']);
      expect(run.stderr).toBe('');
      expect(run.code).toBe(1);
      const report = run.report!;
      expect(report.metricsSource).toBe('prometheus');
      expect(report.outcome).toBe('Aborted');
      const failed = report.measurements.filter((m) => m.phase === 'Failed');
      expect(failed.length).toBeGreaterThanOrEqual(3);
      // The seed's failing threshold: 70% success is under 0.95.
      for (const m of failed) expect(Number(JSON.parse(m.value ?? '[]')[0])).toBeLessThan(0.95);
      expect(last(report).canaryWeight).toBe(0);
      expect(last(report).observed.v1).toBe(100);
      // "after N s" is the rollout's time; Prometheus' start-up (at least two scrapes) is reported apart.
      expect(report.setupMs).toBeGreaterThan(1000);
      expect(run.stdout).toContain(`after ${(report.durationMs / 1000).toFixed(1)} s at speed ${speed} (after `);
    },
  );
});
