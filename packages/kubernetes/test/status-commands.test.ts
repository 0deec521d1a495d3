import {
  type ArgoCommandFields,
  type ArgoRolloutStatus,
  commandsFromRollout,
  gradualStatusAnnotation,
  rolloutStatusFromObject,
  statusWriteStampType,
} from '@gradual/kubernetes';
import { describe, expect, it } from 'vitest';
import { canaryManifest, canarySpec, statusOf } from './status-fixtures.js';

const fields = (change: Partial<ArgoCommandFields> = {}): ArgoCommandFields => ({
  abort: false,
  promoteFull: false,
  pauseConditions: 0,
  currentStepIndex: 1,
  ...change,
});
const argoOf = (f: ArgoCommandFields): ArgoRolloutStatus => ({
  ...(f.abort ? { abort: true } : {}),
  ...(f.promoteFull ? { promoteFull: true } : {}),
  ...(f.pauseConditions > 0 ? { pauseConditions: [{ reason: 'CanaryPauseStep', startTime: '2026-12-06T20:00:00Z' }] } : {}),
  ...(f.currentStepIndex === null ? {} : { currentStepIndex: f.currentStepIndex }),
});

/**
 * A Rollout as the store leaves it after annotation write 2: `landed` says whether the projection of write 2
 * reached the status subresource (else it still shows write 1's, i.e. `previous`); then `plugin` is the merge
 * patch the kubectl plugin applies to `.status`, `paused` the `spec.paused` it leaves.
 */
function rollout(options: {
  intended: ArgoCommandFields;
  previous?: ArgoCommandFields;
  landed?: boolean;
  plugin?: Record<string, unknown>;
  paused?: boolean;
  writtenPaused?: boolean;
  pausedByCommand?: boolean;
}) {
  const landed = options.landed ?? true;
  const previous = options.previous ?? options.intended;
  const shown = landed ? options.intended : previous;
  const status = { ...argoOf(shown), ...(options.plugin ?? {}) };
  const stamp = { type: statusWriteStampType, status: 'True', reason: 'StatusWritten', message: `write ${landed ? 2 : 1}` };
  const gradual = statusOf(canarySpec, options.pausedByCommand ? { pausedByCommand: true } : {});
  const annotation = {
    format: 1,
    written: { write: 2, intended: options.intended, previous, paused: options.writtenPaused ?? false },
    status: gradual,
  };
  return rolloutStatusFromObject({
    ...canaryManifest,
    metadata: {
      ...canaryManifest.metadata,
      resourceVersion: '9',
      generation: 1,
      annotations: { [gradualStatusAnnotation]: JSON.stringify(annotation) },
    },
    spec: { ...canaryManifest.spec, ...(options.paused === undefined ? {} : { paused: options.paused }) },
    status: { ...status, conditions: [stamp] },
  });
}

