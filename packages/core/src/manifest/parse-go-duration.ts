import { GradualError } from '../errors/gradual-error.js';

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

const shape = /^[+-]?(?:(?:\d+(?:\.\d*)?|\.\d+)(?:ns|us|µs|μs|ms|s|m|h))+$/;
const component = /(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|μs|ms|s|m|h)/g;
// Go's Duration is an int64 of nanoseconds.
const maxMs = 9.223372036854776e18 / 1e6;

/**
 * Go's `time.ParseDuration`, strictly: a unit is required (`"0"` aside) and
 * a sign is allowed (`-5m`), as Argo reads `rangeQuery.step` and
 * expr-lang's `duration()`. Returns milliseconds; throws a GradualError
 * (code `INVALID_DURATION`) worded as Go words it (`time: invalid duration "1z"`).
 */
export function parseGoDuration(text: string): number {
  if (text === '0' || text === '+0' || text === '-0') return 0;
  if (!shape.test(text)) throw invalid(text);
  let ms = 0;
  for (const [, amount, unit] of text.matchAll(component)) ms += Number(amount) * (unitMs[unit as string] as number);
  if (ms > maxMs) throw invalid(text);
  return text.startsWith('-') ? -ms : ms;
}

function invalid(text: string): GradualError {
  return new GradualError('INVALID_DURATION', `time: invalid duration ${JSON.stringify(text)}`);
}
