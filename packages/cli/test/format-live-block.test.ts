import { initialStatus, parseRollout } from '@gradual/core';
import { describe, expect, it } from 'vitest';
import { formatLiveBlock } from '../src/run/format-live-block.js';

const spec = parseRollout({
  kind: 'Rollout',
  metadata: { name: 'checkout' },
  spec: {
    selector: { matchLabels: { app: 'c' } },
    template: { metadata: { labels: { app: 'c' } } },
    strategy: { canary: { steps: [{ setWeight: 50 }, { pause: { duration: '1m' } }, { setWeight: 100 }] } },
  },
});

describe('formatLiveBlock', () => {
  it('shows the phase, the step of all steps, a bar of the canary weight and the elapsed time', () => {
    const status = {
      ...initialStatus(spec, { now: 0 }),
      currentStepIndex: 1,
      traffic: { canaryWeight: 50, headerRoutes: [], mirrorRoutes: [], experiments: [] },
    };
    const block = formatLiveBlock({ spec, status, elapsedMs: 62_000, width: 60 });
    expect(block.split('\n')).toEqual([
      `rollout checkout  ${status.phase}  1m02s`,
      '  step    2/3',
      `  canary  ${'█'.repeat(10)}${'░'.repeat(10)} 50%`,
      '  analysis -',
    ]);
  });

  it('reads Starting before the first status', () => {
    expect(formatLiveBlock({ spec, status: undefined, elapsedMs: 0 }).split('\n')[0]).toBe('rollout checkout  Starting  0s');
  });
});
