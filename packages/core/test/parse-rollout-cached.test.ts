import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { ValidationError } from '@gradual/core';
import { readYaml } from '@gradual/core/adapter';
import { describe, expect, it } from 'vitest';
import { parseRolloutCached } from '../src/runner/parse-rollout-cached.js';

const text = readFileSync(fileURLToPath(new URL('../../../examples/manifests/rollout-canary.yaml', import.meta.url)), 'utf8');
const deepFreeze = <T>(value: T): T => {
  if (value && typeof value === 'object') {
    for (const item of Object.values(value)) deepFreeze(item);
    Object.freeze(value);
  }
  return value;
};
const manifestObject = () => readYaml(text, 'Rollout', ['Rollout']) as { metadata: { name: string }; spec: { replicas: number } };

describe('reconcile parses a manifest once per content', () => {
  it('YAML text: an equal text (another string) gives the same parsed spec', () => {
    const first = parseRolloutCached(text);
    expect(parseRolloutCached(`${text.slice(0, 10)}${text.slice(10)}`)).toBe(first);
    expect(parseRolloutCached(`${text}\n# edited\n`)).not.toBe(first);
  });

  it('a deeply frozen object is parsed once', () => {
    const manifest = deepFreeze(manifestObject());
    expect(parseRolloutCached(manifest)).toBe(parseRolloutCached(manifest));
  });

  it('an object that can still change is read again on every call, so a change is seen', () => {
    const manifest = manifestObject();
    expect(parseRolloutCached(manifest).replicas).toBe(manifest.spec.replicas);
    manifest.spec.replicas = 7;
    expect(parseRolloutCached(manifest).replicas).toBe(7);
  });

  it('a frozen object with a nested part left unfrozen is not cached', () => {
    const manifest = manifestObject();
    Object.freeze(manifest);
    manifest.spec.replicas = 3;
    expect(parseRolloutCached(manifest).replicas).toBe(3);
    manifest.spec.replicas = 4;
    expect(parseRolloutCached(manifest).replicas).toBe(4);
  });

  it('an invalid manifest throws each time (errors are not cached)', () => {
    const bad = text.replace(/replicas: \d+/, 'replicas: many');
    expect(() => parseRolloutCached(bad)).toThrow(ValidationError);
    expect(() => parseRolloutCached(bad)).toThrow(/spec\.replicas/);
  });
});
