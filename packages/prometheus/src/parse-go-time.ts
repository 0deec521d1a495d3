const months = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];
const days = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

interface Fields {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  ms: number;
  pm?: boolean | undefined;
  offsetMinutes?: number | undefined;
}

type Token = { pattern: string; apply?: ((fields: Fields, text: string) => void) | undefined };

const monthIndex = (text: string) => months.findIndex((name) => name.toLowerCase().startsWith(text.toLowerCase())) + 1;
const offset = (text: string): number => {
  if (text === 'Z') return 0;
  const match = /^([+-])(\d\d):?(\d\d)?$/.exec(text);
  if (!match) return 0;
  const minutes = Number(match[2]) * 60 + Number(match[3] ?? 0);
  return match[1] === '-' ? -minutes : minutes;
};
type NumberField = Exclude<keyof Fields, 'pm'>;
const set =
  (field: NumberField, read: (text: string) => number) =>
  (fields: Fields, text: string): void => {
    fields[field] = read(text);
  };
const setPm = (fields: Fields, text: string): void => {
  fields.pm = text.toUpperCase() === 'PM';
};
const fraction = (fields: Fields, text: string) => {
  fields.ms = Math.round(Number(`0${text}`) * 1000);
};

// Go's reference-time layout elements, longest first so that "2006" wins over "2".
const elements: [string, Token][] = [
  ['January', { pattern: `(${months.join('|')})`, apply: set('month', (t) => monthIndex(t)) }],
  ['Monday', { pattern: `(?:${days.join('|')})` }],
  ['Z07:00', { pattern: '(Z|[+-]\\d\\d:\\d\\d)', apply: set('offsetMinutes', (t) => offset(t)) }],
  ['-07:00', { pattern: '([+-]\\d\\d:\\d\\d)', apply: set('offsetMinutes', (t) => offset(t)) }],
  ['Z0700', { pattern: '(Z|[+-]\\d{4})', apply: set('offsetMinutes', (t) => offset(t)) }],
  ['-0700', { pattern: '([+-]\\d{4})', apply: set('offsetMinutes', (t) => offset(t)) }],
  ['2006', { pattern: '(\\d{4})', apply: set('year', (t) => Number(t)) }],
  ['.000000000', { pattern: '(\\.\\d{9})', apply: fraction }],
  ['.999999999', { pattern: '((?:\\.\\d{1,9})?)', apply: fraction }],
  ['.000000', { pattern: '(\\.\\d{6})', apply: fraction }],
  ['.999999', { pattern: '((?:\\.\\d{1,6})?)', apply: fraction }],
  ['.000', { pattern: '(\\.\\d{3})', apply: fraction }],
  ['.999', { pattern: '((?:\\.\\d{1,3})?)', apply: fraction }],
  ['Jan', { pattern: '([A-Z][a-z]{2})', apply: set('month', (t) => monthIndex(t)) }],
  ['Mon', { pattern: '(?:[A-Z][a-z]{2})' }],
  ['MST', { pattern: '(?:[A-Z]{3,4}|[+-]\\d\\d)' }],
  ['-07', { pattern: '([+-]\\d\\d)', apply: set('offsetMinutes', (t) => offset(t)) }],
  ['01', { pattern: '(\\d\\d)', apply: set('month', (t) => Number(t)) }],
  ['02', { pattern: '(\\d\\d)', apply: set('day', (t) => Number(t)) }],
  ['_2', { pattern: '( ?\\d{1,2})', apply: set('day', (t) => Number(t.trim())) }],
  ['06', { pattern: '(\\d\\d)', apply: set('year', (t) => 2000 + Number(t) - (Number(t) >= 69 ? 100 : 0)) }],
  ['15', { pattern: '(\\d\\d?)', apply: set('hour', (t) => Number(t)) }],
  ['03', { pattern: '(\\d\\d)', apply: set('hour', (t) => Number(t)) }],
  ['04', { pattern: '(\\d\\d)', apply: set('minute', (t) => Number(t)) }],
  ['05', { pattern: '(\\d\\d)', apply: set('second', (t) => Number(t)) }],
  ['PM', { pattern: '(AM|PM)', apply: setPm }],
  ['pm', { pattern: '(am|pm)', apply: setPm }],
  ['1', { pattern: '(\\d\\d?)', apply: set('month', (t) => Number(t)) }],
  ['2', { pattern: '(\\d\\d?)', apply: set('day', (t) => Number(t)) }],
  ['3', { pattern: '(\\d\\d?)', apply: set('hour', (t) => Number(t)) }],
  ['4', { pattern: '(\\d\\d?)', apply: set('minute', (t) => Number(t)) }],
  ['5', { pattern: '(\\d\\d?)', apply: set('second', (t) => Number(t)) }],
];

