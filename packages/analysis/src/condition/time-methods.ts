import { formatGoTime } from './go-time-layout.js';
import { durationOf, ExprDuration, ExprLocation, ExprTime, formatDuration, UTC } from './time-values.js';

/** A method call's receiver and arguments; `fail` reports a wrong argument. */
export interface MethodCall {
  receiver: unknown;
  args: unknown[];
  fail: (reason: string) => never;
}

type Method = (call: MethodCall) => unknown;

const time = (call: MethodCall, name: string): ExprTime => {
  if (!(call.receiver instanceof ExprTime)) return call.fail(`${name} is a method of dates`);
  return call.receiver;
};
const duration = (call: MethodCall, name: string): ExprDuration => {
  if (!(call.receiver instanceof ExprDuration)) return call.fail(`${name} is a method of durations`);
  return call.receiver;
};
const arg = <T>(call: MethodCall, name: string, type: new (...args: never[]) => T, what: string): T => {
  const value = call.args[0];
  if (call.args.length !== 1 || !(value instanceof type)) return call.fail(`${name} takes one ${what}`);
  return value;
};
const none = (call: MethodCall, name: string) => {
  if (call.args.length !== 0) call.fail(`${name} takes no arguments`);
};

function timeField(name: string, read: (w: Date, t: ExprTime) => number): Method {
  return (call) => {
    const t = time(call, name);
    none(call, name);
    return read(t.wall(), t);
  };
}

function durationIn(name: string, unitNs: number, whole: boolean): Method {
  return (call) => {
    const d = duration(call, name);
    none(call, name);
    return whole ? Math.trunc(d.ns / unitNs) : d.ns / unitNs;
  };
}

/**
 * The methods of Go's `time.Time` and `time.Duration` that conditions may
 * call (`now().Year()`, `duration("1h").Seconds()`); Go's names, Go's
 * meaning. Nothing else can be called on a value.
 */
export const methods: Readonly<Record<string, Method>> = {
  Year: timeField('Year', (w) => w.getUTCFullYear()),
  Month: timeField('Month', (w) => w.getUTCMonth() + 1),
  Day: timeField('Day', (w) => w.getUTCDate()),
  Hour: timeField('Hour', (w) => w.getUTCHours()),
  Minute: timeField('Minute', (w) => w.getUTCMinutes()),
  Second: timeField('Second', (w) => w.getUTCSeconds()),
  Nanosecond: timeField('Nanosecond', (_w, t) => t.nanosecond()),
  Weekday: timeField('Weekday', (w) => w.getUTCDay()),
  YearDay: timeField(
    'YearDay',
    (w) =>
      Math.floor(
        (Date.UTC(w.getUTCFullYear(), w.getUTCMonth(), w.getUTCDate()) - Date.UTC(w.getUTCFullYear(), 0, 1)) / 86_400_000,
      ) + 1,
  ),
  Unix: timeField('Unix', (_w, t) => Math.floor(t.ms / 1000)),
  UnixMilli: timeField('UnixMilli', (_w, t) => Math.floor(t.ms)),
  IsZero: (call) => {
    none(call, 'IsZero');
    const t = time(call, 'IsZero');
    return t.ms === GO_ZERO_TIME_MS && t.nanos === 0;
  },
  Format: (call) => {
    const t = time(call, 'Format');
    const layout = call.args[0];
    if (call.args.length !== 1 || typeof layout !== 'string') return call.fail('Format takes one layout string');
    return formatGoTime(t, layout);
  },
  Before: (call) => time(call, 'Before').compare(arg(call, 'Before', ExprTime, 'date')) < 0,
  After: (call) => time(call, 'After').compare(arg(call, 'After', ExprTime, 'date')) > 0,
  Equal: (call) => time(call, 'Equal').compare(arg(call, 'Equal', ExprTime, 'date')) === 0,
  Sub: (call) => durationOf(time(call, 'Sub').since(arg(call, 'Sub', ExprTime, 'date'))),
  Add: (call) => time(call, 'Add').plus(arg(call, 'Add', ExprDuration, 'duration').ns),
  AddDate: (call) => {
    const t = time(call, 'AddDate');
    const [years, months, days] = call.args;
    if (call.args.length !== 3 || ![years, months, days].every((n) => Number.isInteger(n)))
      return call.fail('AddDate takes three integers (years, months, days)');
    const w = t.wall();
    // Go normalises overflowing fields the way Date.UTC does (Oct 31 + 1 month is Dec 1).
    const wall = Date.UTC(
      w.getUTCFullYear() + (years as number),
      w.getUTCMonth() + (months as number),
      w.getUTCDate() + (days as number),
      w.getUTCHours(),
      w.getUTCMinutes(),
      w.getUTCSeconds(),
      w.getUTCMilliseconds(),
    );
    const offset = t.location.offsetAt(t.ms);
    return new ExprTime(wall - offset * 1000, t.location, t.nanos);
  },
  UTC: (call) => {
    none(call, 'UTC');
    const t = time(call, 'UTC');
    return new ExprTime(t.ms, UTC, t.nanos);
  },
  In: (call) => {
    const t = time(call, 'In');
    return new ExprTime(t.ms, arg(call, 'In', ExprLocation, 'time zone'), t.nanos);
  },
  Hours: durationIn('Hours', 3.6e12, false),
  Minutes: durationIn('Minutes', 6e10, false),
  Seconds: durationIn('Seconds', 1e9, false),
  Milliseconds: durationIn('Milliseconds', 1e6, true),
  Microseconds: durationIn('Microseconds', 1e3, true),
  Nanoseconds: durationIn('Nanoseconds', 1, true),
  Abs: (call) => {
    none(call, 'Abs');
    return durationOf(Math.abs(duration(call, 'Abs').ns));
  },
  String: (call) => {
    none(call, 'String');
    if (call.receiver instanceof ExprDuration) return formatDuration(call.receiver.ns);
    return formatGoTime(time(call, 'String'), '2006-01-02 15:04:05.999999999 -0700 MST');
  },
};

/** Go's zero time, January 1, year 1, 00:00:00 UTC, in epoch milliseconds. */
export const GO_ZERO_TIME_MS = -62_135_596_800_000;

/** Names the parser accepts after `.` with a call. */
export const methodNames: ReadonlySet<string> = new Set(Object.keys(methods));
