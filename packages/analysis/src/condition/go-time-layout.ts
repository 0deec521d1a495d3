import { ExprLocation, ExprTime, instantOfWall, pad, trimTrailingZeros, UTC } from './time-values.js';

/** One element of a Go layout (`2006-01-02T15:04:05Z07:00`): a literal run or a field. */
type Chunk = { literal: string } | { field: string; digits?: number | undefined };

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

// Fields in the order Go's `nextStdChunk` tries them at a position (longest first where they share a prefix).
const fields = [
  'January',
  'Jan',
  'Monday',
  'Mon',
  'MST',
  '2006',
  '002',
  '01',
  '02',
  '03',
  '04',
  '05',
  '06',
  '15',
  '_2',
  'Z07:00:00',
  'Z070000',
  'Z07:00',
  'Z0700',
  'Z07',
  '-07:00:00',
  '-070000',
  '-07:00',
  '-0700',
  '-07',
  'PM',
  'pm',
  '1',
  '2',
  '3',
  '4',
  '5',
];

/** Splits a Go layout into literals and fields, as Go's `time` package reads it. */
export function layoutChunks(layout: string): Chunk[] {
  const chunks: Chunk[] = [];
  let literal = '';
  let i = 0;
  while (i < layout.length) {
    const c = layout[i] as string;
    // `.000` / `,999`: fractional seconds, when the run of 0s or 9s is not followed by a digit.
    if ((c === '.' || c === ',') && (layout[i + 1] === '0' || layout[i + 1] === '9')) {
      const digit = layout[i + 1] as string;
      let j = i + 1;
      while (layout[j] === digit) j++;
      if (!/[0-9]/.test(layout[j] ?? '')) {
        if (literal) chunks.push({ literal });
        literal = '';
        chunks.push({ field: digit === '0' ? 'frac0' : 'frac9', digits: j - i - 1 });
        i = j;
        continue;
      }
    }
    const field = fields.find((candidate) => layout.startsWith(candidate, i));
    if (field) {
      if (literal) chunks.push({ literal });
      literal = '';
      chunks.push({ field });
      i += field.length;
      continue;
    }
    literal += c;
    i++;
  }
  if (literal) chunks.push({ literal });
  return chunks;
}

/** Go's `Time.Format(layout)`. */
export function formatGoTime(time: ExprTime, layout: string): string {
  const w = time.wall();
  const offset = time.location.offsetAt(time.ms);
  const hour = w.getUTCHours();
  let out = '';
  for (const chunk of layoutChunks(layout)) {
    if ('literal' in chunk) {
      out += chunk.literal;
      continue;
    }
    switch (chunk.field) {
      case 'January':
        out += months[w.getUTCMonth()];
        break;
      case 'Jan':
        out += (months[w.getUTCMonth()] as string).slice(0, 3);
        break;
      case 'Monday':
        out += days[w.getUTCDay()];
        break;
      case 'Mon':
        out += (days[w.getUTCDay()] as string).slice(0, 3);
        break;
      case 'MST':
        out += time.location.abbreviation(time.ms);
        break;
      case '2006':
        out += pad(w.getUTCFullYear(), 4);
        break;
      case '06':
        out += pad(w.getUTCFullYear() % 100, 2);
        break;
      case '01':
        out += pad(w.getUTCMonth() + 1, 2);
        break;
      case '1':
        out += String(w.getUTCMonth() + 1);
        break;
      case '02':
        out += pad(w.getUTCDate(), 2);
        break;
      case '_2':
        out += String(w.getUTCDate()).padStart(2, ' ');
        break;
      case '2':
        out += String(w.getUTCDate());
        break;
      case '002':
        out += pad(yearDay(w), 3);
        break;
      case '15':
        out += pad(hour, 2);
        break;
      case '03':
        out += pad(hour % 12 === 0 ? 12 : hour % 12, 2);
        break;
      case '3':
        out += String(hour % 12 === 0 ? 12 : hour % 12);
        break;
      case '04':
        out += pad(w.getUTCMinutes(), 2);
        break;
      case '4':
        out += String(w.getUTCMinutes());
        break;
      case '05':
        out += pad(w.getUTCSeconds(), 2);
        break;
      case '5':
        out += String(w.getUTCSeconds());
        break;
      case 'PM':
        out += hour >= 12 ? 'PM' : 'AM';
        break;
      case 'pm':
        out += hour >= 12 ? 'pm' : 'am';
        break;
      case 'frac0':
      case 'frac9': {
        const digits = pad(time.nanosecond(), 9).slice(0, chunk.digits);
        const shown = chunk.field === 'frac9' ? trimTrailingZeros(digits) : digits;
        if (shown !== '') out += `.${shown}`;
        break;
      }
      default:
        out += formatZone(chunk.field, offset);
    }
  }
  return out;
}

