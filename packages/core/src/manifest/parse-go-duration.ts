import { GradualError } from '../errors/gradual-error.js';

// Go's time.ParseDuration units, in nanoseconds.
const unitNs: Record<string, bigint> = {
  ns: 1n,
  us: 1_000n,
  µs: 1_000n, // U+00B5 micro sign
  μs: 1_000n, // U+03BC Greek mu
  ms: 1_000_000n,
  s: 1_000_000_000n,
  m: 60_000_000_000n,
  h: 3_600_000_000_000n,
};
// Go's Duration is an int64 of nanoseconds: up to 2^63-1, down to -2^63.
const INT64_LIMIT = 1n << 63n;

const isDigit = (c: string | undefined) => c !== undefined && c >= '0' && c <= '9';

/**
 * Go's `time.ParseDuration`, strictly: a unit is required (`"0"` aside) and
 * a sign is allowed (`-5m`), as Argo reads `rangeQuery.step` and
 * expr-lang's `duration()`. Returns milliseconds; throws a GradualError
 * (code `INVALID_DURATION`) worded as Go words it (`time: invalid duration "1z"`).
 *
 * A one-pass scanner in Go's own order, with the total in exact integer
 * nanoseconds, so that the int64 limit is Go's to the nanosecond (a float sum
 * accepted `9223372036854775808ns`) and no input makes it backtrack.
 */
export function parseGoDuration(text: string): number {
  let i = 0;
  let negative = false;
  if (text[0] === '-' || text[0] === '+') {
    negative = text[0] === '-';
    i = 1;
  }
  if (text.slice(i) === '0') return 0;
  if (i === text.length) throw invalid(text);
  let total = 0n;
  while (i < text.length) {
    if (!(text[i] === '.' || isDigit(text[i]))) throw invalid(text);
    // The integer part, exactly.
    const intStart = i;
    while (isDigit(text[i])) i++;
    const whole = i > intStart ? BigInt(text.slice(intStart, i)) : 0n;
    if (whole > INT64_LIMIT) throw invalid(text);
    let fraction = 0;
    let scale = 1;
    let fractionDigits = 0;
    if (text[i] === '.') {
      i++;
      // Go keeps the digits that fit and ignores the rest, then scales in float64.
      let digits = 0n;
      for (; isDigit(text[i]); i++, fractionDigits++) {
        if (digits < INT64_LIMIT / 10n) {
          digits = digits * 10n + BigInt((text[i] as string).charCodeAt(0) - 48);
          scale *= 10;
        }
      }
      fraction = Number(digits);
    }
    if (i === intStart || (i === intStart + 1 && text[intStart] === '.' && fractionDigits === 0)) throw invalid(text);
    const unitStart = i;
    while (i < text.length && text[i] !== '.' && !isDigit(text[i])) i++;
    const unit = unitNs[text.slice(unitStart, i)];
    if (unit === undefined) throw invalid(text);
    let value = whole * unit;
    if (value > INT64_LIMIT) throw invalid(text);
    if (fraction > 0) value += BigInt(Math.trunc(fraction * (Number(unit) / scale)));
    total += value;
    if (total > INT64_LIMIT) throw invalid(text);
  }
  if (!negative && total > INT64_LIMIT - 1n) throw invalid(text);
  const ms = Number(total) / 1e6;
  return negative && ms !== 0 ? -ms : ms;
}

function invalid(text: string): GradualError {
  return new GradualError('INVALID_DURATION', `time: invalid duration ${JSON.stringify(text)}`);
}
