import { parseRollout } from '../manifest/parse-rollout.js';
import type { RolloutSpec } from '../manifest/rollout-types.js';

// A controller may hand reconcile the manifest on every call; parsing and hashing it each time cost
// ten times the reconcile. Specs are cached by content: YAML text by the text itself (a Map hashes a
// string once), an object only when deeply frozen, since only then can its content not change later.
const maxCachedCharacters = 32 * 1024 * 1024;
const byText = new Map<string, RolloutSpec>();
let cachedCharacters = 0;
const byFrozenObject = new WeakMap<object, RolloutSpec>();

/** `parseRollout` with a cache by content; errors are thrown as `parseRollout` throws them, never cached. */
export function parseRolloutCached(input: string | object): RolloutSpec {
  if (typeof input === 'string') {
    const known = byText.get(input);
    if (known) return known;
    const spec = parseRollout(input);
    rememberText(input, spec);
    return spec;
  }
  const known = byFrozenObject.get(input);
  if (known) return known;
  const spec = parseRollout(input);
  // parseRollout refused anything but plain data (no getters, Proxies or cycles), so frozen means fixed.
  if (isDeepFrozen(input)) byFrozenObject.set(input, spec);
  return spec;
}

function rememberText(text: string, spec: RolloutSpec): void {
  if (text.length > maxCachedCharacters / 16) return;
  // Oldest first (a Map keeps insertion order): evicted until the new text fits.
  for (const [oldest] of byText) {
    if (cachedCharacters + text.length <= maxCachedCharacters) break;
    byText.delete(oldest);
    cachedCharacters -= oldest.length;
  }
  byText.set(text, spec);
  cachedCharacters += text.length;
}

function isDeepFrozen(value: object): boolean {
  if (!Object.isFrozen(value)) return false;
  for (const item of Object.values(value)) if (item !== null && typeof item === 'object' && !isDeepFrozen(item)) return false;
  return true;
}
