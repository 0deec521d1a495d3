import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** Text of one of the talk's manifests (examples/manifests in this repository). */
export function seed(name: string): string {
  return readFileSync(fileURLToPath(new URL(`../../../examples/manifests/${name}`, import.meta.url)), 'utf8');
}
