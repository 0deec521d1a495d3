import { systemClock } from '@gradual/core';
import { parseGoDuration } from '@gradual/core/adapter';
import type { Builtin, BuiltinCall } from './builtin-helpers.js';
import { ConditionError } from './condition-error.js';
import { parseGoTime } from './go-time-layout.js';
import { durationOf, ExprLocation, ExprTime, isKnownZone, UTC } from './time-values.js';
import { typeName } from './values.js';

// expr-lang's `date(str)` layouts, tried in this order (builtin/builtin.go).
const defaultLayouts = [
  '2006-01-02',
  '15:04:05',
  '2006-01-02 15:04:05',
  '2006-01-02T15:04:05Z07:00', // RFC3339
  '02 Jan 06 15:04 MST', // RFC822
  'Monday, 02-Jan-06 15:04:05 MST', // RFC850
  'Mon, 02 Jan 2006 15:04:05 MST', // RFC1123
];

/** Longest date text or layout read: Go's parser is linear, ours too, but nothing needs more. */
const MAX_DATE_TEXT = 256;

function string(call: BuiltinCall, name: string, value: unknown): string {
  if (typeof value !== 'string') return call.ctx.fail(`invalid argument for ${name} (type ${typeName(value)})`, call.pos);
  if (value.length > MAX_DATE_TEXT) return call.ctx.fail(`${name}: text longer than ${MAX_DATE_TEXT} characters`, call.pos);
  call.ctx.charge(call.env, value.length + 1, call.pos);
  return value;
}

/** `timezone(name)`: an IANA zone, `UTC`, or `Local` (read as UTC: the process' zone is not part of a condition). */
export function locationNamed(call: BuiltinCall, name: string): ExprLocation {
  if (name === 'UTC' || name === '') return UTC;
  if (name === 'Local') return new ExprLocation('Local', 0);
  if (!isKnownZone(name)) return call.ctx.fail(`unknown time zone ${name}`, call.pos);
  return new ExprLocation(name);
}

/** expr-lang's date functions. */
export const timeBuiltins: Readonly<Record<string, Builtin>> = {
  // The evaluation's clock (the analysis run's clock), so a fake clock drives conditions too.
  now(call) {
    const zone = call.args[0];
    if (call.args.length === 1 && !(zone instanceof ExprLocation))
      return call.ctx.fail(`invalid argument for now (type ${typeName(zone)})`, call.pos);
    return new ExprTime(call.env.now ?? systemClock.now(), zone instanceof ExprLocation ? zone : UTC);
  },
  duration(call) {
    const text = string(call, 'duration', call.args[0]);
    try {
      return durationOf(parseGoDuration(text) * 1e6);
    } catch (error) {
      return call.ctx.fail((error as Error).message, call.pos);
    }
  },
  date(call) {
    let args = call.args;
    let zone: ExprLocation | undefined;
    if (args[0] instanceof ExprLocation) {
      zone = args[0];
      args = args.slice(1);
    }
    if (args.length < 1 || args.length > 3)
      return call.ctx.fail(`invalid number of arguments (expected 1 to 3, got ${args.length})`, call.pos);
    const text = string(call, 'date', args[0]);
    try {
      if (args.length >= 2) {
        const layout = string(call, 'date', args[1]);
        const location = args.length === 3 ? locationNamed(call, string(call, 'date', args[2])) : (zone ?? UTC);
        return parseGoTime(text, layout, location);
      }
      for (const layout of defaultLayouts) {
        try {
          return parseGoTime(text, layout, zone ?? UTC);
        } catch {
          // the next layout
        }
      }
    } catch (error) {
      if (ConditionError.isConditionError(error)) throw error;
      return call.ctx.fail((error as Error).message, call.pos);
    }
    return call.ctx.fail(`invalid date ${text}`, call.pos);
  },
  timezone: (call) => locationNamed(call, string(call, 'timezone', call.args[0])),
};
