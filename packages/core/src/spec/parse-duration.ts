import { ValidationError } from '../errors/validation-error.js';

// Go's time.ParseDuration units, in milliseconds.
const unitMs: Record<string, number> = {
  ns: 1e-6,
  us: 1e-3,
  µs: 1e-3,
  μs: 1e-3,
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
};

const goDuration = /^([+-]?)((?:\d+(?:\.\d*)?|\.\d+)(?:ns|us|µs|μs|ms|s|m|h))+$/;
const component = /(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|μs|ms|s|m|h)/g;
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
  if (text === '0') return 0;
  const shape = goDuration.exec(text);
  if (!shape) throw invalid(input, 'is not a duration; use Go syntax such as "30s", "5m", "1h30m" or "500ms"');
  if (shape[1] === '-') throw invalid(input, 'must not be negative');
  let ms = 0;
  for (const [, amount, unit] of text.matchAll(component)) {
    ms += Number(amount) * (unitMs[unit as string] as number);
  }
  // Go's Duration is an int64 of nanoseconds.
  if (ms * 1e6 > 9.223372036854776e18) throw invalid(input, 'is too long');
  return ms;
}

function invalid(input: unknown, message: string): ValidationError {
  return new ValidationError(`duration ${JSON.stringify(input)}`, [{ path: '', message: `${JSON.stringify(input)} ${message}` }]);
}
