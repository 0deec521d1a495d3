import { ValidationError } from '../errors/validation-error.js';

import { parseGoDuration } from './parse-go-duration.js';

const INT32_MAX = 2_147_483_647;

/**
 * Parses a duration as Argo Rollouts reads one: a number, or a string of
 * digits, means seconds (as a 32-bit integer); anything else is Go's
 * duration syntax (`1h30m`, `20s`, `500ms`, `1.5h`). Returns milliseconds.
 * Negative durations are refused: nothing in a rollout waits a negative time.
 */
export function parseDuration(input: string | number): number {
  if (typeof input === 'number') {
    if (!Number.isFinite(input) || input < 0) throw invalid(input, 'must be a non-negative number of seconds');
    if (!Number.isInteger(input))
      throw invalid(input, 'a bare number of seconds must be a whole number; write "1.5s" for fractions');
    if (input > INT32_MAX) throw invalid(input, `seconds must be at most ${INT32_MAX}`);
    return input * 1000;
  }
  if (typeof input !== 'string') throw invalid(input, 'must be a string such as "30s" or a number of seconds');
  const text = input.trim();
  if (/^[+-]?\d+$/.test(text)) return parseDuration(Number(text));
  if (text.startsWith('-')) throw invalid(input, 'must not be negative');
  try {
    return parseGoDuration(text);
  } catch {
    throw invalid(input, 'is not a duration; use Go syntax such as "30s", "5m", "1h30m" or "500ms"');
  }
}

function invalid(input: unknown, message: string): ValidationError {
  return new ValidationError(`duration ${JSON.stringify(input)}`, [{ path: '', message: `${JSON.stringify(input)} ${message}` }]);
}
