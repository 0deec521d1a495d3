import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';

/** The talk's manifests, kept in the repository (examples/manifests). */
export const seedDirectory = fileURLToPath(new URL('../../../../examples/manifests/', import.meta.url));

/** One of the seed's manifests, parsed. */
export function readSeed<T = unknown>(file: string): T {
  return parse(readFileSync(`${seedDirectory}${file}`, 'utf8')) as T;
}
