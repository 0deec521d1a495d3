// Issue #17: fast-check over parseRollout. Whatever the input — a mutated seed manifest, any JSON
// value in any field, mutated YAML text — the answer is a RolloutSpec or a ValidationError whose
// issues have string paths, never a foreign error (TypeError, RangeError, a YAML library error).
// Each property is bounded in runs and in wall time.
import { readFileSync } from 'node:fs';
import { parseRollout, ValidationError } from '@gradual/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';

const TIME_LIMIT_MS = 8_000;
const settings = { numRuns: 1_000, interruptAfterTimeLimit: TIME_LIMIT_MS, seed: 20261203 };
const seedText = readFileSync(new URL('../../../examples/manifests/rollout-analysis.yaml', import.meta.url), 'utf8');
const seed = parseYaml(seedText) as Record<string, unknown>;

function outcome(input: unknown): 'ok' | 'invalid' {
  try {
    const spec = parseRollout(input as string);
    // What is accepted is plain JSON, as the status and the engine need it.
    expect(JSON.parse(JSON.stringify(spec.strategy))).toEqual(spec.strategy);
    return 'ok';
  } catch (error) {
    if (!ValidationError.isInstance(error)) throw error;
    for (const issue of (error as ValidationError).issues) {
      expect(typeof issue.path).toBe('string');
      expect(issue.message.length).toBeLessThan(2_000);
    }
    return 'invalid';
  }
}

function setAt(target: unknown, path: (string | number)[], value: unknown): unknown {
  const copy = structuredClone(target) as Record<string | number, unknown>;
  let node = copy;
  for (const key of path.slice(0, -1)) {
    if (node[key] === null || typeof node[key] !== 'object') return copy;
    node = node[key] as Record<string | number, unknown>;
  }
  node[path.at(-1)!] = value;
  return copy;
}

const paths: (string | number)[][] = [
  ['kind'],
  ['spec'],
  ['spec', 'replicas'],
  ['spec', 'template'],
  ['spec', 'strategy'],
  ['spec', 'strategy', 'canary'],
  ['spec', 'strategy', 'canary', 'steps'],
  ['spec', 'strategy', 'canary', 'steps', 0],
  ['spec', 'strategy', 'canary', 'steps', 1],
  ['spec', 'strategy', 'canary', 'steps', 1, 'pause'],
  ['spec', 'strategy', 'canary', 'steps', 1, 'pause', 'duration'],
  ['spec', 'strategy', 'canary', 'analysis'],
  ['spec', 'strategy', 'canary', 'analysis', 'templates'],
  ['spec', 'strategy', 'canary', 'analysis', 'startingStep'],
  ['spec', 'strategy', 'canary', 'trafficRouting'],
  ['spec', 'strategy', 'canary', 'trafficRouting', 'istio'],
  ['spec', 'progressDeadlineSeconds'],
  ['spec', 'progressDeadlineAbort'],
];

describe('parseRollout under fuzzing: a spec or a ValidationError, nothing else', () => {
  it('the seed with one field replaced by any JSON value', () => {
    fc.assert(
      fc.property(fc.constantFrom(...paths), fc.jsonValue({ maxDepth: 4 }), (path, value) => {
        outcome(setAt(seed, path, value));
      }),
      settings,
    );
  });

  it('the seed with a step replaced by an object of any keys and values', () => {
    const step = fc.dictionary(
      fc.oneof(fc.constantFrom('setWeight', 'pause', 'analysis', 'experiment', 'setCanaryScale', 'setHeaderRoute'), fc.string()),
      fc.jsonValue({ maxDepth: 3 }),
      { maxKeys: 3 },
    );
    fc.assert(
      fc.property(fc.nat(5), step, (index, value) => {
        outcome(setAt(seed, ['spec', 'strategy', 'canary', 'steps', index], value));
      }),
      settings,
    );
  });

  it('the seed YAML text with characters inserted, deleted or replaced', () => {
    const edit = fc.record({ at: fc.nat(seedText.length), remove: fc.nat(8), insert: fc.string({ maxLength: 8 }) });
    fc.assert(
      fc.property(fc.array(edit, { minLength: 1, maxLength: 4 }), (edits) => {
        let text = seedText;
        for (const { at, remove, insert } of edits) text = text.slice(0, at) + insert + text.slice(at + remove);
        outcome(text);
      }),
      settings,
    );
  });

  it('any text at all', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), (text) => {
        outcome(text);
      }),
      settings,
    );
  });
});
