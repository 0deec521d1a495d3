// Revisions and step hashes the way Argo Rollouts shapes them: FNV-32a,
// then encoded with Kubernetes' "safe" alphabet (no vowels, no look-alike
// digits), so a revision reads like a pod-template hash: `5b8f6d7c9`.
const safeAlphabet = 'bcdfghjklmnpqrstvwxz2456789';

/** FNV-32a of a string's UTF-8 bytes. */
export function fnv32a(text: string): number {
  let hash = 0x811c9dc5;
  for (const byte of new TextEncoder().encode(text)) {
    hash ^= byte;
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash >>> 0;
}

/** Kubernetes' rand.SafeEncodeString over the decimal digits of the hash. */
export function safeEncode(text: string): string {
  let out = '';
  for (let i = 0; i < text.length; i++) out += safeAlphabet[text.charCodeAt(i) % safeAlphabet.length];
  return out;
}

/** JSON with object keys sorted, so equal values hash equally whatever their key order. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.keys(value)
      .filter((key) => (value as Record<string, unknown>)[key] !== undefined)
      .sort()
      .map((key) => `${JSON.stringify(key)}:${canonicalJson((value as Record<string, unknown>)[key])}`);
    return `{${entries.join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/** A short stable hash of any JSON value. */
export function hashJson(value: unknown): string {
  return safeEncode(String(fnv32a(canonicalJson(value))));
}
