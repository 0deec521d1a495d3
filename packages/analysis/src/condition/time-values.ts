/**
 * Dates, durations and time zones as conditions see them (expr-lang's
 * `time.Time`, `time.Duration`, `*time.Location`). Only builtins create
 * them: a result is plain data and never holds one.
 */

/** A time zone: UTC, a fixed offset (from a parsed `+02:00`) or an IANA zone read through `Intl`. */
export class ExprLocation {
  constructor(
    /** `UTC`, an IANA name such as `Europe/Zurich`, or `''` for a fixed offset. */
    readonly name: string,
    /** Seconds east of UTC for a fixed zone. */
    readonly fixedOffset?: number,
  ) {}

  /** Seconds east of UTC at the instant `ms`. */
  offsetAt(ms: number): number {
    if (this.fixedOffset !== undefined) return this.fixedOffset;
    if (this.name === 'UTC') return 0;
    return ianaOffset(this.name, ms);
  }

  /** The zone's abbreviation at `ms`, as Go prints it (`UTC`, `+0200` when there is no name). */
  abbreviation(ms: number): string {
    if (this.name === 'UTC') return 'UTC';
    const offset = this.offsetAt(ms);
    if (this.name !== '') {
      const named = ianaAbbreviation(this.name, ms);
      if (named && !/^GMT[+-]/.test(named)) return named;
    }
    const sign = offset < 0 ? '-' : '+';
    const abs = Math.abs(offset);
    return `${sign}${pad(Math.floor(abs / 3600), 2)}${pad(Math.floor((abs % 3600) / 60), 2)}`;
  }
}

/** UTC, as Go's `time.UTC`. */
export const UTC = new ExprLocation('UTC');

/** An instant to the nanosecond, in a location (for printing and fields). */
export class ExprTime {
  /** Whole milliseconds since the epoch. */
  readonly ms: number;
  /** Nanoseconds within the millisecond, 0 to 999 999. */
  readonly nanos: number;

  constructor(
    /** Milliseconds since the epoch; a fraction is kept as nanoseconds. */
    ms: number,
    readonly location: ExprLocation = UTC,
    nanos = 0,
  ) {
    const whole = Math.floor(ms);
    const extra = Math.round((ms - whole) * 1e6) + nanos;
    const carry = Math.floor(extra / 1e6);
    this.ms = whole + carry;
    this.nanos = extra - carry * 1e6;
  }

  /** This instant moved by `ns` nanoseconds (exact: milliseconds and nanoseconds are kept apart). */
  plus(ns: number): ExprTime {
    return new ExprTime(this.ms + Math.trunc(ns / 1e6), this.location, this.nanos + (ns % 1e6));
  }

  /** Nanoseconds from `other` to this instant. */
  since(other: ExprTime): number {
    return (this.ms - other.ms) * 1e6 + (this.nanos - other.nanos);
  }

  /** -1, 0 or 1 as this instant is before, at or after `other`. */
  compare(other: ExprTime): number {
    if (this.ms !== other.ms) return this.ms < other.ms ? -1 : 1;
    return Math.sign(this.nanos - other.nanos);
  }

  /** The wall clock in the location: a Date whose UTC fields are the local fields. */
  wall(): Date {
    return new Date(Math.floor(this.ms) + this.location.offsetAt(this.ms) * 1000);
  }

  /** Nanoseconds within the second. */
  nanosecond(): number {
    return (((this.ms % 1000) + 1000) % 1000) * 1e6 + this.nanos;
  }
}

/** A span of time in nanoseconds (Go's `time.Duration`, an int64; exact up to 2^53 ns, about 104 days). */
export class ExprDuration {
  constructor(readonly ns: number) {}
}

const MAX_DURATION_NS = 9.223372036854776e18;

/** A duration from nanoseconds, failing as Go would overflow. */
export function durationOf(ns: number): ExprDuration {
  if (!Number.isFinite(ns) || Math.abs(ns) > MAX_DURATION_NS) throw new RangeError('duration out of range');
  return new ExprDuration(Math.trunc(ns));
}