function formatZone(field: string, offset: number): string {
  if (field.startsWith('Z') && offset === 0) return 'Z';
  const sign = offset < 0 ? '-' : '+';
  const abs = Math.abs(offset);
  const h = pad(Math.floor(abs / 3600), 2);
  const m = pad(Math.floor((abs % 3600) / 60), 2);
  const s = pad(abs % 60, 2);
  const shape = field.replace(/^Z/, '-');
  switch (shape) {
    case '-07:00:00':
      return `${sign}${h}:${m}:${s}`;
    case '-070000':
      return `${sign}${h}${m}${s}`;
    case '-07:00':
      return `${sign}${h}:${m}`;
    case '-0700':
      return `${sign}${h}${m}`;
    default:
      return `${sign}${h}`;
  }
}

function yearDay(w: Date): number {
  return (
    Math.floor(
      (Date.UTC(w.getUTCFullYear(), w.getUTCMonth(), w.getUTCDate()) - Date.UTC(w.getUTCFullYear(), 0, 1)) / 86_400_000,
    ) + 1
  );
}

/**
 * Go's `time.Parse(layout, text)` (with `location` for `ParseInLocation`):
 * fields are read as the layout says; a zone offset in the text wins over
 * `location`. Throws an Error worded as Go's (`parsing time "x" as "2006-01-02": cannot parse ...`).
 */
