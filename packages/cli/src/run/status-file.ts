import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { migrateStatus, type RolloutStatus, ValidationError } from '@gradual/core';

/** The status a previous run saved, or undefined when the file is not there yet. */
export function readStatusFile(file: string): RolloutStatus | undefined {
  if (!existsSync(file)) return undefined;
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new ValidationError(`status file ${file}`, [{ path: '', message: `is not JSON: ${(error as Error).message}` }], {
      cause: error,
    });
  }
  return migrateStatus(data);
}

/** Saves the status so a killed job resumes from it: written aside, then renamed over the file (never half-written). */
export function writeStatusFile(file: string, status: RolloutStatus): void {
  const aside = `${file}.${process.pid}.tmp`;
  writeFileSync(aside, `${JSON.stringify(status, null, 2)}\n`);
  renameSync(aside, file);
}