/** Go's `Duration.String()`: `1h0m0s`, `1.5s`, `300ms`, `0s`. */
export function formatDuration(ns: number): string {
  if (ns === 0) return '0s';
  const sign = ns < 0 ? '-' : '';
  let rest = Math.abs(ns);
  if (rest < 1e9) {
    // Below a second Go picks the largest unit that keeps an integer part.
    if (rest < 1e3) return `${sign}${rest}ns`;
    if (rest < 1e6) return `${sign}${trimFraction(rest / 1e3)}µs`;
    return `${sign}${trimFraction(rest / 1e6)}ms`;
  }
  const hours = Math.floor(rest / 3.6e12);
  rest -= hours * 3.6e12;
  const minutes = Math.floor(rest / 6e10);
  rest -= minutes * 6e10;
  const seconds = trimFraction(rest / 1e9);
  if (hours > 0) return `${sign}${hours}h${minutes}m${seconds}s`;
  if (minutes > 0) return `${sign}${minutes}m${seconds}s`;
  return `${sign}${seconds}s`;
}

function trimFraction(value: number): string {
  return String(Number(value.toFixed(9)));
}

/** `"120"` → `"12"`: the digits of a fraction without its trailing zeros (a loop, not a backtracking regex). */
export function trimTrailingZeros(digits: string): string {
  let end = digits.length;
  while (end > 0 && digits[end - 1] === '0') end--;
  return digits.slice(0, end);
}

/** Go's `Time.String()`: `2006-01-02 15:04:05.999999999 -0700 MST`. */
export function formatTimeDefault(time: ExprTime): string {
  const w = time.wall();
  const ns = time.nanosecond();
  const fraction = ns === 0 ? '' : `.${trimTrailingZeros(pad(ns, 9))}`;
  const offset = time.location.offsetAt(time.ms);
  const sign = offset < 0 ? '-' : '+';
  const abs = Math.abs(offset);
  const zone = `${sign}${pad(Math.floor(abs / 3600), 2)}${pad(Math.floor((abs % 3600) / 60), 2)}`;
  return `${pad(w.getUTCFullYear(), 4)}-${pad(w.getUTCMonth() + 1, 2)}-${pad(w.getUTCDate(), 2)} ${pad(w.getUTCHours(), 2)}:${pad(w.getUTCMinutes(), 2)}:${pad(w.getUTCSeconds(), 2)}${fraction} ${zone} ${time.location.abbreviation(time.ms)}`;
}

/** Zero-padded decimal. */
export function pad(value: number, width: number): string {
  return String(value).padStart(width, '0');
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(zone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(zone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
      timeZoneName: 'short',
    });
    if (formatters.size > 64) formatters.clear();
    formatters.set(zone, formatter);
  }
  return formatter;
}

/** Whether `zone` is an IANA time zone this runtime knows. */
export function isKnownZone(zone: string): boolean {
  if (zone.length > 64 || !/^[A-Za-z][A-Za-z0-9_+\-/]*$/.test(zone)) return false;
  try {
    formatterFor(zone);
    return true;
  } catch {
    return false;
  }
}

function ianaOffset(zone: string, ms: number): number {
  const parts = formatterFor(zone).formatToParts(new Date(Math.floor(ms)));
  const get = (type: string) => Number(parts.find((part) => part.type === type)?.value);
  const asUtc = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second'));
  return Math.round((asUtc - Math.floor(ms / 1000) * 1000) / 1000);
}

function ianaAbbreviation(zone: string, ms: number): string | undefined {
  return formatterFor(zone)
    .formatToParts(new Date(Math.floor(ms)))
    .find((part) => part.type === 'timeZoneName')?.value;
}

/** The instant whose wall clock in `location` reads `wallMs` (as if UTC); the earlier one in a DST overlap. */
export function instantOfWall(wallMs: number, location: ExprLocation): number {
  let guess = wallMs - location.offsetAt(wallMs) * 1000;
  // Two rounds settle offsets that change between the guess and the answer (DST edges).
  for (let i = 0; i < 2; i++) guess = wallMs - location.offsetAt(guess) * 1000;
  return guess;
}
