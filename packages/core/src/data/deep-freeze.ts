/**
 * Freezes `value` and everything under it, in place, and returns it. For plain data a module shares between
 * callers (a memoised set-up, one step list for equal specs): a caller that tries to change it gets a
 * TypeError instead of changing it for everyone. Stops at what is already frozen.
 */
export function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}
