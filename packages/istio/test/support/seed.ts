import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';

/** The shared seed directory (`/work/shared/seed` next to the repository). */
export const seedDirectory = fileURLToPath(new URL('../../../../../shared/seed/', import.meta.url));

/** One of the seed's manifests, parsed. */
export function readSeed<T = unknown>(file: string): T {
  return parse(readFileSync(`${seedDirectory}${file}`, 'utf8')) as T;
}
