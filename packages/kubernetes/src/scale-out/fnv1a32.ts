// core has the same hash (manifest/hash.ts) but does not export it from a public entry point, and this
// package uses core only through those; five lines are cheaper than widening core's API for it.
const encoder = new TextEncoder();

/** FNV-1a, 32 bits, of a string's UTF-8 bytes (offset basis 2166136261, prime 16777619). */
export function fnv1a32(text: string): number {
  let hash = 0x811c9dc5;
  for (const byte of encoder.encode(text)) hash = Math.imul(hash ^ byte, 0x01000193) >>> 0;
  return hash;
}
