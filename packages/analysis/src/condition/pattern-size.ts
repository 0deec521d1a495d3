interface Frame {
  total: number;
  last: number;
  own: number;
}

/**
 * An upper estimate of the number of instructions RE2 compiles `source` to,
 * read from the text alone, before compiling: counted repetitions are
 * expanded (`(?:.?){999}` is about 2 000 instructions), so a pattern whose
 * program would be huge (slow to match, or deep enough to overflow re2js'
 * stack while compiling) is refused before re2js sees it. Matching costs
 * about input length × this size.
 */
export function patternSize(source: string): number {
  // One frame per open group: the size so far and the size of the last atom, which a quantifier repeats.
  const frames: Frame[] = [{ total: 0, last: 0, own: 0 }];
  const top = () => frames[frames.length - 1] as Frame;
  const atom = (size: number) => {
    top().total += size;
    top().last = size;
  };
  let i = 0;
  while (i < source.length) {
    const c = source[i] as string;
    if (c === '\\') {
      i = skipEscape(source, i);
      atom(1);
    } else if (c === '[') {
      i = skipClass(source, i);
      atom(1);
    } else if (c === '(') {
      const flags = /^\(\?[a-zA-Z-]*\)/.exec(source.slice(i));
      if (flags) {
        // `(?i)` only sets flags.
        i += flags[0].length;
        continue;
      }
      // Only capturing groups compile to instructions of their own (two saves).
      const prefix = /^\((?:\?P?<[^>]*>|\?[a-zA-Z-]*:)?/.exec(source.slice(i))?.[0] ?? '(';
      const capturing = prefix === '(' || prefix.includes('<');
      frames.push({ total: 0, last: 0, own: capturing ? 2 : 0 });
      i += prefix.length;
    } else if (c === ')' && frames.length > 1) {
      const group = frames.pop() as Frame;
      atom(group.total + group.own);
      i++;
    } else if (c === '|') {
      top().total += 1;
      top().last = 0;
      i++;
    } else if (c === '*' || c === '+' || c === '?') {
      top().total += 1;
      top().last += 1;
      i++;
    } else if (c === '{') {
      const repeat = /^\{(\d+)(,(\d*))?\}/.exec(source.slice(i));
      if (!repeat) {
        atom(1);
        i++;
        continue;
      }
      const min = Number(repeat[1]);
      const max = repeat[2] === undefined ? min : repeat[3] === '' ? min + 1 : Number(repeat[3]);
      // RE2 expands `x{2,5}` to `xx(?:x(?:x(?:x)?)?)?`: max copies and a split per optional one.
      const frame = top();
      const size = frame.last * Math.max(max, 1) + Math.max(max - min, 0) + 1;
      frame.total += size - frame.last;
      frame.last = size;
      i += repeat[0].length;
    } else {
      atom(1);
      i++;
    }
  }
  // Unclosed groups are re2js' error to report; count what they hold.
  return frames.reduce((sum, frame) => sum + frame.total, 0) + 2;
}

function skipEscape(source: string, start: number): number {
  const next = source[start + 1] ?? '';
  if ((next === 'p' || next === 'P' || next === 'x') && source[start + 2] === '{') {
    const close = source.indexOf('}', start + 3);
    return close < 0 ? source.length : close + 1;
  }
  if (next === 'p' || next === 'P') return start + 3;
  if (next === 'x') return start + 4;
  return start + 2;
}

// `[]a]` and `[^]a]` hold a literal `]`; `[[:alpha:]]` nests one level.
function skipClass(source: string, start: number): number {
  let i = start + 1;
  if (source[i] === '^') i++;
  if (source[i] === ']') i++;
  while (i < source.length) {
    const c = source[i];
    if (c === '\\') i = skipEscape(source, i);
    else if (c === '[' && source[i + 1] === ':') {
      const close = source.indexOf(':]', i + 2);
      i = close < 0 ? i + 1 : close + 2;
    } else if (c === ']') return i + 1;
    else i++;
  }
  return i;
}