/**
 * Go's `time.ParseInLocation(layout, value, zone)` for the layout elements
 * templates use (`2006-01-02 15:04:05`, RFC 3339, RFC 1123, ...). `zone` is
 * an IANA name, used when the value carries no offset. Returns epoch ms;
 * throws an Error worded as Go words it.
 */
export function parseGoTime(layout: string, value: string, zone = 'UTC'): number {
  let pattern = '^';
  let groups = 0;
  const appliers: { group: number; apply: (fields: Fields, text: string) => void }[] = [];
  for (let at = 0; at < layout.length; ) {
    const found = elements.find(([element]) => layout.startsWith(element, at));
    if (found) {
      // Atomic, as Go's parser is greedy and never backtracks: `(?=(P))\N` matches P once, without retrying
      // shorter matches, so a layout of many `1`s against a long run of digits stays linear (not exponential).
      const inner = found[1].pattern.startsWith('(?:') ? `(${found[1].pattern.slice(3)}` : found[1].pattern;
      groups++;
      pattern += `(?=${inner})\\${groups}`;
      if (found[1].apply) appliers.push({ group: groups, apply: found[1].apply });
      at += found[0].length;
    } else {
      pattern += (layout[at] as string).replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      at++;
    }
  }
  const match = new RegExp(`${pattern}$`).exec(value);
  if (!match)
    throw new Error(`parsing time ${JSON.stringify(shorten(value))} as ${JSON.stringify(shorten(layout))}: cannot parse`);
  const fields: Fields = { year: 0, month: 1, day: 1, hour: 0, minute: 0, second: 0, ms: 0 };
  for (const { group, apply } of appliers) apply(fields, match[group] ?? '');
  if (fields.pm !== undefined) fields.hour = (fields.hour % 12) + (fields.pm ? 12 : 0);
  if (
    fields.month < 1 ||
    fields.month > 12 ||
    fields.day < 1 ||
    fields.day > 31 ||
    fields.hour > 23 ||
    fields.minute > 59 ||
    fields.second > 59
  )
    throw new Error(`parsing time ${JSON.stringify(shorten(value))}: value out of range`);
  const wall = Date.UTC(fields.year, fields.month - 1, fields.day, fields.hour, fields.minute, fields.second, fields.ms);
  if (fields.offsetMinutes !== undefined) return wall - fields.offsetMinutes * 60_000;
  return wallTimeInZone(wall, zone);
}

/** Epoch ms of a wall-clock time (given as if it were UTC) in an IANA zone. */
function wallTimeInZone(wall: number, zone: string): number {
  if (zone === 'UTC' || zone === '') return wall;
  let format: Intl.DateTimeFormat;
  try {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
  } catch {
    throw new Error(`unknown time zone ${zone}`);
  }
  const offsetAt = (epoch: number) => {
    const parts = Object.fromEntries(format.formatToParts(epoch).map((part) => [part.type, part.value]));
    const asUtc = Date.UTC(
      Number(parts.year),
      Number(parts.month) - 1,
      Number(parts.day),
      Number(parts.hour),
      Number(parts.minute),
      Number(parts.second),
    );
    return asUtc - Math.floor(epoch / 1000) * 1000;
  };
  const first = wall - offsetAt(wall);
  return wall - offsetAt(first);
}

// Values and layouts come from templates: a message quotes only their start.
function shorten(text: string): string {
  return text.length > 64 ? `${text.slice(0, 64)}…` : text;
}
