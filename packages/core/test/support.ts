import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** Text of a manifest from the seed (shared/seed beside the repository). */
export function seed(name: string): string {
  return readFileSync(fileURLToPath(new URL(`../../../../shared/seed/${name}`, import.meta.url)), 'utf8');
}