describe('commandsFromRollout: the plugin writes, one command each', () => {
  // The patches are the kubectl plugin's (pkg/kubectl-argo-rollouts/cmd/{promote,abort,retry,pause}); the reference §1.7.
  const rows = [
    {
      name: 'promote at a pause step: {"status":{"pauseConditions":null}}',
      input: { intended: fields({ pauseConditions: 1 }), plugin: { pauseConditions: null } },
      commands: [{ type: 'promote' }],
    },
    {
      name: 'promote mid-step (no pause): {"status":{"pauseConditions":null,"currentStepIndex":idx+1}}',
      input: { intended: fields({ currentStepIndex: 2 }), plugin: { pauseConditions: null, currentStepIndex: 3 } },
      commands: [{ type: 'promote' }],
    },
    {
      name: 'promote of an inconclusive step: pauseConditions null, controllerPause false, idx+1 (one promote)',
      input: {
        intended: fields({ pauseConditions: 1, currentStepIndex: 2 }),
        plugin: { pauseConditions: null, controllerPause: false, currentStepIndex: 3 },
      },
      commands: [{ type: 'promote' }],
    },
    {
      name: 'promote --skip-all-steps: {"status":{"currentStepIndex":len}}',
      input: { intended: fields({ currentStepIndex: 0 }), plugin: { currentStepIndex: 4 } },
      commands: [{ type: 'promote', full: true }],
    },
    {
      name: 'promote --full: {"status":{"promoteFull":true}}',
      input: { intended: fields(), plugin: { promoteFull: true } },
      commands: [{ type: 'promote', full: true }],
    },
    {
      name: 'abort: {"status":{"abort":true}}',
      input: { intended: fields(), plugin: { abort: true } },
      commands: [{ type: 'abort' }],
    },
    {
      name: 'retry: {"status":{"abort":false}}',
      input: { intended: fields({ abort: true, currentStepIndex: 0 }), plugin: { abort: false } },
      commands: [{ type: 'retry' }],
    },
    {
      name: 'pause: {"spec":{"paused":true}}',
      input: { intended: fields(), paused: true },
      commands: [{ type: 'pause' }],
    },
    {
      name: 'promote after pause: {"spec":{"paused":false}} + skip a step, as the plugin does for a canary without pause',
      input: {
        intended: fields({ currentStepIndex: 2 }),
        writtenPaused: true,
        pausedByCommand: true,
        paused: false,
        plugin: { pauseConditions: null, currentStepIndex: 3 },
      },
      commands: [{ type: 'promote' }, { type: 'promote' }],
    },
    {
      name: 'spec.paused false when gradual holds no pause (the pause was ignored): nothing to resume',
      input: { intended: fields(), writtenPaused: true, paused: false },
      commands: [],
    },
    {
      name: 'nothing written since the last write',
      input: { intended: fields({ pauseConditions: 1 }) },
      commands: [],
    },
    {
      // "differs from both" would miss this: the plugin sets back the value the projection replaced.
      name: 'promote right after gradual paused (previous had no pause condition; the projection landed)',
      input: { intended: fields({ pauseConditions: 1 }), previous: fields(), plugin: { pauseConditions: null } },
      commands: [{ type: 'promote' }],
    },
    {
      name: 'retry right after gradual aborted (previous had abort false; the projection landed)',
      input: { intended: fields({ abort: true, currentStepIndex: 0 }), previous: fields(), plugin: { abort: false } },
      commands: [{ type: 'retry' }],
    },
  ];

  it.each(rows)('$name', ({ input, commands }) => {
    expect(commandsFromRollout(rollout(input))).toEqual(commands);
  });
});

describe('commandsFromRollout: a crash between the annotation and the projection is no command', () => {
  it('the projection of write 2 never landed: the Rollout still shows what write 2 replaced', () => {
    // gradual aborted (write 2 intends abort: true); the old projection has abort false: no retry.
    const read = rollout({ intended: fields({ abort: true, currentStepIndex: 0 }), previous: fields(), landed: false });
    expect(commandsFromRollout(read)).toEqual([]);
    // gradual resumed (intends no pause condition); the old projection still has it: no command either way.
    const resumed = rollout({
      intended: fields({ currentStepIndex: 2 }),
      previous: fields({ pauseConditions: 1 }),
      landed: false,
    });
    expect(commandsFromRollout(resumed)).toEqual([]);
  });

  it('a command the plugin wrote after such a crash is still seen, against what is on the Rollout', () => {
    const read = rollout({
      intended: fields({ currentStepIndex: 2 }),
      previous: fields({ pauseConditions: 1 }),
      landed: false,
      plugin: { abort: true },
    });
    expect(commandsFromRollout(read)).toEqual([{ type: 'abort' }]);
  });

  it('after a crash on the very first write (no projection yet), the plugin’s promote from an unset index is seen', () => {
    const read = rollout({
      intended: fields({ pauseConditions: 1 }),
      previous: fields({ currentStepIndex: null }),
      landed: false,
      plugin: { pauseConditions: null, currentStepIndex: 1 },
    });
    expect(commandsFromRollout(read)).toEqual([{ type: 'promote' }]);
  });

  it('a Rollout gradual never wrote has no commands (its fields are Argo history, not requests)', () => {
    const read = rolloutStatusFromObject({ ...canaryManifest, status: { abort: true, promoteFull: true } });
    expect(read.status).toBeNull();
    expect(commandsFromRollout(read)).toEqual([]);
  });
});

describe('rolloutStatusFromObject: a bad annotation is refused, never read as "no status"', () => {
  const withAnnotation = (text: string) => ({
    ...canaryManifest,
    metadata: { ...canaryManifest.metadata, annotations: { [gradualStatusAnnotation]: text } },
  });
  it.each([
    ['not JSON', '{"format":1,', /rollout 'web' in namespace 'shop'.*\n.*rollouts\.gradual\.dev\/status.*is not JSON/],
    ['not the stored shape', '{"status":{}}', /must be \{"format":1,"written"/],
    [
      'a status from a newer gradual',
      JSON.stringify({ format: 1, written: {}, status: { ...statusOf(canarySpec), version: 99 } }),
      /written by a newer gradual/,
    ],
  ])('%s', (_name, text, message) => {
    expect(() => rolloutStatusFromObject(withAnnotation(text))).toThrow(message);
  });
});
