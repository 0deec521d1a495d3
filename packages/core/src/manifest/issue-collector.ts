import type { ValidationIssue } from '../errors/validation-error.js';
import { manifestLimits } from './manifest-limits.js';
import { parseDuration } from './parse-duration.js';

/**
 * Collects every problem of an input instead of stopping at the first, with
 * small readers that check a field and record what is wrong at its path.
 */
const INT32_MAX = 2_147_483_647;

export class IssueCollector {
  readonly issues: ValidationIssue[] = [];

  add(path: string, message: string): void {
    this.issues.push({ path, message });
  }

  get ok(): boolean {
    return this.issues.length === 0;
  }

  object(path: string, value: unknown, required = false): Record<string, unknown> | undefined {
    if (value === undefined || value === null) {
      if (required) this.add(path, 'is required');
      return undefined;
    }
    if (typeof value !== 'object' || Array.isArray(value)) {
      this.add(path, `must be an object, got ${describe(value)}`);
      return undefined;
    }
    return value as Record<string, unknown>;
  }

  array(path: string, value: unknown, required = false): unknown[] | undefined {
    if (value === undefined || value === null) {
      if (required) this.add(path, 'is required');
      return undefined;
    }
    if (!Array.isArray(value)) {
      this.add(path, `must be a list, got ${describe(value)}`);
      return undefined;
    }
    return value;
  }

  string(path: string, value: unknown, required = false): string | undefined {
    if (value === undefined || value === null || value === '') {
      if (required) this.add(path, 'is required');
      return undefined;
    }
    if (typeof value !== 'string') {
      this.add(path, `must be a string, got ${describe(value)}`);
      return undefined;
    }
    return value;
  }

  boolean(path: string, value: unknown): boolean | undefined {
    if (value === undefined || value === null) return undefined;
    if (typeof value !== 'boolean') {
      this.add(path, `must be true or false, got ${describe(value)}`);
      return undefined;
    }
    return value;
  }

  /**
   * A whole number within bounds; Kubernetes writes these as integers, never "20". Every
   * integer field of a Rollout is an int32 in Argo's types, so `max` defaults to 2^31-1.
   */
  integer(
    path: string,
    value: unknown,
    given: { min?: number | undefined; max?: number | undefined; required?: boolean | undefined } = {},
  ): number | undefined {
    const bounds = { ...given, max: given.max ?? INT32_MAX };
    if (value === undefined || value === null) {
      if (bounds.required) this.add(path, 'is required');
      return undefined;
    }
    if (typeof value !== 'number' || !Number.isInteger(value)) {
      this.add(path, `must be a whole number, got ${describe(value)}`);
      return undefined;
    }
    if (bounds.min !== undefined && value < bounds.min) {
      this.add(
        path,
        `must be ${given.max === undefined ? `at least ${bounds.min}` : `between ${bounds.min} and ${bounds.max}`}, got ${value}`,
      );
      return undefined;
    }
    if (value > bounds.max) {
      this.add(
        path,
        `must be ${bounds.min === undefined ? `at most ${bounds.max}` : `between ${bounds.min} and ${bounds.max}`}, got ${value}`,
      );
      return undefined;
    }
    return value;
  }

  duration(path: string, value: unknown): number | undefined {
    if (value === undefined || value === null) return undefined;
    try {
      return parseDuration(value as string | number);
    } catch (error) {
      const detail = (error as { issues?: ValidationIssue[] | undefined }).issues?.[0]?.message ?? String(error);
      this.add(path, detail);
      return undefined;
    }
  }

  /**
   * Reports fields that are not in `allowed`, with the closest known name:
   * a typo such as `pause: { duraton: 10 }` must not silently become a pause
   * that waits for ever.
   */
  unknownKeys(path: string, value: Record<string, unknown>, allowed: readonly string[]): void {
    for (const key of Object.keys(value)) {
      if (allowed.includes(key)) continue;
      const guess = closest(key, allowed);
      this.add(
        `${path}.${shortKey(key)}`,
        `is not a field here${guess ? `; did you mean "${guess}"?` : ` (known: ${allowed.join(', ')})`}`,
      );
    }
  }

  /** Exactly one of `keys` is set on `value`. */
  exactlyOne(path: string, value: Record<string, unknown>, keys: readonly string[]): string | undefined {
    const present = keys.filter((key) => value[key] !== undefined && value[key] !== null);
    if (present.length !== 1) {
      this.add(path, `must set exactly one of ${keys.join(', ')}${present.length ? `, got ${present.join(' and ')}` : ''}`);
      return undefined;
    }
    return present[0];
  }
}

export function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  if (typeof value === 'object') return 'an object';
  return String(value);
}

/** A field name as messages show it: a megabyte-long key is shortened, not repeated. */
export function shortKey(key: string): string {
  const max = manifestLimits.maxKeyLengthForSuggestions;
  return key.length > max ? `${key.slice(0, max)}…` : key;
}

/** The known name within edit distance 2 of `key`, if one is that close. */
export function closest(key: string, known: readonly string[]): string | undefined {
  // Edit distance costs key length × name length: a key far longer than any name is no typo of one.
  if (key.length > manifestLimits.maxKeyLengthForSuggestions) return undefined;
  let best: string | undefined;
  let bestDistance = 3;
  for (const candidate of known) {
    const distance = editDistance(key.toLowerCase(), candidate.toLowerCase());
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(
        (previous[j] as number) + 1,
        (current[j - 1] as number) + 1,
        (previous[j - 1] as number) + (a[i - 1] === b[j - 1] ? 0 : 1),
      );
    }
    previous = current;
  }
  return previous[b.length] as number;
}
