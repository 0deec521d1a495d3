import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import type { DemoSnapshot } from '../src/demo/demo-report.js';
import { createTerminalView } from '../src/view/create-terminal-view.js';
import { renderLiveView } from '../src/view/render-live-view.js';
import { weightBar } from '../src/view/weight-bar.js';

const snapshot: DemoSnapshot = {
  scenario: 'dark',
  metricsSource: 'localProxy',
  elapsedMs: 1234,
  phase: 'Paused',
  message: 'CanaryPauseStep',
  stepIndex: 1,
  steps: ['setHeaderRoute: end-user-alexandra', 'pause: 4s', 'setWeight: 50'],
  traffic: {
    canaryWeight: 30,
    headerRoutes: [{ name: 'end-user-alexandra', match: [{ headerName: 'end-user', headerValue: { exact: 'Alexandra' } }] }],
    mirrorRoutes: [],
    experiments: [],
  },
  stableVersion: 'v1',
  canaryVersion: 'v2',
  served: { v1: { answered: 70, failed: 0, mirrored: 0 }, v2: { answered: 30, failed: 3, mirrored: 0 } },
  requestsSent: 100,
  measurements: [{ run: 'r', metric: 'success-rate', phase: 'Failed', value: '[0.700]', finishedAt: '2026-01-01T00:00:01.000Z' }],
  events: [{ reason: 'RolloutPaused', type: 'Normal', message: 'Rollout is paused', at: '2026-01-01T00:00:00.000Z' }],
};

describe('what a person sees', () => {
  it('draws the weight bar in proportion, stable on the left', () => {
    expect(weightBar({ canaryWeight: 30, stable: 'v1', canary: 'v2', width: 10 })).toBe('v1 ███████░░░ v2  70/30');
    expect(weightBar({ canaryWeight: 0, stable: 'v1', canary: 'v2', width: 4 })).toBe('v1 ████ v2  100/0');
  });

  it('shows the current step, the header route, requests per version and the last verdict', () => {
    const text = renderLiveView(snapshot).join('\n');
    expect(text).toContain('✓  1. setHeaderRoute: end-user-alexandra');
    expect(text).toContain('▶  2. pause: 4s');
    expect(text).toContain('header route end-user-alexandra: end-user: {"exact":"Alexandra"} → v2');
    expect(text).toContain('v2: 30 answered, 3 failed');
    expect(text).toContain('success-rate [0.700] → Failed');
  });

  it('prints plain lines, each event and measurement once, when the output is not a terminal', () => {
    const out = new PassThrough();
    let written = '';
    out.on('data', (chunk: Buffer) => {
      written += chunk.toString();
    });
    const view = createTerminalView(out, false);
    view.update(snapshot);
    view.update(snapshot);
    view.event(snapshot.events[0]!);
    expect(written.split('\n').filter(Boolean)).toEqual([
      '2026-01-01T00:00:01.000Z measurement success-rate [0.700] → Failed',
      '2026-01-01T00:00:00.000Z Normal RolloutPaused: Rollout is paused',
    ]);
    expect(written).not.toContain('\x1b[');
  });

  it('redraws in place on a terminal, cut to its width', () => {
    const out = Object.assign(new PassThrough(), { columns: 40 });
    let written = '';
    out.on('data', (chunk: Buffer) => {
      written += chunk.toString();
    });
    const view = createTerminalView(out, true);
    view.update(snapshot);
    const lines = renderLiveView(snapshot).length;
    view.update(snapshot);
    expect(written).toContain(`\x1b[${lines}A\x1b[J`);
    expect(
      Math.max(
        ...written.split('\n').map((line) => line.replace(new RegExp(`${String.fromCharCode(27)}\\[\\d*[AJ]`, 'g'), '').length),
      ),
    ).toBeLessThanOrEqual(40);
  });

  // A seed-sized frame: 12 steps, 5 measurements, 5 events (about 35 lines, as the reviewer saw).
  const tall: DemoSnapshot = {
    ...snapshot,
    steps: Array.from({ length: 12 }, (_, i) => `step ${i + 1}`),
    measurements: Array.from({ length: 5 }, (_, i) => ({
      run: 'r',
      metric: 'success-rate',
      phase: 'Successful',
      value: `[0.99${i}]`,
      finishedAt: `2026-01-01T00:00:0${i}.000Z`,
    })),
    events: Array.from({ length: 5 }, (_, i) => ({
      reason: `Event${i}`,
      type: 'Normal' as const,
      message: `event ${i}`,
      at: `2026-01-01T00:00:0${i}.000Z`,
    })),
  };
  const frames = (rows: number, updates: DemoSnapshot[]) => {
    const out = Object.assign(new PassThrough(), { columns: 80, rows });
    let written = '';
    out.on('data', (chunk: Buffer) => {
      written += chunk.toString();
    });
    const view = createTerminalView(out, true);
    for (const update of updates) view.update(update);
    return written;
  };

  it('fits a 24-row terminal: every frame is at most 23 lines, the oldest events and measurements go first', () => {
    expect(renderLiveView(tall).length).toBeGreaterThan(30);
    const written = frames(24, [tall, { ...tall, stepIndex: 6 }]);
    // '' before the first frame, then each frame followed by the cursor-up of the next redraw.
    const [before, first, second] = written.split('\x1b[J');
    expect(before).toBe('');
    const firstLines = first!
      .replace(new RegExp(`${String.fromCharCode(27)}\\[\\d+A$`), '')
      .split('\n')
      .slice(0, -1);
    const secondLines = second!.split('\n').slice(0, -1);
    expect(firstLines.length).toBeLessThanOrEqual(23);
    expect(secondLines.length).toBeLessThanOrEqual(23);
    // Cursor-up moves exactly over the frame drawn before.
    expect(first).toMatch(new RegExp(`\\x1b\\[${firstLines.length}A$`));
    // The current step and the newest measurement stay; the oldest event goes first.
    expect(second).toContain('▶  7. step 7');
    expect(second).toContain('[0.994]');
    expect(second).not.toContain('Event0');
  });

  it('falls back to plain lines on a terminal too small for the steps', () => {
    const written = frames(6, [tall, { ...tall, events: [] }]);
    expect(written).toContain('too small for the live view');
    expect(written).not.toContain('step 1');
    expect(written.split('\n').filter((line) => line.includes(' measurement '))).toEqual(
      tall.measurements.map((m) => `${m.finishedAt} measurement success-rate ${m.value} → Successful`),
    );
  });

  it('prints plain measurement lines in the order they finished', () => {
    const out = new PassThrough();
    let written = '';
    out.on('data', (chunk: Buffer) => {
      written += chunk.toString();
    });
    createTerminalView(out, false).update({ ...tall, measurements: [...tall.measurements].reverse() });
    expect(written.trim().split('\n')).toEqual(
      tall.measurements.map((m) => `${m.finishedAt} measurement success-rate ${m.value} → Successful`),
    );
  });
});
