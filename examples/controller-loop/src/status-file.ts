import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { RolloutStatus } from '@gradual/core';

/** The persisted status, or null when there is none yet (a first run). Throws, naming the file, on a damaged one. */
export function readStatusFile(path: string): RolloutStatus | null {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new Error(`could not read the rollout status ${path}: ${(error as Error).message}`, { cause: error });
  }
  try {
    return JSON.parse(text) as RolloutStatus;
  } catch (error) {
    // Never start over silently: that would replay every step from 0 on live traffic.
    throw new Error(`the rollout status ${path} is not valid JSON (${(error as Error).message}); fix or remove it`, {
      cause: error,
    });
  }
}

/**
 * Writes the status so that a crash at any moment leaves either the old or
 * the new file, never half of one: write a sibling, then rename over.
 */
export function writeStatusFile(path: string, status: RolloutStatus): void {
  mkdirSync(dirname(path), { recursive: true });
  const temporary = `${path}.${process.pid}.tmp`;
  writeFileSync(temporary, `${JSON.stringify(status, null, 2)}\n`);
  renameSync(temporary, path);
}
