import type { JsonValue } from '@gradual/core';

/**
 * A copy of `value` with `redact` applied to every string and object key,
 * so an echoed credential is masked in the value the conditions see and
 * that is stored, not only in its display. Recursive: callers bound the depth first.
 */
export function maskJson(value: JsonValue, redact: (text: string) => string): JsonValue {
  if (typeof value === 'string') return redact(value);
  if (Array.isArray(value)) return value.map((item) => maskJson(item, redact));
  if (value !== null && typeof value === 'object') {
    const out: Record<string, JsonValue> = {};
    // defineProperty: a key `__proto__` from JSON.parse stays a key, never a prototype.
    for (const [key, item] of Object.entries(value))
      Object.defineProperty(out, redact(key), {
        value: maskJson(item, redact),
        enumerable: true,
        writable: true,
        configurable: true,
      });
    return out;
  }
  return value;
}
