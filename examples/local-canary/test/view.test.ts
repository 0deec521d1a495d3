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
});