export function parseGoTime(text: string, layout: string, location: ExprLocation = UTC): ExprTime {
  const fail = (rest: string, element: string): never => {
    throw new Error(
      `parsing time ${JSON.stringify(text)} as ${JSON.stringify(layout)}: cannot parse ${JSON.stringify(rest)} as ${JSON.stringify(element)}`,
    );
  };
  let year = 1;
  let month = 1;
  let day = 1;
  let hour = 0;
  let minute = 0;
  let second = 0;
  let nanos = 0;
  let pm: boolean | undefined;
  let offset: number | undefined;
  let i = 0;
  const digits = (min: number, max: number, element: string): number => {
    let j = i;
    while (j < text.length && j - i < max && /[0-9]/.test(text[j] as string)) j++;
    if (j - i < min) fail(text.slice(i), element);
    const value = Number(text.slice(i, j));
    i = j;
    return value;
  };
  const word = (names: readonly string[], length: number | undefined, element: string): number => {
    const index = names.findIndex((name) => {
      const candidate = length ? name.slice(0, length) : name;
      return text.slice(i, i + candidate.length).toLowerCase() === candidate.toLowerCase();
    });
    if (index < 0) fail(text.slice(i), element);
    i += length ?? (names[index] as string).length;
    return index;
  };
  const chunks = layoutChunks(layout);
  // Go reads a fraction right after the seconds even when the layout has none there.
  const fractionAfterSeconds = (k: number) => {
    const next = chunks[k + 1];
    if (next && 'field' in next && next.field.startsWith('frac')) return;
    if ((text[i] === '.' || text[i] === ',') && /[0-9]/.test(text[i + 1] ?? '')) {
      const start = ++i;
      while (i < text.length && /[0-9]/.test(text[i] as string)) i++;
      nanos = Number(`${text.slice(start, i)}000000000`.slice(0, 9));
    }
  };
  for (const [k, chunk] of chunks.entries()) {
    if ('literal' in chunk) {
      if (!text.startsWith(chunk.literal, i)) fail(text.slice(i), chunk.literal);
      i += chunk.literal.length;
      continue;
    }
    const element = chunk.field;
    switch (element) {
      case 'January':
        month = word(months, undefined, element) + 1;
        break;
      case 'Jan':
        month = word(months, 3, element) + 1;
        break;
      case 'Monday':
        word(days, undefined, element);
        break;
      case 'Mon':
        word(days, 3, element);
        break;
      case 'MST': {
        const match = /^(?:UTC|GMT|[A-Z]{3,5})/.exec(text.slice(i));
        if (!match) fail(text.slice(i), element);
        i += (match as RegExpExecArray)[0].length;
        if ((match as RegExpExecArray)[0] === 'UTC' || (match as RegExpExecArray)[0] === 'GMT') offset ??= 0;
        break;
      }
      case '2006':
        year = digits(4, 4, element);
        break;
      case '06': {
        const yy = digits(2, 2, element);
        year = yy >= 69 ? 1900 + yy : 2000 + yy;
        break;
      }
      case '01':
        month = digits(2, 2, element);
        break;
      case '1':
        month = digits(1, 2, element);
        break;
      case '02':
        day = digits(2, 2, element);
        break;
      case '_2':
        if (text[i] === ' ') i++;
        day = digits(1, 2, element);
        break;
      case '2':
        day = digits(1, 2, element);
        break;
      case '002':
        day = digits(3, 3, element);
        month = 1;
        break;
      case '15':
        hour = digits(2, 2, element);
        break;
      case '03':
        hour = digits(2, 2, element);
        break;
      case '3':
        hour = digits(1, 2, element);
        break;
      case '04':
        minute = digits(2, 2, element);
        break;
      case '4':
        minute = digits(1, 2, element);
        break;
      case '05':
        second = digits(2, 2, element);
        fractionAfterSeconds(k);
        break;
      case '5':
        second = digits(1, 2, element);
        fractionAfterSeconds(k);
        break;
      case 'PM':
      case 'pm': {
        const ampm = text.slice(i, i + 2).toUpperCase();
        if (ampm !== 'AM' && ampm !== 'PM') fail(text.slice(i), element);
        pm = ampm === 'PM';
        i += 2;
        break;
      }
      case 'frac0':
      case 'frac9': {
        if (text[i] !== '.' && text[i] !== ',') {
          if (element === 'frac0') fail(text.slice(i), element);
          break;
        }
        i++;
        const start = i;
        while (i < text.length && /[0-9]/.test(text[i] as string)) i++;
        if (element === 'frac0' && i - start !== chunk.digits) fail(text.slice(start), element);
        nanos = Number(`${text.slice(start, i)}000000000`.slice(0, 9));
        break;
      }
      default: {
        if (element.startsWith('Z') && text[i] === 'Z') {
          i++;
          offset = 0;
          break;
        }
        const match = /^([+-])(\d\d)(?::?(\d\d))?(?::?(\d\d))?/.exec(text.slice(i));
        if (!match) fail(text.slice(i), element);
        const [whole, sign, h, m, s] = match as RegExpExecArray;
        i += whole.length;
        offset = (sign === '-' ? -1 : 1) * (Number(h) * 3600 + Number(m ?? 0) * 60 + Number(s ?? 0));
      }
    }
  }
  if (i < text.length) throw new Error(`parsing time ${JSON.stringify(text)}: extra text: ${JSON.stringify(text.slice(i))}`);
  if (pm !== undefined) {
    if (hour < 1 || hour > 12) throw new Error(`parsing time ${JSON.stringify(text)}: hour out of range`);
    if (pm && hour < 12) hour += 12;
    if (!pm && hour === 12) hour = 0;
  }
  if (month < 1 || month > 12) throw new Error(`parsing time ${JSON.stringify(text)}: month out of range`);
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  if (day < 1 || day > daysInMonth) throw new Error(`parsing time ${JSON.stringify(text)}: day out of range`);
  if (hour > 23 || minute > 59 || second > 59) throw new Error(`parsing time ${JSON.stringify(text)}: time out of range`);
  let wall = Date.UTC(year, month - 1, day, hour, minute, second) + Math.floor(nanos / 1e6);
  if (year < 100) {
    // Date.UTC maps years 0-99 to 1900-1999.
    const fixed = new Date(wall);
    fixed.setUTCFullYear(year);
    wall = fixed.getTime();
  }
  return finishTime(wall, nanos % 1e6, offset, location);
}

function finishTime(wall: number, nanos: number, offset: number | undefined, location: ExprLocation): ExprTime {
  if (offset === undefined) return new ExprTime(instantOfWall(wall, location), location, nanos);
  const zone =
    offset === 0 && location === UTC
      ? UTC
      : offset === location.offsetAt(wall - offset * 1000)
        ? location
        : new ExprLocation('', offset);
  return new ExprTime(wall - offset * 1000, zone, nanos);
}
